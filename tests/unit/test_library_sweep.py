"""evals/library_sweep.py: the defects it looks for are found in answers that have them, and a
sweep of the tiny library runs end to end (keyword index, hashing embedder)."""
from __future__ import annotations

from assistant.answering.answer import Answer
from assistant.answering.violation import ViolatedRule
from assistant.core.models import Hit
from evals.library_sweep import answer_defects, conduct_question, main
from tests.unit.tiny_corpus import GARBAGE


def _answer(retriever, conclusion: str, violated: tuple[int, ...] = ()) -> Answer:
    lead = next(c for c in retriever.chunks if c.law == GARBAGE and c.article == 57)
    rules = [ViolatedRule(GARBAGE, n, lead.version, (), (), "") for n in violated]
    return Answer("q", False, "offline", conclusion=conclusion, basis=[Hit(lead, 1.0)], violated=rules)


def test_the_defects_it_looks_for_are_found(tiny_retriever):
    store = tiny_retriever.store
    clean = "个人未分类投放的，由城管执法部门责令改正，罚款50–200 元（《上海市生活垃圾管理条例》第57条）。"
    assert answer_defects(_answer(tiny_retriever, clean), store) == []
    assert answer_defects(_answer(tiny_retriever, clean.replace("50–200 元", "罚款（未定数额）")), store) == ["未定数额"]
    fragment = "排污的，由生态环境部门处理，位主要负责人和直接责任人员处上一年度收入百分之五十以下的罚款（…）。"
    assert "fragment" in answer_defects(_answer(tiny_retriever, fragment), store)
    assert "brackets" in answer_defects(_answer(tiny_retriever, clean.replace("（《", "《")), store)
    assert "bare rule" in answer_defects(_answer(tiny_retriever, "违反本条例第二十二条规定的，由城管执法部门责令改正。"), store)
    # 第57条 cites 第22条 (「违反本条例第二十二条」): a 违法依据 it does not cite is a defect.
    assert answer_defects(_answer(tiny_retriever, clean, violated=(22,)), store) == []
    assert answer_defects(_answer(tiny_retriever, clean, violated=(2,)), store) == ["违法依据 not cited"]
    assert conduct_question("违反本条例第二十二条第二款规定，个人未分类投放") == "个人未分类投放，怎么处罚？"


def test_a_sweep_of_the_tiny_library_runs(tiny_settings, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tiny_settings.data_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tiny_settings.corpus_path))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    assert main(["--questions", "5"]) == 0
    out = capsys.readouterr().out
    assert "parse: {'fined clauses':" in out and "answers: {'questions': " in out
