"""Ingestion: incremental updates, summaries, bad files, user documents."""
from __future__ import annotations

import shutil

from assistant.config import Settings
from assistant.index.store import ChunkStore
from ingestion.pipeline import Indexer, ingest
from tests.full.conftest import copy_corpus

LAW = "DLC/上海地方法规/地方性法规/上海/上海市生活垃圾管理条例(2019-01-31).md"


def _settings(tmp_path, corpus, cache):
    return Settings(data_dir=tmp_path / "data", corpus_path=corpus, cache_path=cache)


def test_incremental_reingest(tmp_path, vector_cache_dir, built):
    corpus = copy_corpus(tmp_path / "corpus", [LAW])
    settings = _settings(tmp_path, corpus, vector_cache_dir)
    progress = []
    first = ingest(settings, progress=lambda stage, done, total: progress.append((stage, done, total)))
    assert (first.documents, first.articles, first.chunks) == (1, 65, 65)
    store = ChunkStore(settings.index_dir / "store.sqlite")
    indexer = Indexer(settings)
    entries: dict[int, list[str]] = {}  # the entries that get a vector, by article (the policy decides which)
    for entry_id, _, chunk in indexer.vector_entries():
        entries.setdefault(chunk.article, []).append(entry_id)
    total = sum(len(e) for e in entries.values())
    assert first.added == 65 and first.embedded == first.vectors_total == total
    assert ("向量", total, total) in progress

    again = ingest(settings)
    assert (again.added, again.changed, again.removed, again.embedded) == (0, 0, 0, 0)

    # Edit one article, delete another: exactly those chunks change.
    path = corpus / "lawrefbook" / LAW
    text = path.read_text(encoding="utf-8")
    text = text.replace("处五十元以上二百元以下罚款", "处一百元以上五百元以下罚款")
    start = text.index("第六十五条")
    text = text[:start]
    path.write_text(text, encoding="utf-8")
    edited = ingest(settings)
    assert (edited.added, edited.changed, edited.removed) == (0, 1, 1)
    # Only article 57's entries (the article, its phrasings, and its 款 views under the "all"
    # policy) are embedded again; article 65's are deleted.
    assert edited.embedded == len(entries[57])
    assert edited.vectors_removed == len(entries[65])
    assert "一百元以上五百元以下" in store.article("上海市生活垃圾管理条例", 57)[0].text
    assert store.article("上海市生活垃圾管理条例", 65) == []


def test_bad_files_are_reported_and_nothing_of_them_is_indexed(tmp_path, vector_cache_dir, built):
    corpus = copy_corpus(tmp_path / "corpus", [LAW])
    bad = corpus / "lawrefbook" / "行政法"
    bad.mkdir(parents=True)
    (bad / "坏编码法(2020-01-01).md").write_bytes("# 坏编码法\n\n第一条 内容。".encode("gbk"))
    (bad / "二进制(2020-01-01).md").write_bytes(b"\x00\x01\x02\x03binary")
    (bad / "空文件.md").write_text("", encoding="utf-8")
    (bad / "只有标题.md").write_text("# 只有标题\n\n<!-- INFO END -->\n\n## 第一章 总则\n", encoding="utf-8")
    settings = _settings(tmp_path, corpus, vector_cache_dir)
    report = ingest(settings, vectors=False)
    assert report.documents == 1 and report.chunks == 65
    joined = "\n".join(report.errors)
    assert "坏编码法(2020-01-01).md" in joined and "GBK" in joined
    assert "二进制" in joined and "空文件.md" in joined
    assert any("只有标题" in w for w in report.warnings)
    store = ChunkStore(settings.index_dir / "store.sqlite")
    assert {c.law for c in store.all_chunks()} == {"上海市生活垃圾管理条例"}


def test_missing_corpus_never_wipes_the_index(tmp_path, vector_cache_dir, built):
    corpus = copy_corpus(tmp_path / "corpus", [LAW])
    settings = _settings(tmp_path, corpus, vector_cache_dir)
    ingest(settings, vectors=False)
    shutil.rmtree(corpus)
    report = ingest(settings, vectors=False)
    assert report.errors and "不存在" in report.errors[0]
    assert ChunkStore(settings.index_dir / "store.sqlite").count() == 65


def test_user_documents_are_searchable(tmp_path, vector_cache_dir, built):
    from assistant.retrieval.retriever import Retriever

    docs = tmp_path / "mydocs"
    docs.mkdir()
    (docs / "执法问答指南.txt").write_text(
        "问：跨门营业怎么认定？\n店铺超出门窗外墙摆放商品即为跨门营业，先教育后处罚。\n\n"
        "问：犬只扰民怎么处理？\n转公安机关处理。\n", encoding="utf-8")
    (docs / "旧文件.txt").write_bytes("GBK 编码的内部文件".encode("gbk"))
    corpus = copy_corpus(tmp_path / "corpus", [LAW])
    settings = Settings(data_dir=tmp_path / "data", corpus_path=corpus, user_docs_path=docs,
                        cache_path=vector_cache_dir)
    report = ingest(settings)
    assert report.documents == 2
    assert any("旧文件.txt" in e for e in report.errors)
    result = Retriever(settings).search("跨门营业怎么认定")
    assert result.hits[0].chunk.law == "执法问答指南"
    assert result.hits[0].chunk.heading == "问：跨门营业怎么认定？"


def test_interrupted_vector_build_resumes(tmp_path, vector_cache_dir, built):
    corpus = copy_corpus(tmp_path / "corpus", [LAW])
    settings = _settings(tmp_path, corpus, vector_cache_dir)
    settings.embed_batch_size = 10
    settings.cache_path = tmp_path / "fresh-cache"  # embed for real, so the run can be interrupted mid-way
    indexer = Indexer(settings)
    indexer.ingest_lexical([__import__("ingestion.pipeline", fromlist=["SourceRoot"]).SourceRoot(corpus, True)])

    class Stop(Exception):
        pass

    def stop_after_two_batches(stage, done, total):
        if done >= 20:
            raise Stop

    try:
        indexer.build_vectors(progress=stop_after_two_batches)
    except Stop:
        pass
    assert indexer.layout.read_vector_status().state == "building"
    report = indexer.build_vectors()
    assert report.embedded == report.vectors_total - 20  # only what the first run did not finish
    total = report.vectors_total
    status = indexer.layout.read_vector_status()
    assert (status.state, status.done, status.total) == ("ready", total, total)
