"""Exam builder on the tiny library plus one invented regulation with known fines, departments,
time limits and a listed set (keyword index only, built in a temp dir). Keys are checked with
the independent verifier of evals/exams.py (plain string tests on the article), not with the
builder's own self-check."""
from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from assistant.exams.bank import validate_bank
from assistant.exams.builder import ExamBuilder
from assistant.exams.check import (
    AMBIGUOUS,
    DISTRACTOR_SUPPORTED,
    KEY_IN_STEM,
    KEY_UNSUPPORTED,
    NEAR_DUP_JACCARD,
    SCENARIO_UNSUPPORTED,
    SOURCE_MISSING,
    SUPERSEDED,
    check_question,
    near_duplicate_of,
    shingles,
    similarity,
)
from assistant.exams.export import COLUMNS, read_xlsx, write_docx, write_xlsx
from assistant.exams.history import ExamHistory, HistoryUnavailable
from assistant.exams.models import (
    CASE_QUESTIONS,
    Blueprint,
    Evidence,
    Question,
    Scope,
    Source,
    default_blueprint,
)
from assistant.exams.scope import ScopeError
from assistant.exams.values import body_key
from evals.exams import article_text as stored_article
from evals.exams import verify
from tests.unit.conftest import tiny_settings_for
from tests.unit.tiny_corpus import GARBAGE, NOISE, PENALTY_LAW, PROPERTY, write_corpus

EXAMPLE = "上海市示例管理条例"
EXAMPLE_FILE = f"DLC/上海地方法规/地方性法规/上海/{EXAMPLE}(2020-01-01).md"
# Invented: every value below is known, so the tests can say which option is right.
EXAMPLE_TEXT = f"""# {EXAMPLE}

2020年1月1日上海市第十五届人民代表大会常务委员会第十七次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了规范城市管理，制定本条例。

第二条 市绿化市容部门负责本条例的组织实施。区城管执法部门负责本辖区内的执法工作。

第三条 禁止下列行为：

（一）在道路两侧的树木上晾晒衣物；

（二）在公共绿地内停放机动车辆；

（三）向河道倾倒生活垃圾或者建筑渣土。

第四条 经营者应当自取得营业执照之日起十五日内向所在地的区市场监管部门备案。

## 第五章 法律责任

第三十条 违反本条例第三条第一项规定，在道路两侧的树木上晾晒衣物的，由城管执法部门责令改正，处五十元以上五百元以下罚款。

第三十一条 违反本条例第三条第二项规定，在公共绿地内停放机动车辆的，由区公安交通管理部门责令改正，处二百元以上二千元以下罚款。

第三十二条 违反本条例第三条第三项规定，向河道倾倒生活垃圾或者建筑渣土的，由区水务部门责令限期改正；逾期不改正的，处一千元以上一万元以下罚款。

第三十三条 违反本条例第四条规定，经营者未按时备案的，由区市场监管部门责令改正；拒不改正的，处五千元以上五万元以下罚款。

第三十四条 执法部门应当自立案之日起三十日内作出处理决定。当事人对处理决定不服的，可以自收到决定书之日起六十日内申请行政复议。
"""
FINES = {30: "五十元以上五百元以下", 31: "二百元以上二千元以下", 32: "一千元以上一万元以下", 33: "五千元以上五万元以下"}
DEPARTMENTS = {30: "城管执法部门", 31: "区公安交通管理部门", 32: "区水务部门", 33: "区市场监管部门"}
WIDE = Scope(laws=(EXAMPLE, GARBAGE, PROPERTY, PENALTY_LAW, NOISE))
EVERY = Blueprint({"single": 6, "multi": 1, "judge": 6, "blank": 6, "case": 3}, {"single": 1, "multi": 2, "judge": 1,
                                                                                 "blank": 2, "case": 10},
                  {"易": 0.3, "中": 0.5, "难": 0.2})


@pytest.fixture(scope="module")
def exam_settings(tmp_path_factory):
    from ingestion.pipeline import ingest

    root = tmp_path_factory.mktemp("exam-lib")
    corpus = write_corpus(root / "corpus")
    path = corpus / "lawrefbook" / EXAMPLE_FILE
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")
    settings = tiny_settings_for(root / "data", corpus)
    report = ingest(settings, vectors=False)  # keyword index only: no model, no Chroma
    assert report.errors == [] and report.documents == 9
    return settings


@pytest.fixture(scope="module")
def builder(exam_settings) -> ExamBuilder:
    return ExamBuilder(exam_settings)


