"""The LawRefBook parser and user-document parsing on real and on tricky input."""
from __future__ import annotations

import pytest

from ingestion.chunk import MAX_CHUNK_CHARS, chunk_document
from ingestion.lawref import classify_path, parse_lawref
from ingestion.read import SourceError, decode_text
from ingestion.userdocs import parse_user_doc
from tests.full.conftest import LAWREF

GARBAGE = "DLC/上海地方法规/地方性法规/上海/上海市生活垃圾管理条例(2019-01-31).md"


def real(rel: str):
    return parse_lawref((LAWREF / rel).read_text(encoding="utf-8"), rel)


def test_real_file_metadata_and_articles():
    doc = real(GARBAGE)
    assert doc.title == "上海市生活垃圾管理条例"
    assert doc.version == "2019-01-31"
    assert (doc.jurisdiction, doc.level, doc.kind) == ("上海", "地方性法规", "law")
    assert [e.kind for e in doc.history] == ["通过"]
    assert [a.number for a in doc.articles] == list(range(1, 66))
    art57 = doc.articles[56]
    assert art57.label == "第五十七条"
    assert art57.chapter == "第九章 法律责任"
    assert len(art57.paragraphs) == 2  # two 款: 单位 and 个人
    assert art57.paragraphs[1].text.startswith("个人违反本条例第二十四条第一款规定")


def test_items_belong_to_their_paragraph():
    art4 = real(GARBAGE).articles[3]
    assert len(art4.paragraphs) == 2
    assert [i[:3] for i in art4.paragraphs[0].items] == ["（一）", "（二）", "（三）", "（四）"]
    assert art4.paragraphs[1].text.startswith("生活垃圾的具体分类标准")


def test_history_kinds_and_wrapped_lines():
    doc = real("行政法/土地管理法(2019-08-26).md")
    assert [e.kind for e in doc.history] == ["通过", "修正", "修订", "修正", "修正"]
    assert doc.history[-1].date == "2019-08-26"
    assert doc.history[-1].text.endswith("第三次修正")  # the wrapped line was joined


def test_civil_code_part_heading_and_numbering():
    doc = real("民法典/物权编.md")
    assert doc.title == "中华人民共和国民法典"
    assert doc.articles[0].number == 205
    assert doc.history[-1].kind == "施行"
    assert all(h.kind != "其他" for h in doc.history)


def test_in_article_cross_reference_never_starts_an_article():
    text = (
        "# 某某条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 总则内容。\n\n"
        "第二条 违反规定的，责令改正。\n\n"
        "第一条第二款规定的情形除外。\n\n"  # starts with 第一条 but is a reference
        "第一条 规定的期限，依照前款执行。\n\n"  # space after 条, but the number goes backwards
        "第三条 本条例自公布之日起施行。\n"
    )
    doc = parse_lawref(text, "x/某某条例.md")
    assert [a.number for a in doc.articles] == [1, 2, 3]
    assert len(doc.articles[1].paragraphs) == 3


def test_file_without_marker():
    text = "# 无标记条例\n\n2020年1月1日 通过\n\n第一条 内容一。\n\n第二条 内容二。\n"
    doc = parse_lawref(text, "行政法/无标记条例(2020-01-01).md")
    assert [a.number for a in doc.articles] == [1, 2]
    assert doc.history[0].date == "2020-01-01"
    assert doc.version == "2020-01-01"


def test_headings_only_and_empty():
    doc = parse_lawref("# 只有标题\n\n<!-- INFO END -->\n\n## 第一章 总则\n", "a/只有标题.md")
    assert doc.articles == []
    with pytest.raises(SourceError, match="文件为空"):
        parse_lawref("  \n", "a/空.md")
    with pytest.raises(SourceError, match="不是 LawRefBook"):
        parse_lawref("没有标题的文字\n第一条 x", "a/无标题.md")


def test_wrong_encodings_get_clear_errors():
    gbk = "# 某条例\n\n第一条 内容。".encode("gbk")
    with pytest.raises(SourceError, match="GBK"):
        decode_text(gbk, "gbk.md")
    with pytest.raises(SourceError, match="二进制"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "pic.md")
    assert decode_text("\ufeff# 标题".encode("utf-8"), "bom.md") == "# 标题"


