"""Vectors by content hash (SQLite), so that a re-ingest or a test never embeds the same text
twice with the same model."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.index.embedders import Embedder, model_slug

# SQLite's default limit on host parameters is 999; stay well under it.
_LOOKUP_BATCH = 500


class VectorCache:
    def __init__(self, path: Path, model: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB)")
        self._model = model
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> "VectorCache":
        """The cache of the configured model, under the cache dir (shareable between data dirs)."""
        return cls(settings.cache_dir / f"vectors-{model_slug(settings.embedder)}.sqlite", settings.embedder)

    def _key(self, text: str, kind: str = "") -> str:
        # Passages keep the key they always had; queries (another e5 prefix) get their own.
        return hashlib.sha1(f"{self._model}\n{kind}{text}".encode("utf-8")).hexdigest()

    def embed(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        return self._cached(texts, "", embedder.embed_passages)

    def embed_queries(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        return self._cached(texts, "query\n", embedder.embed_queries)

    def _cached(self, texts: list[str], kind: str, embed_missing) -> np.ndarray:
        keys = [self._key(t, kind) for t in texts]
        with self._lock:
            found: dict[str, bytes] = {}
            for i in range(0, len(keys), _LOOKUP_BATCH):
                part = keys[i : i + _LOOKUP_BATCH]
                rows = self._db.execute(
                    f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update(rows)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            new = embed_missing([texts[i] for i in missing])
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vec VALUES (?, ?)",
                    [(keys[i], new[j].astype(np.float32).tobytes()) for j, i in enumerate(missing)],
                )
            for j, i in enumerate(missing):
                found[keys[i]] = new[j].astype(np.float32).tobytes()
        if not keys:
            return np.zeros((0, 0), np.float32)
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])
