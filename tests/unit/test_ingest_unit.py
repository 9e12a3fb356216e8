"""Parsing, chunking, incremental ingest and the library reader on the tiny inline corpus."""
from __future__ import annotations

import shutil

from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore
from ingestion.chunk import chunk_document, index_entries
from ingestion.lawref import parse_lawref
from ingestion.library import Library
from ingestion.pipeline import ingest
from tests.unit.conftest import tiny_settings_for
from tests.unit.tiny_corpus import (
    BEIJING,
    ENFORCEMENT,
    FILES,
    GARBAGE,
    GREEN,
    NOISE,
    PENALTY_LAW,
    PROPERTY,
)

GARBAGE_PATH = next(p for p in FILES if GARBAGE in p)
NOISE_PATH = next(p for p in FILES if "噪声" in p)


def test_parse_structure_history_and_references():
    doc = parse_lawref(FILES[GARBAGE_PATH], GARBAGE_PATH)
    assert (doc.title, doc.version, doc.jurisdiction, doc.level, doc.kind) == (
        GARBAGE, "2019-01-31", "上海", "地方性法规", "law")
    assert [a.number for a in doc.articles] == [1, 2, 22, 24, 57, 58]
    assert doc.history[0].kind == "通过" and doc.history[0].date == "2019-01-31"
    a57 = next(a for a in doc.articles if a.number == 57)
    assert a57.chapter == "第七章 法律责任" and len(a57.paragraphs) == 2
    chunks = {c.article: c for c in chunk_document(doc)}
    # 「违反本条例第二十二条」: the penalty article is indexed with the conduct it punishes.
    assert chunks[57].context and chunks[57].context.startswith("第二十二条 个人应当")


def test_an_undated_text_shows_the_date_it_says_it_took_effect():
    """上海市养犬管理条例.md has no date and no history lines: its citations said only 「版本日期未知」.
    Its last article says 「本条例自2011年5月15日起施行」, which tells an officer how old the text is;
    it is shown beside 「版本日期未知」, never as the version (an amended text keeps that sentence)."""
    from assistant.core.render import version_line

    undated = "# 上海市某某条例\n\n<!-- INFO END -->\n\n第一条 为了……，制定本条例。\n\n第二条 本条例自2011年5月15日起施行。\n"
    path = "DLC/上海地方法规/地方性法规/上海/上海市某某条例.md"
    doc = parse_lawref(undated, path)
    assert doc.version is None and [(h.date, h.kind) for h in doc.history] == [("2011-05-15", "施行")]
    chunks = chunk_document(doc)
    assert {c.in_force_since for c in chunks} == {"2011-05-15"}
    assert version_line(chunks[0]) == "版本日期未知（条文载明2011-05-15起施行） · 上海 · 地方性法规 · 未能确认是否现行"
    # A dated file keeps its version and says nothing more; its chunks keep the hash they had.
    dated = parse_lawref(FILES[GARBAGE_PATH], GARBAGE_PATH)
    assert all(c.in_force_since is None for c in chunk_document(dated))
    # An undated text that states no date stays as it was.
    bare = parse_lawref(undated.replace("本条例自2011年5月15日起施行。", "本条例由市人民政府组织实施。"), path)
    assert bare.history == [] and chunk_document(bare)[0].in_force_since is None


def test_zero_width_characters_hide_no_article():
    """行政复议法(2023-09-01).md has a line holding only U+200B before 「第一条 …」: the article had
    been lost; a zero-width character inside a word is dropped too."""
    from ingestion.read import decode_text

    text = FILES[GARBAGE_PATH].replace("第一条", "\u200b\n\n第一条", 1).replace("生活垃圾", "生活\u200b垃圾")
    doc = parse_lawref(decode_text(text.encode("utf-8"), GARBAGE_PATH), GARBAGE_PATH)
    assert [a.number for a in doc.articles] == [1, 2, 22, 24, 57, 58]
    assert not any("\u200b" in a.text for a in doc.articles)
    assert any("生活垃圾" in a.text for a in doc.articles)


def test_full_width_digits_are_read_as_numbers():
    """行政执法机关移送涉嫌犯罪案件的规定 writes 「３日内」「２４小时内」: its time limits had been
    invisible to every pattern that finds one, and its articles answered 「没有规定所问的期限」."""
    from assistant.answering.matching import TIME_LIMIT
    from ingestion.read import decode_text

    text = FILES[GARBAGE_PATH].replace("第一条", "第一条 自接到报告之日起３日内作出决定，应当在２４小时内移送。", 1)
    doc = parse_lawref(decode_text(text.encode("utf-8"), GARBAGE_PATH), GARBAGE_PATH)
    first = doc.articles[0].text
    assert "3日内" in first and "24小时内" in first and "３" not in first
    assert [m.group(0) for m in TIME_LIMIT.finditer(first)][:2] == ["3日内", "24小时内"]


