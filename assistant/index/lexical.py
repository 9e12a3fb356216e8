"""Persisted BM25 (bm25s) over jieba tokens of every chunk's index text."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import bm25s
import numpy as np


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, ids: list[str]):
        self._retriever = retriever
        self.ids = ids
        self._sorted_postings: bool | None = None  # bm25s lists each token's entries in order

    @classmethod
    def build(cls, ids: list[str], token_lists: list[list[str]]) -> "LexicalIndex":
        retriever = bm25s.BM25()
        # An empty token list would make bm25s drop the row; a placeholder keeps rows aligned.
        # An empty library (a missing or empty folder) indexes one placeholder row and no ids:
        # bm25s cannot index nothing, and `scores` answers no row.
        retriever.index([toks or ["∅"] for toks in token_lists] or [["∅"]], show_progress=False)
        return cls(retriever, ids)

    def save(self, directory: Path) -> None:
        """Write beside, then swap, so a reader never sees a half-written index."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self._retriever.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        retriever = bm25s.BM25.load(str(directory))
        ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        return cls(retriever, ids)

    def scores(self, tokens: list[str]) -> np.ndarray:
        if not tokens or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)

    def tokens_in(self, tokens, row: int) -> set[str]:
        """Which of `tokens` the entry at `row` contains, read from the index's postings (each
        token's column lists the entries that have it) instead of segmenting the text again."""
        vocab = self._retriever.vocab_dict
        indices, indptr = self._retriever.scores["indices"], self._retriever.scores["indptr"]
        if self._sorted_postings is None:
            self._sorted_postings = _sorted_within_columns(np.asarray(indices), np.asarray(indptr))
        found = set()
        for t in tokens:
            col = vocab.get(t)
            if col is None or col + 1 >= len(indptr):
                continue
            posting = indices[indptr[col]:indptr[col + 1]]
            if self._sorted_postings:
                at = int(np.searchsorted(posting, row))
                hit = at < len(posting) and posting[at] == row
            else:
                hit = bool((posting == row).any())
            if hit:
                found.add(t)
        return found

    def doc_freq(self) -> dict[str, int]:
        """token → number of entries that contain it (for idf-weighted coverage)."""
        vocab = self._retriever.vocab_dict  # token → column
        counts = np.diff(np.asarray(self._retriever.scores["indptr"]))
        return {tok: int(counts[col]) for tok, col in vocab.items() if col < len(counts)}


def _sorted_within_columns(indices: np.ndarray, indptr: np.ndarray) -> bool:
    """Whether every column's row numbers ascend (then a posting is searched by bisection)."""
    if len(indices) < 2:
        return True
    rising = np.diff(indices.astype(np.int64)) > 0
    boundaries = indptr[1:-1] - 1  # pairs that straddle two columns need not rise
    boundaries = boundaries[(boundaries >= 0) & (boundaries < len(rising))]
    rising[boundaries] = True
    return bool(rising.all())
