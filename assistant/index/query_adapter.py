"""A linear map of query vectors towards the articles they ask about, fitted on the team's
colloquial phrasings (corpus/article_paraphrases*.jsonl: phrase → article).

multilingual-e5-small places 「楼下健身房晚上放音乐砸杠铃」 far from the article that regulates it;
the phrasings show, for some 1,500 articles, how people word what an article regulates. A ridge
regression from the phrasings' query vectors to their articles' vectors, pulled towards the
identity, moves a question's vector the same way. Retrieval ranks with the moved vector as one
more list in the fusion (retriever._fuse), beside the plain one.

Hand-written rather than a library's: it is one closed-form solve of a 384 × 384 system
(numpy.linalg.solve); no model hub is reachable to fine-tune the embedder itself.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

def fit_query_adapter(queries: np.ndarray, targets: np.ndarray, ridge: float) -> np.ndarray:
    """W minimising ‖XW − Y‖² + ridge·‖W − I‖² over L2-normalised rows (X: queries, Y: the
    vectors of their articles). A large `ridge` keeps W near the identity."""
    x, y = _normalised(queries), _normalised(targets)
    d = x.shape[1]
    eye = np.eye(d, dtype=np.float64)
    w = np.linalg.solve(x.T @ x + ridge * eye, x.T @ y + ridge * eye)
    return w.astype(np.float32)


@dataclass
class QueryAdapter:
    matrix: np.ndarray  # (d, d)

    def apply(self, vector: np.ndarray) -> np.ndarray:
        v = np.asarray(vector, dtype=np.float32).ravel()
        moved = (v / (np.linalg.norm(v) or 1.0)) @ self.matrix
        return moved / (np.linalg.norm(moved) or 1.0)

    def save(self, path: Path) -> None:
        """Write beside, then rename: a reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        with tmp.open("wb") as f:
            np.save(f, self.matrix)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, dim: int) -> QueryAdapter | None:
        """None when there is none, or it was fitted for vectors of another size."""
        try:
            matrix = np.load(path)
        except (OSError, ValueError):
            return None
        return cls(matrix) if matrix.shape == (dim, dim) else None

    @staticmethod
    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)
