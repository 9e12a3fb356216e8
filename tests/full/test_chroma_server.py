"""Ingest and search against a real `chroma run` server on 127.0.0.1."""
from __future__ import annotations

import shutil
import socket
import subprocess

import pytest

from assistant.config import Settings
from assistant.index.layout import IndexLayout
from assistant.retrieval.retriever import Retriever
from ingestion.pipeline import ingest
from tests.full.conftest import copy_corpus, wait_for_http

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma")
    assert exe, "the chroma CLI comes with chromadb; it must be on PATH"
    port = _free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "server-db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, "chroma run")
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_ingest_and_search_through_http_server(tmp_path, chroma_server, vector_cache_dir, built):
    corpus = copy_corpus(tmp_path / "corpus", ["DLC/上海地方法规/地方性法规/上海/上海市生活垃圾管理条例(2019-01-31).md"])
    settings = Settings(data_dir=tmp_path / "data", corpus_path=corpus, cache_path=vector_cache_dir,
                        chroma_mode="http", chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = ingest(settings)
    assert report.chunks == 65 and report.embedded == report.vectors_total
    assert not IndexLayout.of(settings).chroma.exists()  # nothing was written locally by Chroma

    retriever = Retriever(settings)
    assert retriever.collection.count() == report.vectors_total
    result = retriever.search("单位垃圾不分类拒不改正罚多少")
    assert result.mode == "hybrid"
    assert any(h.chunk.article == 57 and h.dense_rank for h in result.hits)
    dense_only = retriever.search("单位垃圾不分类拒不改正罚多少", mode="dense")
    assert dense_only.hits and all(h.dense_score for h in dense_only.hits)
    assert ingest(settings).embedded == 0  # the server keeps the vectors