def test_classify_path():
    assert classify_path("lawrefbook/DLC/北京地方法规/地方性法规/北京/x.md") == ("law", "地方性法规", "北京")
    assert classify_path("lawrefbook/行政法规/x.md") == ("law", "行政法规", "全国")
    assert classify_path("lawrefbook/司法解释/x.md")[1] == "司法解释"
    assert classify_path("lawrefbook/案例/行政协议诉讼/x.md") == ("case", "案例", "全国")
    assert classify_path("lawrefbook/行政法/x.md") == ("law", "法律", "全国")


def test_cases_chunk_by_section():
    doc = real("案例/行政协议诉讼/王某诉安徽省怀宁县国土资源局土地管理行政出让案.md")
    assert [s.heading for s in doc.sections] == ["基本案情", "裁判结果", "典型意义"]
    chunks = chunk_document(doc)
    assert {c.heading for c in chunks} == {"基本案情", "裁判结果", "典型意义"}
    assert all(c.article is None and c.level == "案例" for c in chunks)


def test_long_article_split_by_paragraph_keeps_header():
    doc = real("DLC/上海地方法规/地方性法规/上海/上海市住宅物业管理规定(2020-12-30).md")
    chunks = chunk_document(doc)
    split = sorted({c.article for c in chunks if c.part > 0})
    assert split, "this law has articles longer than one chunk"
    for number in split:
        article = doc.articles[number - 1]
        parts = [c for c in chunks if c.article == number]
        assert len(article.text) > MAX_CHUNK_CHARS and len(parts) >= 2
        assert all(p.text.startswith(article.label) for p in parts)
        assert all(len(p.text) <= MAX_CHUNK_CHARS + 20 or len(article.paragraphs) == 1 for p in parts)
    assert len({c.id for c in chunks}) == len(chunks)
    # Splitting loses nothing: every paragraph of a split article is in one of its parts.
    for number in split:
        joined = "\n".join(c.text for c in chunks if c.article == number)
        for para in doc.articles[number - 1].paragraphs:
            assert para.full_text in joined


def test_user_docs_txt_and_docx(tmp_path):
    import docx

    txt = "问：个人混投垃圾怎么处理？\n先劝导，拒不改正的依法处罚。\n\n问：夜间施工谁来管？\n由生态环境部门和城管执法部门按职责处理。\n"
    doc = parse_user_doc(txt.encode("utf-8"), "问答指南.txt")
    assert [s.heading for s in doc.sections] == ["问：个人混投垃圾怎么处理？", "问：夜间施工谁来管？"]
    assert doc.level == "内部文件"

    d = docx.Document()
    d.add_heading("一、垃圾分类", level=1)
    d.add_paragraph("单位混投的，责令改正。")
    d.add_heading("二、违法建筑", level=1)
    d.add_paragraph("新增违建发现即拆。")
    path = tmp_path / "指南.docx"
    d.save(path)
    doc = parse_user_doc(path.read_bytes(), "指南.docx")
    assert [s.heading for s in doc.sections] == ["一、垃圾分类", "二、违法建筑"]
    with pytest.raises(SourceError, match="Word"):
        parse_user_doc(b"PK\x03\x04 not really a docx", "坏.docx")
    with pytest.raises(SourceError, match="不支持"):
        parse_user_doc(b"x", "表格.xlsx")


def test_every_title_of_the_library_is_read_back_from_a_citation():
    """However a reply writes a citation (《…》 with a version note, bare, in a list, the title's
    own 《》 as 〈〉), it resolves to the library's title: a citation the finder cannot tie to its
    law is removed from a verified reply (「未能确定所引的是哪部法规」)."""
    from assistant.answering.verify import find_citations
    from assistant.core.render import article_label
    from assistant.retrieval.lawnames import LawNames

    titles = set()
    for path in LAWREF.rglob("*.md"):
        try:
            titles.add(parse_lawref(path.read_text(encoding="utf-8"), str(path.relative_to(LAWREF))).title)
        except SourceError:  # _index.md and the like: not a law
            continue
    titles = sorted(titles)
    assert len(titles) > 300
    names = LawNames(titles)
    unread = []
    for title in titles:
        for text in (f"依据{article_label(title, 12)}处理。", f"依据《{title}》（2020年版）第12条处理。",
                     f"依据{title}第12条处理。", f"《{title}》第12条、第13条"):
            found = find_citations(text, names)
            if not found or found[0][1] != title:
                unread.append(text)
    assert unread == []