def test_full_width_digits_in_a_docx_are_numbers_too():
    import io

    import docx

    from ingestion.userdocs import parse_user_doc

    d = docx.Document()
    d.add_heading("上海市测试管理办法", level=1)
    d.add_paragraph("第一条 当事人应当自收到通知之日起１５日内改正。")
    d.add_paragraph("第二条 本办法自２０２５年１月１日起施行。")
    buf = io.BytesIO()
    d.save(buf)
    doc = parse_user_doc(buf.getvalue(), "上海市测试管理办法.docx")
    read = "\n".join([a.text for a in doc.articles] + [s.text for s in doc.sections])
    assert "15日内" in read and "１" not in read


def test_items_and_views():
    doc = parse_lawref(FILES[NOISE_PATH], NOISE_PATH)
    a77 = next(a for a in doc.articles if a.number == 77)
    assert len(a77.paragraphs) == 1 and len(a77.paragraphs[0].items) == 2
    chunk = next(c for c in chunk_document(doc) if c.article == 77)
    entries = index_entries(chunk)
    assert entries[0] == (chunk.id, chunk.index_text)
    assert [e for e, _ in entries[1:]] == [f"{chunk.id}#1", f"{chunk.id}#2", f"{chunk.id}#3"]
    assert "超过噪声排放标准" in entries[2][1] and "有下列行为之一" in entries[2][1]


def test_library_reader_matches_the_parser(tiny_corpus):
    library = Library.read(tiny_corpus)
    assert library.titles == {GARBAGE, PROPERTY, NOISE, BEIJING, ENFORCEMENT, PENALTY_LAW, GREEN}
    assert library.current(GREEN).version == "2018-12-20"  # dated by its history line
    assert [d.version for d in library.versions(PROPERTY)] == ["2010-12-23", "2020-12-30"]
    assert library.current(PROPERTY).version == "2020-12-30"
    assert "二万元以上二十万元以下" in Library.articles(library.current(PROPERTY))[83]
    assert "一万元以上十万元以下" in Library.articles(library.version(PROPERTY, "2010-12-23"))[83]
    assert library.version(PROPERTY, "1999-01-01") is None


def test_incremental_reingest_and_status(tmp_path, tiny_corpus):
    corpus = tmp_path / "corpus"
    shutil.copytree(tiny_corpus, corpus)
    settings = tiny_settings_for(tmp_path / "data", corpus)
    first = ingest(settings)
    assert first.added == first.chunks == 18  # one chunk per article of the eight files
    again = ingest(settings)
    assert (again.added, again.changed, again.removed, again.embedded) == (0, 0, 0, 0)
    path = corpus / "lawrefbook" / GARBAGE_PATH
    path.write_text(path.read_text(encoding="utf-8").replace("五十元以上二百元以下", "一百元以上五百元以下"),
                    encoding="utf-8")
    changed = ingest(settings)
    assert (changed.added, changed.changed, changed.removed) == (0, 1, 0)
    assert 0 < changed.embedded < first.embedded  # only the changed article's entries
    layout = IndexLayout.of(settings)
    status = layout.read_vector_status()
    assert status.ready and status.total == changed.vectors_total
    store = ChunkStore(layout.store)
    assert "一百元以上五百元以下" in store.article(GARBAGE, 57)[0].text
    store.close()


def test_a_decision_numbered_without_articles_is_read_by_points():
    """Three 决定 of the library number 一、二、 and have no 第N条: they are indexed, not skipped."""
    text = ("# 上海市人民代表大会常务委员会关于某事项的决定\n\n2021年6月23日 通过\n\n<!-- INFO END -->\n\n"
            "为了推进某事项，特作如下决定：\n\n一、本市推进某事项。\n\n市人民政府应当加强领导。\n\n"
            "二、本决定自公布之日起施行。\n")
    doc = parse_lawref(text, "DLC/上海地方法规/地方性法规/上海/关于某事项的决定(2021-06-23).md")
    assert doc.articles == []
    assert [s.heading for s in doc.sections] == ["序言", "第一点", "第二点"]
    assert "市人民政府应当加强领导" in doc.sections[1].text
    assert len(chunk_document(doc)) == 3


