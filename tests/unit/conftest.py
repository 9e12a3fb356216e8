"""Fast-tier fixtures: the tiny inline library, indexed once per session with real jieba, real
BM25 and a real embedded Chroma, but the model-free hashing embedder."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from tests.unit.tiny_corpus import write_authored_triage, write_corpus


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("tiny-corpus"))


def tiny_settings_for(data_dir: Path, corpus: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, corpus_path=corpus, embedder="hashing", user_docs_path=None,
                    llm_base_url=None, llm_model=None, **overrides)


def mini_library_assistant(tmp_path_factory, name: str, files: list[tuple[str, str]]):
    """An Assistant over a library of its own: (path under lawrefbook/, text) pairs, ingested with
    the fast tier's settings (for a test that needs articles the tiny library lacks)."""
    from assistant.answering.assistant import Assistant
    from ingestion.pipeline import ingest

    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    for rel, text in files:
        path = corpus / "lawrefbook" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    settings = tiny_settings_for(tmp_path_factory.mktemp(f"{name}-data"), corpus)
    assert ingest(settings).errors == []
    return Assistant(settings)


@pytest.fixture(scope="session")
def tiny_settings(tmp_path_factory, tiny_corpus) -> Settings:
    from ingestion.pipeline import ingest

    settings = tiny_settings_for(tmp_path_factory.mktemp("tiny-data"), tiny_corpus)
    report = ingest(settings)
    assert report.errors == [] and report.documents == 8
    assert report.embedded == report.vectors_total >= report.chunks
    return settings


@pytest.fixture(scope="session")
def tiny_retriever(tiny_settings):
    from assistant.retrieval.retriever import Retriever

    return Retriever(tiny_settings)


@pytest.fixture(scope="session")
def tiny_authored(tmp_path_factory) -> tuple[Path, Path]:
    """(authored dir holding only a tiny triage taxonomy, its contract labels file)."""
    return write_authored_triage(tmp_path_factory.mktemp("tiny-authored"))
