"""Uploaded files written as articles are parsed into articles (cited by number); other files
keep headed sections. Pure: bytes in, Document out."""
from __future__ import annotations

from ingestion.userdocs import parse_user_doc

REGULATION = """上海市某某管理规定

（2023年5月6日上海市人民政府令第9号公布）

第一章 总则
第一条　为了规范某某管理，制定本规定。
第二条　本规定适用于本市。
第二章 法律责任
第三条　违反本规定第二条的，由城管执法部门处二百元以上二千元以下罚款：
（一）未经许可擅自设置的；
（二）逾期不拆除的。
第四条　本规定自2023年7月1日起施行。
"""


def test_a_text_file_written_as_articles_becomes_articles():
    doc = parse_user_doc(REGULATION.encode("utf-8"), "uploads/规定.txt")
    assert doc.title == "上海市某某管理规定"
    assert doc.kind == "law" and doc.jurisdiction == "内部" and doc.level == "内部文件"
    assert doc.version == "2023-05-06"
    assert [a.number for a in doc.articles] == [1, 2, 3, 4]
    third = doc.articles[2]
    assert third.chapter == "第二章 法律责任"
    assert third.paragraphs[0].items == ["（一）未经许可擅自设置的；", "（二）逾期不拆除的。"]
    assert not doc.sections


def test_a_memo_quoting_two_articles_stays_a_sectioned_document():
    memo = "关于某某工作的通知\n一、工作要求\n第三条 规定的情形，按下列办法处理。\n第五条 的情形另行通知。\n二、其他\n请各单位执行。"
    doc = parse_user_doc(memo.encode("utf-8"), "uploads/通知.txt")
    assert doc.kind == "user_doc" and not doc.articles
    assert [s.heading for s in doc.sections] == ["正文", "一、工作要求", "二、其他"]


def test_an_undated_regulation_has_no_version():
    text = REGULATION.replace("（2023年5月6日上海市人民政府令第9号公布）", "")
    doc = parse_user_doc(text.encode("utf-8"), "uploads/规定.txt")
    assert doc.version is None and len(doc.articles) == 4