@pytest.fixture(scope="module")
def pool(builder) -> list[Question]:
    questions, stats = builder.candidates(Scope(laws=(EXAMPLE,)), seed=1)
    assert stats.generated >= len(questions) > 30
    return questions


def article(builder, q: Question) -> str:
    return stored_article(builder.library.store, q.source.to_json())


def of_type(pool, qtype):
    return [q for q in pool if q.type == qtype]


# --- generation ------------------------------------------------------------------------------
def test_every_type_is_generated_with_its_fields(pool):
    assert {q.type for q in pool} == {"single", "multi", "judge", "blank", "case"}
    for q in pool:
        assert q.stem and q.explanation.startswith(f"《{EXAMPLE}》第") and "规定：「" in q.explanation
        assert q.source.law == EXAMPLE and q.source.version == "2020-01-01"
        assert q.difficulty in ("易", "中", "难") and "·" in q.knowledge_point
        data = q.to_json()
        assert set(data) >= {"type", "stem", "options", "answer", "explanation", "source", "difficulty", "knowledge_point"}
        assert set(data["source"]) >= {"law", "article", "version"}


def test_keys_are_the_articles_values(pool, builder):
    """Every key checked against the article by the independent verifier; and the fines and
    departments of the invented law are the ones asked."""
    for q in pool:
        assert verify(q.to_json(), article(builder, q)) == [], q
    singles = of_type(pool, "single")
    for n, fine in FINES.items():
        asked = [q for q in singles if q.source.article == n and fine in q.options.values()]
        assert asked and all(q.options[q.answer] == fine for q in asked)
    for n, dept in DEPARTMENTS.items():
        asked = [q for q in of_type(pool, "blank") if q.source.article == n and q.answer == dept]
        assert asked, n


def test_distractors_are_never_right(pool, builder):
    """Wrong options are real values of other articles, none stated by the cited article (nor an
    equivalent form of the key)."""
    singles = of_type(pool, "single")
    assert len(singles) >= 8
    for q in singles:
        text = article(builder, q)
        wrong = [v for k, v in q.options.items() if k != q.answer]
        assert len(wrong) == 3 and len(set(q.options.values())) == 4
        assert all(w not in text for w in wrong), q
        if q.evidence.kind == "department":  # four different bodies, not one under two names
            assert len({body_key(v) for v in q.options.values()}) == 4
        fine_key = q.options[q.answer] in FINES.values()
        if fine_key:  # wrong amounts are other articles' amounts, not invented ones
            library_text = "".join(a.text for law in builder.laws() for a in builder.library.articles(
                law, builder.library.current_version(law)))
            assert all(w in library_text for w in wrong)


def test_a_false_judge_item_changes_exactly_one_value(pool, builder):
    judges = of_type(pool, "judge")
    assert {q.answer for q in judges} == {True, False}
    for q in judges:
        text = article(builder, q)
        if q.answer is True:
            assert q.evidence.statement in text.replace("\n", "")
            continue
        original, statement = q.evidence.original, q.evidence.statement
        was, now = re.search(r"题干将「(.+?)」改为「(.+?)」", q.explanation).groups()
        # Outside one stretch the two read the same; inside it, the article's value became the other.
        head = len(os.path.commonprefix([original, statement]))
        tail = len(os.path.commonprefix([original[head:][::-1], statement[head:][::-1]]))
        assert original[head:len(original) - tail] in was and statement[head:len(statement) - tail] in now
        assert original in text.replace("\n", "") and was in text
        assert statement not in text and now not in text and now != was


def test_a_multi_key_is_every_option_the_article_states(pool, builder):
    multi = of_type(pool, "multi")
    assert multi
    for q in multi:
        text = article(builder, q)
        stated = {k for k, v in q.options.items() if v in text}
        assert set(q.answer) == stated and len(q.answer) >= 2 and len(q.options) > len(q.answer)


def test_case_answer_states_department_and_fine(pool):
    cases = {q.source.article: q for q in of_type(pool, "case")}
    assert set(cases) >= {30, 31, 32, 33}
    q = cases[32]
    assert q.stem.endswith(CASE_QUESTIONS) and "向河道倾倒生活垃圾" in q.stem and "期限届满" in q.stem
    assert "区水务部门" in q.answer and "一千元以上一万元以下" in q.answer and "第三十二条" in q.answer
    # 违法依据 and 处罚依据, as a decision cites them (「违反本条例第三条第三项规定」)
    assert q.answer.startswith("（1）违反《上海市示例管理条例》第三条第三项的规定，处罚依据为《上海市示例管理条例》第三十二条。")
    assert "区水务部门" not in q.stem and "一千元" not in q.stem  # the scenario does not give the answer away


