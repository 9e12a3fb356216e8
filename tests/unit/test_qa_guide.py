"""执法问答及指引 (assistant/answering/qa_guide): the format and its loader, validation against
article texts, question-to-question matching, the XLSX export and import (hostile files too),
the admin check, and the Assistant attaching a matched entry beside — never inside — the answer."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assistant.accounts.users import LOCAL, User
from assistant.answering.answer import GUIDE_TITLE
from assistant.answering.qa_guide.admin import check_import, export_guide, import_guide
from assistant.answering.qa_guide.check import ArticleText, StoreArticles, split_paragraphs, validate
from assistant.answering.qa_guide.match import GuideMatcher
from assistant.answering.qa_guide.model import (
    GuideCitation,
    GuideEntry,
    dumps_jsonl,
    load_jsonl,
    parse_citation_text,
    parse_jsonl,
)
from assistant.answering.qa_guide.store import GuideCatalog, imported_path, load_all, write_imported
from assistant.answering.qa_guide.xlsx import COLUMNS, GuideFileError, export_xlsx, read_xlsx
from assistant.config import REPO_ROOT, Settings
from tests.unit.tiny_corpus import GARBAGE, PENALTY_LAW, PROPERTY

# --- a fake library: two articles ---------------------------------------------------------------
ARTICLES = {
    (GARBAGE, 57): ArticleText(GARBAGE, 57, "2019-01-31", (
        "单位违反本条例第二十二条规定，未将生活垃圾分类投放的，由城管执法部门责令立即改正；拒不改正的，处五千元以上五万元以下罚款。",
        "个人违反本条例第二十二条规定，未将生活垃圾分类投放的，由城管执法部门责令立即改正；拒不改正的，处五十元以上二百元以下罚款。")),
    (PENALTY_LAW, 60): ArticleText(PENALTY_LAW, 60, "2021-01-22", (
        "行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，从其规定。",)),
}


class FakeArticles:
    def has_law(self, law):
        return any(law == k[0] for k in ARTICLES)

    def article(self, law, number):
        return ARTICLES.get((law, number))


def entry_json(id_="lj-geren", questions=("个人垃圾混投罚多少", "居民垃圾不分类会被罚款吗"),
               answer="个人未分类投放的，责令立即改正；拒不改正的，处五十元以上二百元以下罚款。",
               citations=({"law": GARBAGE, "article": 57, "paragraph": 2},), facts=("五十元以上二百元以下",)) -> dict:
    return {"id": id_, "questions": list(questions), "answer": answer, "citations": list(citations), "facts": list(facts)}


DEADLINE = entry_json("cf-qixian", ("行政处罚立案后多久要作出决定", "办案期限是多少天"),
                      "行政机关应当自立案之日起九十日内作出行政处罚决定。",
                      ({"law": PENALTY_LAW, "article": 60},), ("九十日内",))


def parse(*objs) -> list:
    return parse_jsonl("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs))


def entries(*objs) -> list[GuideEntry]:
    return [p.entry for p in parse(*objs)]


# --- format and loader ----------------------------------------------------------------------------
def test_jsonl_round_trip_and_loader(tmp_path):
    es = entries(entry_json(), DEADLINE)
    path = tmp_path / "g.jsonl"
    path.write_text(dumps_jsonl(es), encoding="utf-8")
    assert load_jsonl(path) == es
    assert es[0].citations[0].label() == f"《{GARBAGE}》第五十七条第二款"
    assert load_jsonl(tmp_path / "missing.jsonl") == []


@pytest.mark.parametrize("line, problem", [
    ("{not json", "不是合法的 JSON"),
    ('["a"]', "JSON 对象"),
    (json.dumps({**entry_json(), "extra": 1}), "JSON 对象"),
    (json.dumps(entry_json(questions=())), "问法为空"),
    (json.dumps(entry_json(questions=("同一个问题", "同一个问题？"))), "重复的问法"),
    (json.dumps(entry_json(questions=tuple(f"问题{i}" for i in range(6)))), "至多 5 个"),
    (json.dumps(entry_json(answer="  ")), "回答为空"),
    (json.dumps(entry_json(citations=())), "出处为空"),
    (json.dumps(entry_json(citations=({"law": GARBAGE, "article": "五十七"},))), "出处无法识别"),
    (json.dumps(entry_json(facts=())), "要点为空"),
    (json.dumps(entry_json(id_="有 空格")), "编号"),
    (json.dumps(entry_json(questions=("x" * 101,))), "问法过长"),
    (json.dumps(entry_json(questions=("个人垃圾\u0000混投",))), "控制字符"),
    (json.dumps(entry_json(answer="处罚\ud800")), "无效字符"),
])
def test_malformed_lines_are_reported(line, problem):
    [p] = parse_jsonl(line)
    assert p.entry is None
    assert any(problem in x for x in p.problems), p.problems


def test_citation_text_forms():
    assert parse_citation_text(f"《{GARBAGE}》第五十七条第二款") == GuideCitation(GARBAGE, 57, 2)
    assert parse_citation_text(f"《{GARBAGE}》第57条") == GuideCitation(GARBAGE, 57)
    assert parse_citation_text("第57条") is None
    assert parse_citation_text(f"《{GARBAGE}》第零条") is None


# --- validation -----------------------------------------------------------------------------------
def test_valid_entries_pass():
    report = validate(parse(entry_json(), DEADLINE), FakeArticles())
    assert report.all_valid and len(report.valid) == 2, report.to_json()


@pytest.mark.parametrize("change, problem", [
    ({"citations": [{"law": "上海市不存在条例", "article": 1}]}, "在法规库中没有"),
    ({"citations": [{"law": GARBAGE, "article": 99}]}, "条文不存在"),
    ({"citations": [{"law": GARBAGE, "article": 57, "paragraph": 3}]}, "款不存在"),
    ({"facts": ["五十元以上三百元以下"], "answer": "处五十元以上三百元以下罚款。"}, "未在所引条文中出现"),
    ({"facts": ["五十元以上二百元以下", "责令立即改正"], "answer": "处五十元以上二百元以下罚款。"}, "未在回答中出现"),
])
def test_citation_and_fact_problems(change, problem):
    report = validate(parse({**entry_json(), **change}), FakeArticles())
    assert not report.all_valid
    assert any(problem in p for p in report.rejected[0].problems), report.to_json()


def test_a_paragraph_citation_checks_facts_in_that_paragraph_only():
    """A 款 citation narrows the text the facts are checked against to that 款."""
    report = validate(parse(entry_json(answer="拒不改正的，处五千元以上五万元以下罚款。", facts=("五千元以上五万元以下",))),
                      FakeArticles())
    assert "未在所引条文中出现" in " ".join(report.rejected[0].problems)


def test_duplicates_are_reported_and_builtin_rows_skipped():
    builtin = entries(DEADLINE)
    rows = parse(entry_json(), entry_json(questions=("另一种问法", "个人垃圾混投罚多少！")),
                 entry_json("x2", questions=("办案期限是多少天",)), DEADLINE,
                 {**DEADLINE, "answer": DEADLINE["answer"] + "另有规定的除外。"})
    report = validate(rows, FakeArticles(), builtin)
    assert report.unchanged_builtin == 1
    problems = [" ".join(r.problems) for r in report.entries]
    assert problems[0] == ""
    assert "编号「lj-geren」重复" in problems[1] and "重复（另见第1行）" in problems[1]
    assert "与内置条目 cf-qixian 重复" in problems[2]
    assert "与内置条目编号相同" in problems[3]
    assert report.counts()["重复"] == 3
    assert "可导入 1 条" in report.summary() and "与内置条目相同 1 条" in report.summary()


def test_store_articles_read_the_current_version_by_paragraph(tiny_settings):
    from assistant.index.layout import IndexLayout
    from assistant.index.store import ChunkStore

    store = ChunkStore(IndexLayout.of(tiny_settings).store, read_only=True)
    try:
        lookup = StoreArticles(store)
        assert lookup.has_law(GARBAGE) and not lookup.has_law("上海市不存在条例")
        a57 = lookup.article(GARBAGE, 57)
        assert len(a57.paragraphs) == 2 and a57.paragraphs[1].startswith("个人违反")
        assert "二万元以上二十万元以下" in lookup.article(PROPERTY, 83).text  # 2020, not 2010
        assert lookup.article(GARBAGE, 999) is None
    finally:
        store.close()


def test_items_stay_with_their_paragraph():
    assert split_paragraphs("禁止下列行为：\n（一）甲；\n（二）乙。\n违反前款规定的，罚款。") == (
        "禁止下列行为：\n（一）甲；\n（二）乙。", "违反前款规定的，罚款。")


# --- matching -------------------------------------------------------------------------------------
def _tokenize(text):
    import jieba

    return [t for t in jieba.lcut_for_search(text) if t.strip() and t not in "，。？！的了吗呢"]


def test_a_paraphrase_matches_and_an_unrelated_question_does_not():
    m = GuideMatcher(entries(entry_json(), DEADLINE), _tokenize, threshold=0.3)
    best = m.best("个人生活垃圾混投罚多少钱")
    assert best is not None and best.entry.id == "lj-geren" and best.phrasing == "个人垃圾混投罚多少"
    assert m.best("办案期限一般多少天") .entry.id == "cf-qixian"
    assert m.best("今天天气怎么样") is None
    assert m.best("") is None and m.ranked("   ") == []
    assert GuideMatcher([], _tokenize, 0.3).best("个人垃圾混投罚多少") is None


def test_meaning_is_mixed_in_when_an_embedder_is_given():
    import numpy as np

    calls = []

    def embed(text):  # one axis per entry's topic: a toy model of meaning
        calls.append(text)
        return np.array([("垃圾" in text) * 1.0, ("期限" in text or "多久" in text) * 1.0, 0.1])

    m = GuideMatcher(entries(entry_json(), DEADLINE), _tokenize, threshold=0.5, embed=embed, dense_weight=0.8)
    best = m.best("多久要结案")  # no shared word with 「办案期限是多少天」, same meaning
    assert best is not None and best.entry.id == "cf-qixian"
    n = len(calls)
    m.best("垃圾")
    assert len(calls) == n + 1  # the phrasings are embedded once
    shared: dict = {}
    GuideMatcher(entries(entry_json(), DEADLINE), _tokenize, 0.5, embed, 0.8, shared).best("多久要结案")
    n = len(calls)
    again = GuideMatcher(entries(entry_json(), DEADLINE), _tokenize, 0.5, embed, 0.8, shared)
    assert again.best("多久要结案").entry.id == "cf-qixian" and len(calls) == n + 1  # only the question


# --- XLSX -----------------------------------------------------------------------------------------
HOSTILE = entry_json("lj-hostile", questions=("=cmd|' /C calc'!A0", "@SUM(1+1)", "+个人垃圾混投罚多少"),
                     answer="-处五十元以上二百元以下罚款。")


def test_xlsx_round_trip_neutralises_formulas():
    es = entries(entry_json(), DEADLINE, HOSTILE)
    data = export_xlsx(es)
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == COLUMNS
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert not [c.value for c in cells if c.value.startswith(("=", "+", "-", "@"))]  # all start with '
    back = [p.entry for p in read_xlsx(data)]
    assert [e.to_json() for e in back] == [e.to_json() for e in es]
    assert {e.source for e in back} == {"导入"}


def _workbook(rows, header=COLUMNS) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("执法问答")
    ws.append(list(header))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(e: dict) -> list:
    qs = e["questions"] + [""] * (5 - len(e["questions"]))
    cits = "\n".join(GuideCitation(c["law"], c["article"], c.get("paragraph")).label() for c in e["citations"])
    return [e["id"], *qs, e["answer"], cits, "；".join(e["facts"]), ""]


def test_a_real_formula_cell_is_refused_not_run():
    row = _row(entry_json())
    row[1] = "=cmd|' /C calc'!A0"
    [p] = read_xlsx(_workbook([row]))
    assert p.entry is None and "问法1：单元格含公式" in p.problems[0]


@pytest.mark.parametrize("data, message", [
    (b"", "文件为空"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "不是 .xlsx 文件"),
    (b"PK\x03\x04" + b"\x00" * 100, "不是 .xlsx 文件"),
])
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(GuideFileError, match=message):
        read_xlsx(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(GuideFileError, match="无法读取"):
        read_xlsx(out.getvalue())


def test_missing_columns_and_size_limits():
    with pytest.raises(GuideFileError, match="表头缺少列：编号"):
        read_xlsx(_workbook([], header=["问法1", "回答", "出处", "要点"]))
    with pytest.raises(GuideFileError, match="文件过大"):
        read_xlsx(_workbook([_row(entry_json())]), max_bytes=100)


def test_ten_thousand_rows_are_refused():
    rows = [_row(entry_json(f"e{i}", questions=(f"问题{i}",))) for i in range(10_000)]
    with pytest.raises(GuideFileError, match="行数超过 2000"):
        read_xlsx(_workbook(rows), max_rows=2000, max_bytes=50_000_000)


def test_empty_cells_are_reported_per_row():
    blank = ["lj-x", "", "", "", "", "", "", "", "", ""]
    [p] = read_xlsx(_workbook([blank, [None] * 10]))  # a fully empty row is skipped
    assert p.where == "第2行" and {"问法为空", "回答为空", "出处为空"} <= set(p.problems)


# --- import: admins only, report, write ----------------------------------------------------------
@pytest.fixture
def guide_settings(tmp_path) -> Settings:
    authored = tmp_path / "authored"
    (authored / "qa_guide").mkdir(parents=True)
    (authored / "qa_guide" / "guide.jsonl").write_text(dumps_jsonl(entries(DEADLINE)), encoding="utf-8")
    return Settings(data_dir=tmp_path / "data", authored_dir=authored, embedder="hashing")


OFFICER = User("zhang", "officer")


def test_a_non_admin_cannot_import(guide_settings):
    data = _workbook([_row(entry_json())])
    for user in (OFFICER, User("li", "trainer")):
        with pytest.raises(PermissionError, match="只有管理员"):
            import_guide(guide_settings, data, FakeArticles(), user)
    assert not imported_path(guide_settings).exists()


def test_import_writes_only_when_valid_or_the_valid_rows_when_asked(guide_settings):
    bad = entry_json("bad", questions=("坏的问法",), citations=({"law": GARBAGE, "article": 99},))
    data = _workbook([_row(entry_json()), _row(bad), _row(DEADLINE)])  # DEADLINE: built in, unchanged
    report = import_guide(guide_settings, data, FakeArticles(), LOCAL)
    assert report.written is None and not imported_path(guide_settings).exists()
    assert report.unchanged_builtin == 1 and [r.id for r in report.rejected] == ["bad"]
    report = import_guide(guide_settings, data, FakeArticles(), User("chief", "admin"), partial=True)
    assert report.written == 1 and "已写入 1 条" in report.summary()
    everything = load_all(guide_settings)
    assert [(e.id, e.source) for e in everything] == [("cf-qixian", "内置"), ("lj-geren", "导入")]
    # the export holds both, and reads back as one built-in row skipped and one entry to import
    again = check_import(guide_settings, export_guide(guide_settings), FakeArticles())
    assert again.all_valid and again.unchanged_builtin == 1 and [e.id for e in again.valid] == ["lj-geren"]


def test_refused_files_write_nothing(guide_settings):
    write_imported(guide_settings, entries(entry_json()))
    before = imported_path(guide_settings).read_bytes()
    for data in (b"", b"not a workbook", _workbook([])):
        report = import_guide(guide_settings, data, FakeArticles(), LOCAL)
        assert report.refused and report.written is None
    assert imported_path(guide_settings).read_bytes() == before


def test_the_catalog_reloads_after_an_import(guide_settings):
    catalog = GuideCatalog(guide_settings)
    first, changed = catalog.entries()
    assert changed and [e.id for e in first] == ["cf-qixian"]
    assert catalog.entries()[1] is False
    write_imported(guide_settings, entries(entry_json()))
    second, changed = catalog.entries()
    assert changed and [e.id for e in second] == ["cf-qixian", "lj-geren"]


# --- the Assistant --------------------------------------------------------------------------------
@pytest.fixture
def guided_assistant(tiny_retriever, tmp_path):
    from assistant.answering.assistant import Assistant

    authored = tmp_path / "authored"
    (authored / "qa_guide").mkdir(parents=True)
    half_known = entry_json("lj-half", questions=("居民垃圾不分类扔拒不改正罚多少",),
                            citations=({"law": GARBAGE, "article": 57, "paragraph": 2},
                                       {"law": GARBAGE, "article": 98}))
    unknown = entry_json("lj-none", questions=("小区垃圾桶旁边乱堆装修垃圾怎么办",),
                         citations=({"law": "上海市不存在条例", "article": 3},), facts=("无",), answer="无")
    (authored / "qa_guide" / "guide.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in (half_known, DEADLINE, unknown)), encoding="utf-8")
    assistant = Assistant(tiny_retriever.settings, retriever=tiny_retriever)
    assistant.guide_catalog = GuideCatalog(tiny_retriever.settings.model_copy(update={"authored_dir": authored,
                                                                                      "data_dir": tmp_path / "d"}))
    return assistant


def test_a_matched_entry_is_attached_beside_the_answer(guided_assistant):
    answer = guided_assistant.ask("行政处罚案件立案以后多久要作出处罚决定？")
    assert answer.guide is not None and answer.guide.entry.id == "cf-qixian"
    assert all(c.law == PENALTY_LAW for c in answer.guide.citations) and not answer.guide.dropped
    md = answer.markdown()
    assert GUIDE_TITLE in md and "九十日内" in md and md.index(GUIDE_TITLE) > md.index("### 法律依据")
    assert GUIDE_TITLE not in answer.summary_markdown()  # the chat page shows it in its own expander
    j = answer.to_json()
    assert j["guide"]["id"] == "cf-qixian" and j["guide"]["citations"][0]["article"] == 60
    assert j["citations"] == [c.to_json() for c in answer.citations]  # the answer's own, from the law
    assert answer.guide.entry.answer not in answer.own_text()  # the guide is not part of the 结论


def test_citations_missing_from_the_index_are_dropped_and_said(guided_assistant):
    g = guided_assistant.match_guide("居民垃圾不分类扔拒不改正罚多少钱")
    assert g is not None and g.entry.id == "lj-half"
    assert [c.article for c in g.citations] == [57] and [c.article for c in g.dropped] == [98]
    answer = guided_assistant.ask("居民垃圾不分类扔拒不改正罚多少钱")
    assert "已删除 1 处在法规库中找不到的出处" in answer.markdown()
    assert "第九十八条" not in answer.markdown()


def test_an_entry_with_no_citation_in_the_index_is_not_shown(guided_assistant):
    assert guided_assistant.match_guide("小区垃圾桶旁边乱堆装修垃圾怎么办") is None


def test_no_match_and_a_broken_guide_leave_the_answer_alone(guided_assistant, monkeypatch):
    assert guided_assistant.ask("今天天气怎么样").guide is None
    monkeypatch.setattr(guided_assistant.guide_catalog, "entries", lambda: (_ for _ in ()).throw(OSError("boom")))
    guided_assistant._guide_matcher = None
    answer = guided_assistant.ask("行政处罚案件立案以后多久要作出处罚决定？")
    assert answer.guide is None and answer.conclusion


# --- the shipped guide (format only; the full tier checks it against the real articles) ---------
def test_the_shipped_guide_parses_and_keeps_the_evaluation_held_out():
    files = sorted((REPO_ROOT / "corpus" / "qa_guide").glob("*.jsonl"))
    parsed = [p for f in files for p in parse_jsonl(f.read_text(encoding="utf-8"))]
    assert len(parsed) >= 40 and all(p.entry for p in parsed), [p.problems for p in parsed if not p.entry]
    shipped = [p.entry for p in parsed]
    assert all(2 <= len(e.questions) <= 5 for e in shipped)
    ids = [e.id for e in shipped]
    assert len(set(ids)) == len(ids)
    from assistant.answering.qa_guide.model import norm_question

    phrasings = [norm_question(q) for e in shipped for q in e.questions]
    assert len(set(phrasings)) == len(phrasings)
    match_set = [json.loads(l) for l in (REPO_ROOT / "evals" / "qa_guide_match.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["expect"] for r in match_set if r["expect"]} <= set(ids)
    assert not {norm_question(r["question"]) for r in match_set} & set(phrasings)
    assert {r["split"] for r in match_set} == {"dev", "test"}


# --- the 法规库 page's 执法问答 tab ------------------------------------------------------------------
SECTION = """
from assistant.config import Settings
from assistant.ui.qa_guide_section import qa_guide_section
qa_guide_section(Settings())
"""
LIBRARY_PAGE = """
from assistant.ui import library_page
library_page.page()
"""
PW = "correct horse battery"


@pytest.fixture
def page_env(tmp_path, monkeypatch, tiny_settings):
    import shutil

    from assistant.accounts.users import UserStore
    from assistant.index.layout import IndexLayout

    data = tmp_path / "data"
    (data / "index").mkdir(parents=True)
    shutil.copyfile(IndexLayout.of(tiny_settings).store, data / "index" / IndexLayout.of(tiny_settings).store.name)
    for key in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_SESSION_HOURS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tmp_path / "corpus"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    settings = Settings()
    store = UserStore.for_settings(settings)
    store.add("chief", PW, "admin")
    store.add("zhang", PW, "officer")
    return settings, store


def _app(script, store, user, pending=None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(script, default_timeout=60)
    at.session_state["auth_token"] = store.sign_in(user, PW)
    if pending is not None:
        at.session_state["qa_pending"] = {"name": "指引.xlsx", "data": pending}
    return at.run()


def test_the_tab_is_for_admins_only(page_env):
    settings, store = page_env
    officer = _app(LIBRARY_PAGE, store, "zhang")
    assert not officer.exception and "执法问答" not in [t.label for t in officer.tabs]
    admin = _app(LIBRARY_PAGE, store, "chief")
    assert not admin.exception and "执法问答" in [t.label for t in admin.tabs]
    assert "导出执法问答（XLSX）" in [b.label for b in admin.get("download_button")]


def test_upload_report_confirm_and_the_officer_refused(page_env):
    from assistant.accounts.audit import AuditLog

    settings, store = page_env
    bad = entry_json("bad", questions=("坏的问法",), citations=({"law": GARBAGE, "article": 99},))
    data = _workbook([_row(entry_json()), _row(bad)])
    officer = _app(SECTION, store, "zhang", data)
    officer.button(key="qa-partial").click().run()
    assert "只有管理员可以导入执法问答" in officer.info[0].value
    assert not imported_path(settings).exists()
    at = _app(SECTION, store, "chief", data)
    assert not at.exception
    assert "可导入 1 条" in at.warning[0].value and "未知出处 1" in at.warning[0].value
    assert list(at.dataframe[0].value["编号"]) == ["bad"]
    assert "qa-confirm" not in [b.key for b in at.button]  # not all valid: only the partial import
    at.button(key="qa-partial").click().run()
    assert not at.exception
    assert [e.id for e in load_jsonl(imported_path(settings))] == ["lj-geren"]
    assert [r.action for r in AuditLog.for_settings(settings).query(action="qa_guide_import")] == ["qa_guide_import"]
    refused = _app(SECTION, store, "chief", b"PK\x03\x04 renamed")
    assert "未导入" in refused.error[0].value and "qa_pending" not in refused.session_state


def test_assistants_over_one_retriever_share_the_phrasing_vectors(tiny_retriever, tmp_path):
    from assistant.answering import assistant as assistant_mod

    settings = tiny_retriever.settings.model_copy(update={"qa_guide_dense": True, "qa_guide_min_similarity": 0.0})
    calls = []
    embedder = tiny_retriever.embedder
    first = assistant_mod.Assistant(settings, retriever=tiny_retriever)
    guide = tmp_path / "authored"
    (guide / "qa_guide").mkdir(parents=True)
    (guide / "qa_guide" / "g.jsonl").write_text(dumps_jsonl(entries(entry_json(), DEADLINE)), encoding="utf-8")
    first.guide_catalog = GuideCatalog(settings.model_copy(update={"authored_dir": guide, "data_dir": tmp_path / "d"}))
    second = assistant_mod.Assistant(settings, retriever=tiny_retriever)
    second.guide_catalog = first.guide_catalog.__class__(first.guide_catalog.settings)
    original = embedder.embed_query
    try:
        embedder.embed_query = lambda text: (calls.append(text), original(text))[1]
        assert first.match_guide("行政处罚案件多久要作出决定") is not None
        assert len(calls) == 4 + 1  # four phrasings and the question
        assert second.match_guide("行政处罚案件多久要作出决定") is not None
        assert len(calls) == 4 + 2  # only the question again
    finally:
        del embedder.embed_query
    assert len(assistant_mod._GUIDE_VECTORS[tiny_retriever]) == 4


def test_a_loose_match_citing_none_of_the_answers_laws_is_not_shown(tiny_settings):
    """「收到复议决定书后多少天内可以起诉」 had been shown the entry on paying fines (行政处罚法第六十七条,
    similarity 0.796) under an answer from 行政诉讼法."""
    from assistant.answering.answer import Answer
    from assistant.answering.assistant import Assistant
    from assistant.answering.qa_guide.match import GuideMatch
    from assistant.answering.qa_guide.model import GuideCitation, GuideEntry
    from assistant.core.models import Chunk, Hit

    assistant = Assistant.__new__(Assistant)
    assistant.settings = tiny_settings.model_copy(update={"qa_guide_sure_similarity": 0.845})
    suit = Chunk("中华人民共和国行政诉讼法", 45, 0, "2017-06-27", "全国", "法律", None, "current", "第四十五条 …", "x.md")
    answer = Answer("q", False, "offline", conclusion="…", basis=[Hit(suit, 1.0)])
    fines = GuideEntry("fk", ("收到罚款决定书几天内要交罚款",), "十五日内。", (GuideCitation("中华人民共和国行政处罚法", 67),))

    def match(score, citation=None):
        return GuideMatch(fines if citation is None else replace_citations(fines, citation), "p", score,
                          (citation or fines.citations[0],))

    assert assistant.agreeing_guide(answer, match(0.796)) is None
    assert assistant.agreeing_guide(answer, match(0.88)) is not None  # a close match stands alone
    same_law = GuideCitation("中华人民共和国行政诉讼法", 46)
    assert assistant.agreeing_guide(answer, match(0.796, same_law)) is not None
    no_basis = Answer("q", True, "offline", conclusion="未找到")
    assert assistant.agreeing_guide(no_basis, match(0.796)) is not None


def replace_citations(entry, citation):
    from dataclasses import replace

    return replace(entry, citations=(citation,))
