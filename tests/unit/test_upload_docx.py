"""Issue #13 acceptance, upload: a real .docx regulation built here with python-docx, uploaded
through the 法规库 page (AppTest: the same session keys the file uploader and 「解析」 fill), is
searchable article by article; an upload interrupted half-way — after parsing, inside the store's
write, or after the store's commit while the search index is rebuilt — leaves no part of the
document in the index: the ChunkStore's laws and chunk count are as before, and so is a search."""
from __future__ import annotations

import io

from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore
from ingestion.uploads import uploads_dir
from tests.unit.test_library import _run, _upload, lib_env  # noqa: F401 — lib_env is a fixture

TITLE = "上海市测试管理办法"
PHRASE = "青瓷花盆"
ARTICLES = [
    "第一条 为了加强本市测试管理，维护市容环境整洁，制定本办法。",
    "第二条 本办法适用于本市行政区域内的测试管理活动。",
    "第三条 市城管执法部门负责本办法的组织实施。",
    f"第四条 禁止在阳台外侧、窗台等处摆放{PHRASE}等容易坠落的物品。",
    "第五条 违反本办法第二条规定的，由城管执法部门责令改正。",
    f"第六条 违反本办法第四条规定摆放{PHRASE}，拒不改正的，由城管执法部门处五十元以上五百元以下罚款。",
    "第七条 本办法自2025年1月1日起施行。",
]


def regulation_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    d.add_paragraph("（2024年12月1日上海市人民政府令第1号公布）")
    d.add_heading("第一章 总则", level=2)
    for text in ARTICLES[:3]:
        d.add_paragraph(text)
    d.add_heading("第二章 管理规定", level=2)
    d.add_paragraph(ARTICLES[3])
    d.add_heading("第三章 法律责任", level=2)
    for text in ARTICLES[4:]:
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _state(settings) -> tuple[list, int, set]:
    """(laws, chunk count, documents) of the chunk store."""
    store = ChunkStore(IndexLayout.of(settings).store, read_only=True)
    try:
        return store.laws(), store.count(), set(store.document_roots())
    finally:
        store.close()


def _found(settings) -> list:
    from assistant.retrieval.retriever import Retriever

    return [h for h in Retriever(settings).search(f"阳台摆放{PHRASE}", k=5).hits if h.chunk.law == TITLE]


def test_uploaded_docx_regulation_is_searchable(lib_env):  # noqa: F811
    before = _state(lib_env)
    at = _upload(_run(lib_env), f"{TITLE}.docx", regulation_docx())
    assert not at.exception
    assert f"待入库：{TITLE}" in " ".join(m.value for m in at.markdown)
    at.button(key="lib-confirm").click().run()
    assert not at.exception and f"已入库：{TITLE}" in at.success[0].value
    laws, count, docs = _state(lib_env)
    assert count > before[1] and TITLE in {law["title"] for law in laws} and TITLE in {t for t, _ in docs}
    hits = _found(lib_env)
    assert hits, "the uploaded regulation is not found by its distinctive phrase"
    text = " ".join(h.chunk.text for h in hits)
    assert ARTICLES[3] in text or ARTICLES[5] in text  # the article with the phrase, word for word
    assert "五十元以上五百元以下" in text or "阳台外侧" in text
    # Cited like the library's regulations: by article number, with the version from 公布.
    assert {h.chunk.article for h in hits} & {4, 6}
    assert all(h.chunk.version == "2024-12-01" for h in hits)


def _interrupted(lib_env, monkeypatch, target, name):  # noqa: F811
    before = _state(lib_env)
    before_hits = _found(lib_env)

    def killed(*args, **kwargs):
        raise RuntimeError("killed half-way")

    original = getattr(target, name)
    monkeypatch.setattr(target, name, killed)
    at = _upload(_run(lib_env), f"{TITLE}.docx", regulation_docx())
    at.button(key="lib-confirm").click().run()
    assert at.exception  # the page run was stopped
    # Not monkeypatch.undo(): that would also drop lib_env's ASSISTANT_DATA_DIR (the real data dir!).
    monkeypatch.setattr(target, name, original)
    from assistant.config import Settings

    assert Settings().data_dir == lib_env.data_dir
    assert _state(lib_env) == before  # laws, chunk count and documents: as before
    assert not (uploads_dir(lib_env) / f"{TITLE}.docx").exists()
    assert [p.name for p in uploads_dir(lib_env).iterdir()] == []  # no .partial either
    assert _found(lib_env) == before_hits == []
    # What the next ingest of the uploads folder (another upload, a delete, 重建索引) sees: nothing.
    from assistant.ui.library_page import reingest_uploads

    reingest_uploads(lib_env)
    assert _state(lib_env) == before and _found(lib_env) == []
    # And the same upload, done again without interruption, goes in whole.
    at = _upload(_run(lib_env), f"{TITLE}.docx", regulation_docx())
    at.button(key="lib-confirm").click().run()
    assert not at.exception and _found(lib_env)


def test_interrupted_after_parsing(lib_env, monkeypatch):  # noqa: F811
    from ingestion import pipeline

    _interrupted(lib_env, monkeypatch, pipeline, "chunk_document")


def test_interrupted_inside_the_store_write(lib_env, monkeypatch):  # noqa: F811
    """The chunk rows are written, the document rows fail: the transaction rolls back."""
    from assistant.index import store

    _interrupted(lib_env, monkeypatch, store, "_doc_summary")


def test_interrupted_after_the_store_commit(lib_env, monkeypatch):  # noqa: F811
    """The rows are committed and the keyword index is being rebuilt when the run stops."""
    from ingestion.pipeline import Indexer

    _interrupted(lib_env, monkeypatch, Indexer, "rebuild_lexical")