# --- self-check ------------------------------------------------------------------------------
def _check(builder, q, **kw):
    s = q.source
    a = builder.library.article(s.law, s.article, s.version)
    return check_question(q, a.text if a else None, builder.library.current_version(s.law),
                          law_text=builder.library.law_text(s.law, s.version), **kw)


def test_self_check_catches_a_wrong_key_a_right_distractor_and_a_bad_source(pool, builder):
    single = next(q for q in of_type(pool, "single") if q.source.article == 30 and q.options[q.answer] == FINES[30])
    assert _check(builder, single) == []
    wrong_letter = next(k for k in single.options if k != single.answer)
    assert KEY_UNSUPPORTED in _check(builder, replace(single, answer=wrong_letter))
    options = dict(single.options) | {wrong_letter: "五十元以上五百元以下罚款"}  # the key again, another form
    options[single.answer] = "50元以上500元以下"
    assert DISTRACTOR_SUPPORTED in _check(builder, replace(single, options=options))
    assert _check(builder, replace(single, source=replace(single.source, article=99))) == [SOURCE_MISSING]
    old = next(q for q in builder.candidates(Scope(laws=(PROPERTY,), include_superseded=True))[0]
               if q.source.version == "2010-12-23")
    assert _check(builder, old) == [SUPERSEDED] and _check(builder, old, allow_superseded=True) == []
    blank = next(q for q in of_type(pool, "blank") if q.source.article == 34 and q.answer == "三十日内")
    assert _check(builder, blank) == []
    assert KEY_IN_STEM in _check(builder, replace(blank, stem=blank.stem + "（期限：三十日内）"))  # gives itself away
    judge = next(q for q in of_type(pool, "judge") if q.answer is False and q.evidence.kind == "fine")
    assert KEY_UNSUPPORTED in _check(builder, replace(judge, answer=True, evidence=Evidence(statement=judge.evidence.statement)))


def test_self_check_on_cases_and_ambiguity(pool, builder):
    case = next(q for q in of_type(pool, "case") if q.source.article == 30)
    invented = replace(case, stem="当事人王某晾晒衣物，被罚款三万元。\n" + CASE_QUESTIONS)
    assert SCENARIO_UNSUPPORTED in _check(builder, invented)
    other_dept = replace(case, stem="当事人王某晾晒衣物，被区水务部门发现。\n" + CASE_QUESTIONS)
    assert SCENARIO_UNSUPPORTED in _check(builder, other_dept)
    # A stem that, with a wrong option filled in, is another article's sentence is ambiguous.
    stem = "根据《上海市示例管理条例》，违反本条例第三条第一项规定，在道路两侧的树木上晾晒衣物的，由（  ）责令改正，处五十元以上五百元以下罚款。"
    q = Question("single", stem, {"A": "城管执法部门", "B": "区水务部门", "C": "区市场监管部门", "D": "区公安交通管理部门"},
                 "A", "", Source(EXAMPLE, 30, "2020-01-01"), "易", "", Evidence(kind="department"))
    assert _check(builder, q) == []
    law_text = builder.library.law_text(EXAMPLE, "2020-01-01") + "由区水务部门责令改正，处五十元以上五百元以下罚款。"
    stem2 = "根据《上海市示例管理条例》，（  ）责令改正，处五十元以上五百元以下罚款。"
    q2 = replace(q, stem=stem2.replace("（  ）", "由（  ）"))
    a = builder.library.article(EXAMPLE, 30, "2020-01-01").text
    assert AMBIGUOUS in check_question(q2, a, "2020-01-01", law_text=law_text)


def test_near_duplicates(pool, builder):
    on_30 = [q for q in of_type(pool, "single") if q.source.article == 30]
    fine = next(q for q in on_30 if q.evidence.kind == "fine")
    dept = next(q for q in on_30 if q.evidence.kind == "department")
    other = next(q for q in of_type(pool, "single") if q.source.article == 4)
    assert similarity(fine.stem, dept.stem) >= NEAR_DUP_JACCARD and near_duplicate_of(fine.stem, [shingles(dept.stem)])
    assert similarity(fine.stem, other.stem) < NEAR_DUP_JACCARD
    paper = builder.paper(Scope(laws=(EXAMPLE,)), EVERY, seed=3, avoid_used=False)
    stems = [shingles(q.stem) for q in paper.questions]
    for i, q in enumerate(paper.questions):
        assert not near_duplicate_of(q.stem, stems[:i]), q.stem
    # One question per sentence, however short: 「X负责本条例的组织实施」 true and false are one.
    contexts = [(q.source.article, q.evidence.context) for q in paper.questions]
    assert len(contexts) == len(set(contexts))
    assert paper.stats.dropped.get("near_duplicate", 0) > 0  # there were some, and they were skipped