def test_vector_entries_core_first_and_the_article_policy(tiny_settings):
    from ingestion.pipeline import Indexer

    indexer = Indexer(tiny_settings.model_copy(update={"vector_entries": "all"}))
    everything = indexer.vector_entries()
    core = [indexer.is_core(c) for _, _, c in everything]
    assert core[0] and core == sorted(core, reverse=True)  # core regulations' entries first
    assert everything[-1][2].status == "superseded"  # old versions last
    articles = Indexer(tiny_settings).vector_entries()  # the default policy
    assert tiny_settings.vector_entries == "article"
    assert {e for e, _, _ in articles if "#p" not in e} == {c.id for c in indexer.store.all_chunks()}
    assert all("#" not in e or "#p" in e for e, _, _ in articles)  # no 款/项 views, phrasings kept
    assert len(articles) < len(everything)


def test_a_misspelt_title_is_a_version_of_its_law():
    """LawRefBook's 2019 text of the 风貌保护条例 is titled 「…优秀历史筑保护条例」: under that title it
    was a second law, and the undated older text stayed 现行有效 beside it (blind review H30)."""
    from assistant.config import Settings
    from ingestion.versions import assign_status, correct_titles, load_title_corrections

    right = "上海市历史文化风貌区和优秀历史建筑保护条例"
    older = parse_lawref(f"# {right}\n\n<!-- INFO END -->\n\n第一条 为了加强保护，制定本条例。\n", "a.md")
    newer = parse_lawref("# 上海市历史文化风貌区和优秀历史筑保护条例\n\n2019年9月26日 上海市第十五届人民代表大会常务委员会"
                         f"第十四次会议《关于修改〈{right}〉的决定》第三次修正\n\n<!-- INFO END -->\n\n"
                         "第一条 为了加强保护，制定本条例。\n", "b(2019-09-26).md")
    correct_titles([older, newer], load_title_corrections(Settings().authored_dir / "title_corrections.tsv"))
    assign_status([older, newer], {})
    assert older.title == newer.title == right
    assert (older.status, newer.status) == ("superseded", "current")


def test_an_empty_or_missing_library_is_reported_not_crashed(tmp_path):
    """bm25s cannot index nothing: 「assistant ingest」 on an empty or missing folder had ended in
    「出现内部错误」. It now says what it found, and the empty index answers 「未找到可靠依据」."""
    from assistant.retrieval.retriever import Retriever

    empty = tmp_path / "empty"
    empty.mkdir()
    settings = tiny_settings_for(tmp_path / "data", empty)
    report = ingest(settings)
    assert report.documents == 0 and report.errors == []
    assert any("没有找到可读取的法规或文档文件" in w for w in report.warnings)
    assert Retriever(settings).search("跨门营业怎么罚").no_basis
    missing = ingest(tiny_settings_for(tmp_path / "data2", tmp_path / "nowhere"))
    assert missing.documents == 0 and any("路径不存在" in e for e in missing.errors)


def test_a_law_the_corpus_says_is_repealed_is_superseded():
    """上海市气象条例 (2024) 第四十一条: 「…通过的《上海市实施〈中华人民共和国气象法〉办法》同时废止」. The
    办法 had stayed 现行有效 and answered blind review I05 with its repealed fines; eight laws of the
    library are repealed so."""
    from ingestion.versions import assign_status, stated_repeals

    old = parse_lawref("# 上海市实施《中华人民共和国气象法》办法\n\n<!-- INFO END -->\n\n第一条 为了实施气象法，制定本办法。\n",
                       "a.md")
    new = parse_lawref("# 上海市气象条例\n\n<!-- INFO END -->\n\n第四十一条 本条例自2024年11月1日起施行。2006年10月26日"
                       "上海市第十二届人民代表大会常务委员会第三十一次会议通过的《上海市实施〈中华人民共和国气象法〉办法》同时废止。\n",
                       "b(2024-09-27).md")
    unrelated = parse_lawref("# 上海市统计条例\n\n<!-- INFO END -->\n\n第一条 依照《中华人民共和国统计法》，制定本条例。\n", "c.md")
    repeals = stated_repeals([old, new, unrelated])
    assert repeals == {"上海市实施《中华人民共和国气象法》办法": "上海市气象条例"}
    assign_status([old, new, unrelated], repeals)
    assert (old.status, new.status, unrelated.status) == ("superseded", "current", "current")
    assert old.replaced_by == "上海市气象条例"
