"""Chroma access: embedded PersistentClient by default, a `chroma run` server by config.

We always hand Chroma our own vectors; it must never embed (and so never download its
default ONNX model) on our behalf.
"""
from __future__ import annotations

import chromadb
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.core.models import Chunk
from assistant.index.embedders import model_slug
from assistant.index.layout import IndexLayout


def chroma_client(settings: Settings):
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_mode == "http":
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                   settings=chroma_settings)
    path = IndexLayout.of(settings).chroma
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    """One collection per embedding model, so switching models never mixes vector spaces."""
    return f"{settings.collection}-{model_slug(settings.embedder)}"


def get_collection(settings: Settings):
    return chroma_client(settings).get_or_create_collection(
        collection_name(settings), embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
    )


def chunk_metadata(chunk: Chunk) -> dict:
    """Chroma metadata must be scalars; None is left out."""
    meta = {
        "law": chunk.law, "article": chunk.article, "part": chunk.part, "version": chunk.version,
        "jurisdiction": chunk.jurisdiction, "level": chunk.level, "status": chunk.status,
        "chapter": chunk.chapter, "hash": chunk.content_hash,
    }
    return {k: v for k, v in meta.items() if v is not None}