# --- papers ----------------------------------------------------------------------------------
def test_seed_gives_the_same_paper_and_another_seed_another(builder):
    scope = Scope(laws=(EXAMPLE, GARBAGE))
    one = builder.paper(scope, EVERY, seed=7, avoid_used=False)
    again = builder.paper(scope, EVERY, seed=7, avoid_used=False)
    other = builder.paper(scope, EVERY, seed=8, avoid_used=False)
    assert [q.to_json() for q in one.questions] == [q.to_json() for q in again.questions]
    assert [q.id for q in one.questions] != [q.id for q in other.questions]
    assert {q.source.law for q in one.questions} == {EXAMPLE, GARBAGE}  # laws taken in turn
    assert one.stats.per_type["single"]["requested"] == 6


def test_blueprint_counts_difficulty_and_coverage(builder):
    bp = Blueprint({"single": 4, "judge": 4}, {"single": 1, "judge": 2}, {"易": 0.5, "中": 0.5, "难": 0})
    paper = builder.paper(Scope(laws=(EXAMPLE,)), bp, seed=1, avoid_used=False)
    assert [q.type for q in paper.questions] == ["single"] * 4 + ["judge"] * 4
    assert paper.total_points() == 12
    assert {q.difficulty for q in paper.questions} <= {"易", "中"}
    cov = paper.coverage()
    assert cov["laws"] == {EXAMPLE: 8} and sum(cov["knowledge_points"].values()) == 8
    short = builder.paper(WIDE, default_blueprint(12, ("multi", "judge")), seed=1, avoid_used=False)
    assert short.stats.per_type["multi"]["selected"] < 6  # few listed sets: judges make up the rest
    assert len(short.questions) == 12 and short.stats.per_type["judge"]["added"] > 0
    exact = builder.paper(WIDE, Blueprint({"multi": 6, "judge": 6}, {"multi": 2, "judge": 1}, {"中": 1}), seed=1,
                          avoid_used=False)
    assert len(exact.questions) < 12  # counts set by type are not made up with other types


def test_a_and_b_are_disjoint(builder):
    a, b = builder.ab_papers(Scope(laws=(EXAMPLE, GARBAGE)), default_blueprint(10), seed=2, avoid_used=False)
    assert a.variant == "A" and b.variant == "B" and a.questions and b.questions
    assert not {q.id for q in a.questions} & {q.id for q in b.questions}
    a_stems = [shingles(q.stem) for q in a.questions]
    assert not any(near_duplicate_of(q.stem, a_stems) for q in b.questions)


def test_history_avoids_used_questions(exam_settings, tmp_path):
    builder = ExamBuilder(exam_settings, history=ExamHistory(tmp_path / "exams" / "history.sqlite"))
    scope, bp = Scope(laws=(EXAMPLE,)), Blueprint({"single": 5}, {"single": 1}, {"中": 1})
    first = builder.paper(scope, bp, seed=1)
    assert not (tmp_path / "exams").exists()  # reading the history creates nothing
    builder.record(first)
    assert builder.history.used_ids() == {q.id for q in first.questions}
    second = builder.paper(scope, bp, seed=1)
    assert second.questions and not {q.id for q in first.questions} & {q.id for q in second.questions}
    assert builder.paper(scope, bp, seed=1, avoid_used=False).questions == first.questions
    assert builder.history.papers()[0]["n"] == 5
    read_only = ExamBuilder(exam_settings.model_copy(update={"read_only": True}), history=builder.history)
    with pytest.raises(HistoryUnavailable, match="只读"):
        read_only.record(second)


def test_replace_one_question(builder):
    scope = Scope(laws=(EXAMPLE,))
    paper = builder.paper(scope, Blueprint({"single": 3, "judge": 3}, {"single": 1, "judge": 1}, {"中": 1}), seed=1,
                          avoid_used=False)
    new = builder.replace(paper, 1, scope, avoid_used=False)
    assert new.questions[1].id != paper.questions[1].id and new.questions[1].type == "single"
    assert [q.id for i, q in enumerate(new.questions) if i != 1] == [q.id for i, q in enumerate(paper.questions) if i != 1]


