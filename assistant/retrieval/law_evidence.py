"""How close in meaning a whole law is to a query: the mean similarity of its few closest entries.

One lucky entry gives an article its dense rank; several close entries say the law is about what is
asked (「无证驾驶被抓咋处罚」: 道路交通安全法, not the 查处车辆非法客运若干规定 article that shares its
words). Pure numpy over the in-memory matrix, no Chroma call: the rows are grouped by law once per
loaded matrix, and a query costs one dot product per candidate law's rows."""
from __future__ import annotations

import numpy as np


class EntriesByLaw:
    """The matrix rows of each law's current-version entries, grouped once."""

    def __init__(self, parent: np.ndarray, current: np.ndarray, law: np.ndarray):
        """`parent`: each row's chunk position (−1 when the chunk is not loaded); `current`,
        `law`: per chunk, whether it is a current version and its law's title."""
        parent = np.asarray(parent, dtype=np.int64)
        keep = (parent >= 0) & np.asarray(current, dtype=bool)[np.maximum(parent, 0)]
        rows = np.flatnonzero(keep)
        laws = np.asarray(law, dtype=object)[parent[rows]]
        order = np.argsort(laws, kind="stable")
        rows, laws = rows[order], laws[order]
        self.rows: dict[str, np.ndarray] = {}
        if len(laws):
            starts = np.flatnonzero(np.r_[True, laws[1:] != laws[:-1]])
            for start, end in zip(starts, np.r_[starts[1:], len(laws)]):
                self.rows[str(laws[start])] = rows[start:end]

    def closeness(self, vectors: np.ndarray, query: np.ndarray, laws: list[str], top: int = 3) -> dict[str, float]:
        """Per law asked that has entries, the mean cosine similarity of its `top` closest rows
        of `vectors` (L2-normalised) to `query`."""
        q = np.asarray(query, dtype=np.float32).ravel()
        q = q / (float(np.linalg.norm(q)) or 1.0)
        out: dict[str, float] = {}
        for law in dict.fromkeys(laws):
            rows = self.rows.get(law)
            if rows is None or not len(rows):
                continue
            sims = np.asarray(vectors[rows]) @ q
            n = min(top, len(sims))
            out[law] = float(np.partition(sims, len(sims) - n)[-n:].mean())
        return out
