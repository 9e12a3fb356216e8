"""Typical cases (issue #8 item 6): a 基本案情 / 处理结果 / 典型意义 document (uploaded .md, .txt or
.docx) is a case; an answer shows the cases that cite one of its articles, and no other."""
from __future__ import annotations

import io

import pytest

from assistant.answering.assistant import Assistant
from ingestion.userdocs import is_typical_case, parse_user_doc
from tests.unit.conftest import tiny_settings_for
from tests.unit.tiny_corpus import GARBAGE

CASE_MD = f"""# 某小区居民混投垃圾案

## 基本案情
2024年5月，某小区居民王某多次将湿垃圾与干垃圾混合投放，经劝导拒不改正。

## 处理结果
城管执法部门依据《{GARBAGE}》第五十七条第二款，对王某处五十元罚款。

## 典型意义
个人混投拒不改正的，先责令改正，拒不改正再处罚。
"""
OTHER_CASE = """某店铺跨门营业案
基本案情
某店铺超出门窗经营。
处理结果
依据《上海市市容环境卫生管理条例》第二十五条处罚。
"""


def case_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("某单位未分类投放垃圾案", level=1)
    d.add_heading("一、基本案情", level=2)
    d.add_paragraph("某公司食堂将餐厨垃圾与其他垃圾混合投放。")
    d.add_heading("二、处理结果", level=2)
    d.add_paragraph(f"城管执法部门依据《{GARBAGE}》第五十七条第一款处五千元罚款。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_case_documents_are_recognised_whatever_the_format():
    md = parse_user_doc(CASE_MD.encode(), "uploads/case.md")
    assert (md.kind, md.level, md.title) == ("case", "案例", "某小区居民混投垃圾案")
    assert [s.heading for s in md.sections] == ["基本案情", "处理结果", "典型意义"]
    txt = parse_user_doc(OTHER_CASE.encode(), "uploads/case.txt")
    assert txt.kind == "case" and txt.title == "某店铺跨门营业案"
    word = parse_user_doc(case_docx(), "uploads/case.docx")
    assert word.kind == "case" and word.title == "某单位未分类投放垃圾案"
    memo = parse_user_doc("工作要求\n一、基本情况\n今年垃圾分类工作进展顺利。".encode(), "uploads/memo.txt")
    assert memo.kind == "user_doc" and not is_typical_case(memo.sections)


@pytest.fixture(scope="module")
def case_assistant(tmp_path_factory, tiny_corpus):
    from ingestion.pipeline import ingest

    docs = tmp_path_factory.mktemp("cases")
    (docs / "居民混投.md").write_text(CASE_MD, encoding="utf-8")
    (docs / "跨门营业.txt").write_text(OTHER_CASE, encoding="utf-8")
    (docs / "单位混投.docx").write_bytes(case_docx())
    settings = tiny_settings_for(tmp_path_factory.mktemp("case-data"), tiny_corpus).model_copy(
        update={"user_docs_path": docs})
    assert not ingest(settings, vectors=False).errors
    return Assistant(settings)


def test_an_answer_shows_the_cases_citing_its_article(case_assistant):
    answer = case_assistant.ask("个人垃圾混投拒不改正罚多少？")
    assert answer.citations[0].label() == f"《{GARBAGE}》第57条"
    assert set(answer.case_titles()) == {"某小区居民混投垃圾案", "某单位未分类投放垃圾案"}
    parts = [h.chunk.heading for h in answer.cases if h.chunk.law == "某小区居民混投垃圾案"]
    assert parts == ["基本案情", "处理结果", "典型意义"]
    assert "相关典型案例（引用了上述条文）" in answer.markdown() and "某店铺跨门营业案" not in answer.markdown()


def test_an_answer_on_another_article_shows_no_case(case_assistant):
    answer = case_assistant.ask("损坏房屋承重结构怎么处罚？")
    assert not answer.no_basis and answer.cases == []