def test_scope_by_topic_and_errors(builder):
    """「垃圾分类」 maps through the team's taxonomy and synonyms to the garbage regulation."""
    pool, _ = builder.candidates(Scope(topic="垃圾分类"))
    assert pool and {q.source.law for q in pool} == {GARBAGE}
    assert {q.source.article for q in pool} <= {22, 24, 57, 58}
    assert {q.source.article for q in builder.candidates(Scope(laws=("示例管理条例",), articles=(30,)))[0]} == {30}
    with pytest.raises(ScopeError, match="没有"):
        builder.candidates(Scope(laws=("上海市不存在的条例",)))
    with pytest.raises(ScopeError, match="没有找到"):
        builder.candidates(Scope(laws=(EXAMPLE,), topic="火星移民"))
    superseded, _ = builder.candidates(Scope(laws=(PROPERTY,), include_superseded=True))
    assert {q.source.version for q in superseded} == {"2010-12-23", "2020-12-30"}
    assert {q.source.version for q in builder.candidates(Scope(laws=(PROPERTY,)))[0]} == {"2020-12-30"}


# --- export and import -----------------------------------------------------------------------
def test_xlsx_round_trip(builder, tmp_path):
    paper = builder.paper(Scope(laws=(EXAMPLE,)), EVERY, seed=1, avoid_used=False)
    path = tmp_path / "bank.xlsx"
    write_xlsx(paper.questions, path)
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(paper.questions) + 1
    by_stem = {r[1]: r for r in rows[1:]}
    for q in paper.questions:
        r = dict(zip(COLUMNS, by_stem[q.stem]))
        assert r["题型"] == {"single": "单选", "multi": "多选", "judge": "判断", "blank": "填空", "case": "案例分析"}[q.type]
        assert r["答案"] == q.answer_text() and r["出处"] == q.source.label()
        assert [r[f"选项{c}"] or "" for c in "ABCDE"][: len(q.options)] == list(q.options.values())
    report = validate_bank(read_xlsx(path), builder.library)
    assert report.to_json()["with_problems"] == 0, report.to_json()


def test_docx_has_header_sections_and_answer_sheet(builder, tmp_path):
    from docx import Document

    paper = builder.paper(WIDE, EVERY, seed=1, avoid_used=False)
    assert len(paper.by_type()) == 5
    path = tmp_path / "paper.docx"
    write_docx(paper, path)
    text = [p.text for p in Document(str(path)).paragraphs]
    assert any("姓名" in t and "单位" in t and "得分" in t for t in text)
    assert any(t.startswith("一、单项选择题") for t in text) and any(t.startswith("五、案例分析题") for t in text)
    sheet = text.index("参考答案与解析")
    assert all("答案" not in t for t in text[:sheet] if t.startswith(tuple(f"{i}. " for i in range(1, 40))))
    answers = [t for t in text[sheet:] if "答案：" in t]
    assert len(answers) == len(paper.questions)
    in_order = [q for _, qs in paper.by_type() for q in qs]
    for n, (line, q) in enumerate(zip(answers, in_order), 1):
        assert line.startswith(f"{n}. ") and line.endswith(q.answer_text())
    assert sum(t.startswith("解析：《") for t in text[sheet:]) == len(paper.questions)


def test_formula_like_cells_are_neutralised(tmp_path):
    q = Question("blank", "=HYPERLINK(\"http://x\")______", {}, "@SUM(A1)", "+解析", Source(EXAMPLE, 30, "2020-01-01"),
                 "中", "-知识点")
    path = tmp_path / "f.xlsx"
    write_xlsx([q], path)
    ws = load_workbook(path).active
    cells = {c: ws.cell(2, COLUMNS.index(c) + 1) for c in ("题干", "答案", "解析", "知识点")}
    assert all(cell.value.startswith("'") and cell.data_type == "s" for cell in cells.values())
    row = read_xlsx(path)[0].cells
    assert row["题干"] == q.stem and row["答案"] == "@SUM(A1)"  # read back as written


