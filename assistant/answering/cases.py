"""Typical cases (典型案例) by the articles they cite, to show under an answer built on one of them.

A case is any document of level 案例: the library's court cases and the 基本案情 / 处理结果 /
典型意义 documents admins upload (ingestion/userdocs.py). Which articles a case cites is read
from its text with the same citation finder the answer verification uses («《上海市市容环境卫生
管理条例》第二十五条» → that law and article; a law the library does not hold is ignored). The
table is built once per index generation: cases are few, and an answer only looks it up.
"""
from __future__ import annotations

import threading
from collections import defaultdict

from assistant.answering.citation_finder import find_citations
from assistant.core.models import Chunk, Hit

CASE_LEVEL = "案例"


class CaseIndex:
    def __init__(self, store, names):
        self._store = store
        self._names = names
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._citing: dict[tuple[str, int], list[str]] = {}
        self._chunks: dict[str, list[Chunk]] = {}

    def _refresh(self) -> None:
        generation = self._store.generation()
        with self._lock:
            if generation == self._generation:
                return
            chunks: dict[str, list[Chunk]] = defaultdict(list)
            for chunk in self._store.level_chunks(CASE_LEVEL):
                chunks[chunk.law].append(chunk)
            citing: dict[tuple[str, int], list[str]] = defaultdict(list)
            for title, parts in chunks.items():
                text = "\n".join(c.text for c in parts)
                for _, law, _, article in find_citations(text, self._names):
                    if law and article is not None and title not in citing[(law, article)]:
                        citing[(law, article)].append(title)
            self._chunks, self._citing, self._generation = dict(chunks), dict(citing), generation

    def cited(self, law: str, article: int) -> list[str]:
        """Titles of the cases that cite this article."""
        self._refresh()
        return list(self._citing.get((law, article), []))

    def for_answer(self, basis: list[Hit], limit: int) -> list[Hit]:
        """The parts of up to `limit` cases citing the answer's articles, the first article's first;
        each case as its sections in order (基本案情, 处理结果, 典型意义 …)."""
        self._refresh()
        titles: list[str] = []
        for hit in basis:
            if hit.chunk.article is None:
                continue
            for title in self._citing.get((hit.chunk.law, hit.chunk.article), []):
                if title not in titles:
                    titles.append(title)
        return [Hit(c, 0.0) for title in titles[:limit] for c in self._chunks[title]]