def _bank(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    wb.active.append(COLUMNS)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_import_reports_invented_citations_wrong_keys_and_duplicates(builder, tmp_path):
    stem = "根据《上海市示例管理条例》，违反本条例第三条第三项规定，向河道倾倒生活垃圾或者建筑渣土的，由区水务部门责令限期改正；逾期不改正的，处（  ）罚款。"
    options = ["五十元以上五百元以下", "一千元以上一万元以下", "二百元以上二千元以下", "五千元以上五万元以下", ""]
    cite = "《上海市示例管理条例》第三十二条"
    rows = [
        ["单选", stem, *options, "B", "", cite, "中", ""],  # 2: right
        ["单选", stem + "（题库）", *options, "A", "", cite, "中", ""],  # 3: wrong key, and a near-duplicate of 2
        ["单选", "城管执法部门是否管理河道？", *options, "B", "", "《上海市河道管理示例办法》第三条", "中", ""],  # 4: no such law
        ["判断", "根据《上海市示例管理条例》，经营者应当自取得营业执照之日起十五日内向所在地的区市场监管部门备案。", *[""] * 5,
         "正确", "", "《上海市示例管理条例》第九十九条", "易", ""],  # 5: no such article
        ["判断", "根据《上海市示例管理条例》，经营者应当自取得营业执照之日起十五日内向所在地的区市场监管部门备案。", *[""] * 5,
         "正确", "", "《示例管理条例》第四条", "易", ""],  # 6: right (short title), but duplicates 5
        ["填空", "执法部门应当自立案之日起______作出处理决定。", *[""] * 5, "九十日内", "", "《上海市示例管理条例》第三十四条",
         "中", ""],  # 7: wrong blank
        ["简答题", "说说你对城管执法的理解。", *[""] * 5, "略", "", "《上海市示例管理条例》第一条", "难", ""],  # 8: not checkable
    ]
    report = validate_bank(read_xlsx(_bank(tmp_path / "bank.xlsx", rows)), builder.library,
                           builder.settings.authored_dir / "law_aliases.tsv")
    by_row = {r.row: r for r in report.rows}
    assert by_row[2].ok
    assert any("答案与所引条文不符" in p for p in by_row[3].problems)
    assert any("与第2行" in p for p in by_row[3].problems)
    assert by_row[4].problems == ["出处的法规在法规库中不存在：《上海市河道管理示例办法》"]
    assert by_row[5].problems == ["出处的条文不存在：《上海市示例管理条例》第九十九条"]
    assert by_row[6].problems == ["与第5行题干重复或近似"]
    assert any("答案与所引条文不符" in p for p in by_row[7].problems)
    assert by_row[8].ok
    summary = report.to_json()
    assert summary["total"] == 7 and summary["ok"] == 2 and summary["counts"]["citation"] == 2


# --- CLI, LLM mode, page ---------------------------------------------------------------------
def _cli(exam_settings, *args):
    from assistant.cli import cli

    return CliRunner().invoke(cli, ["--data-dir", str(exam_settings.data_dir), "--corpus", str(exam_settings.corpus_path),
                                    *args])


def test_cli_exam_json_xlsx_docx_and_import(exam_settings, tmp_path):
    args = ["exam", "--law", EXAMPLE, "--law", "生活垃圾管理条例", "--n", "10", "--types", "single,judge,blank,case"]
    result = _cli(exam_settings, *args, "--seed", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["questions"]) == 10 and data["stats"]["dropped_total"] >= 0
    q = data["questions"][0]
    assert q["type"] == "single" and set(q["options"]) == set("ABCD") and q["answer"] in "ABCD"
    assert set(q["source"]) >= {"law", "article", "version"}
    assert {x["source"]["law"] for x in data["questions"]} == {EXAMPLE, GARBAGE}
    assert {x["type"] for x in data["questions"]} == {"single", "judge", "blank", "case"}
    assert all(isinstance(x["answer"], bool) for x in data["questions"] if x["type"] == "judge")
    again = _cli(exam_settings, *args, "--seed", "1")
    assert json.loads(again.stdout)["questions"] == data["questions"]

    out = tmp_path / "卷.xlsx"
    assert _cli(exam_settings, "exam", "--topic", "垃圾分类", "--n", "6", "--format", "xlsx", "--out", str(out),
                "--ab").exit_code == 0
    assert out.exists() and (tmp_path / "卷_B.xlsx").exists()
    checked = _cli(exam_settings, "exam-import", str(out), "--json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["with_problems"] == 0
    docx = tmp_path / "卷.docx"
    assert _cli(exam_settings, "exam", "--law", EXAMPLE, "--counts", "single=2,case=1", "--format", "docx", "--out",
                str(docx)).exit_code == 0
    assert docx.stat().st_size > 0
    bad = _cli(exam_settings, "exam", "--law", "上海市不存在的条例")
    assert bad.exit_code != 0 and "没有" in bad.output
    assert _cli(exam_settings, "exam", "--law", EXAMPLE, "--types", "essay").exit_code == 2
    assert _cli(exam_settings, "exam", "--law", EXAMPLE, "--format", "docx").exit_code == 2


def test_cli_record_then_avoid(exam_settings, tmp_path):
    settings_dir = ["--law", EXAMPLE, "--counts", "single=4", "--seed", "5"]
    first = json.loads(_cli(exam_settings, "exam", *settings_dir, "--record").stdout)
    try:
        second = json.loads(_cli(exam_settings, "exam", *settings_dir).stdout)
        assert not {q["id"] for q in first["questions"]} & {q["id"] for q in second["questions"]}
        third = json.loads(_cli(exam_settings, "exam", *settings_dir, "--ignore-history").stdout)
        assert third["questions"] == first["questions"]
    finally:
        (exam_settings.data_dir / "exams" / "history.sqlite").unlink()


def test_llm_mode_rewrites_cases_through_the_self_check(exam_settings):
    from evals.openai_stub import ScriptedOpenAI

    good = "某日上午，当事人王某在小区外道路两侧的树木之间拉起绳子晾晒被褥和衣物，巡查的执法人员当场发现并制止。"
    bad = "当事人王某把车停进公共绿地，之前已被罚款三万元，仍不改正，执法人员再次发现。"
    with ScriptedOpenAI([("晾晒衣物", good), ("停放机动车辆", bad)], default="") as stub:
        settings = exam_settings.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "stub"})
        builder = ExamBuilder(settings)
        paper = builder.paper(Scope(laws=(EXAMPLE,)), Blueprint({"case": 4}, {"case": 10}, {"难": 1}), seed=1,
                              avoid_used=False, use_llm=True)
    cases = {q.source.article: q for q in paper.questions}
    assert cases[30].stem == f"{good}\n{CASE_QUESTIONS}" and "城管执法部门" in cases[30].answer
    assert cases[31].stem.startswith("当事人王某在公共绿地内停放机动车辆")  # the invented fine was refused
    assert paper.stats.dropped.get("llm:scenario_unsupported") == 1
    assert paper.stats.dropped.get("llm:no_reply") == 2  # empty replies keep the offline scenario
    assert len(stub.requests) == 4
    offline = ExamBuilder(exam_settings).paper(Scope(laws=(EXAMPLE,)), Blueprint({"case": 4}, {"case": 10}, {"难": 1}),
                                               seed=1, avoid_used=False, use_llm=True)
    assert not any(r.startswith("llm:") for r in offline.stats.dropped)  # no model configured: offline


def test_exam_page_generates_previews_replaces_and_offers_downloads(exam_settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    for key, value in {"ASSISTANT_DATA_DIR": exam_settings.data_dir, "ASSISTANT_CORPUS_PATH": exam_settings.corpus_path,
                       "ASSISTANT_EMBEDDER": "hashing"}.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    at = AppTest.from_string("from assistant.ui import exam_page\nexam_page.page()", default_timeout=60).run()
    assert not at.exception and at.title[0].value == "题库生成"
    at.multiselect(key="exam-laws").set_value([EXAMPLE, GARBAGE, PROPERTY]).run()
    for qtype, n in {"single": 3, "multi": 1, "judge": 3, "blank": 2, "case": 2}.items():
        at.number_input(key=f"exam-n-{qtype}").set_value(n).run()
    at.button(key="exam-generate").click().run()
    assert not at.exception
    stems = [m.value for m in at.markdown if "【" in m.value]
    assert len(stems) == 11 and any("【单选】" in s for s in stems) and any("【案例分析】" in s for s in stems)
    assert not any(m.value.startswith("**答案**") for m in at.markdown)  # keys hidden by default
    at.toggle(key="exam-show").set_value(True).run()
    assert sum(m.value.startswith("**答案**") for m in at.markdown) == 11
    first = stems[0]
    at.button(key="exam-replace-A-0").click().run()
    assert next(m.value for m in at.markdown if "【" in m.value) != first
    downloads = at.get("download_button")
    assert len(downloads) == 2
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 1  # the coverage chart


# --- rules from the team check of 60 questions (evals/exam_review.py) -----------------------
def _article(law: str, number: int, paragraphs: list[str], items: dict[int, list[str]] | None = None):
    from assistant.exams.articles import ArticleText, Unit

    units = []
    for p, text in enumerate(paragraphs, 1):
        units.append(Unit(p, None, text))
        for i, item in enumerate((items or {}).get(p, []), 1):
            units.append(Unit(p, i, item, text))
    return ArticleText(law, number, f"第{number}条", "2020-01-01", "现行有效", None, "\n".join(paragraphs), tuple(units))


def test_a_later_sentence_is_read_with_the_one_before_and_a_pointer_back_is_not_a_stem():
    from assistant.exams.facts import facts

    art = _article(EXAMPLE, 61, [
        ("建设单位所有的机动车停车位向业主出租的，其收费标准应当在前期物业合同中予以约定。"
         "业主大会成立前，收费标准不得擅自调整。"),
        "前款内容应当在首次业主大会会议召开十五日前在物业管理区域内公告。"])
    got = facts(art)
    late = [f for f in got if f.kind == "obligation" and f.value == "不得"]
    assert late and all(f.context.startswith("建设单位所有的机动车停车位") for f in late)
    assert not [f for f in got if "前款内容" in f.context]


def test_a_conduct_read_back_from_a_rule_keeps_its_topic():
    from assistant.exams.facts import penalties

    cut = _article(EXAMPLE, 42, [("单位和饮食业经营者产生的餐厨垃圾，应当自行收集和处置，不得排入下水道。"
                                  "违反规定的，由城管执法部门责令改正，处三百元以上三千元以下罚款。")])
    whole = _article(EXAMPLE, 44, ["禁止擅自倾倒、堆放建筑垃圾。违反规定的，由城管执法部门责令改正，处五千元以上五万元以下罚款。"])
    assert penalties(cut) == []
    assert [p.conduct for p in penalties(whole)] == ["擅自倾倒、堆放建筑垃圾"]


def test_a_false_judge_bound_is_never_one_the_original_implies():
    from assistant.exams.generate import _implied

    assert _implied("fine", "五十元以下", "一百元以下")  # ≤50 is within ≤100: still true
    assert not _implied("fine", "二百元以下", "一百元以下")
    assert _implied("time_limit", "三日内", "七日内") and not _implied("time_limit", "十五日内", "七日内")
    assert _implied("time_limit", "十日前", "七日前") and not _implied("time_limit", "三日前", "七日前")
    assert not _implied("fine", "五千元以上五万元以下", "一万元以上十万元以下")


def test_multi_distractors_skip_the_same_partys_other_lists_and_what_a_catch_all_covers():
    import random

    from assistant.exams.distractors import ValuePool, has_catch_all, lead_subject
    from assistant.exams.facts import facts

    law = EXAMPLE
    asked = _article(law, 29, ["收集、运输单位应当按照下列规定，对生活垃圾进行分类收集、运输："],
                     {1: ["对可回收物实行预约收集、运输；", "对湿垃圾实行每日定时收集、运输；", "对干垃圾实行定期收集、运输。"]})
    same_party = _article(law, 30, ["收集、运输单位应当遵守下列规定："],
                          {1: ["将需要转运的生活垃圾运输至符合条件的转运场所；", "不得将已分类投放的生活垃圾混合收集、运输。"]})
    other = _article(law, 40, ["产生生活垃圾的单位应当遵守下列规定："], {1: ["在指定地点设置收集容器；", "公布投放时间和地点。"]})
    pool = ValuePool([f for a in (asked, same_party, other) for f in facts(a)])
    fact = next(f for f in facts(asked) if f.kind == "item")
    assert lead_subject(fact.value) == "收集、运输单位"
    wrong = pool.distractors(fact, 4, random.Random(1), asked.text, keys=fact.items)
    assert wrong and not any("转运场所" in w or "混合收集" in w for w in wrong)

    misconduct = _article(law, 20, ["拆违实施部门及其工作人员在查处违法建筑过程中，有下列情形之一的，依法给予行政处分："],
                          {1: ["依法应当作出拆除违法建筑决定而未作出的；", "对属于本部门的职责推诿的；", "其他玩忽职守、滥用职权、徇私舞弊的。"]})
    alike = _article("另一条例", 60, ["执法部门及其工作人员在管理工作中有下列行为之一的，依法给予行政处分："],
                     {1: ["故意损坏当事人财物的；", "使用暴力、威胁等手段执法的。"]})
    pool = ValuePool([f for a in (misconduct, alike, other) for f in facts(a)])
    fact = next(f for f in facts(misconduct) if f.kind == "item")
    assert has_catch_all(fact)
    wrong = pool.distractors(fact, 4, random.Random(1), misconduct.text, keys=fact.items)
    assert wrong and not any("财物" in w or "暴力" in w for w in wrong)


def test_a_department_with_its_own_level_does_not_take_the_keys_prefix():
    from assistant.exams.distractors import _adapt

    assert _adapt("department", "国务院机动车生产主管部门", "市和区市容环境卫生管理部门") is None
    assert _adapt("department", "区生态环境部门", "市和区市容环境卫生管理部门") == "市和区生态环境部门"
