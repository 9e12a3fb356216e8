"""用语含义: the law's own definitions of the terms an answer quotes (「个人在城市化地区内饲养犬只的，每户
限养一条」 → 养犬管理条例第五十七条: 「城市化地区，是指…中心城、新城和新市镇」). Read once per law
and version from the index, kept for later answers."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.core.definitions import definitions
from assistant.core.models import Chunk
from assistant.index.store import ChunkStore

# At most this many terms are explained under an answer, the longest (most specific) first.
MAX_DEFINED_TERMS = 2
# A defined term used in more than this many laws of the library is common vocabulary, not a term
# of art an officer needs spelled out (行政行为 65, 业主 56, 道路 88, 使用人 21, 城市道路 21, 交通事故
# 15; 夜间 13, 人员密集场所 10 and 城市化地区 5 are explained). Set by reading answers, not fitted.
MAX_TERM_LAWS = 14


@dataclass(frozen=True)
class DefinedTerm:
    term: str
    text: str
    chunk: Chunk  # the defining article


class Glossary:
    def __init__(self, store: ChunkStore, chunks: list[Chunk]):
        self._store = store
        self._chunks = chunks
        self._law_texts: list[str] | None = None
        self._spread: dict[str, int] = {}
        self._by_law: dict[tuple[str, str | None], list[DefinedTerm]] = {}
        self._lock = threading.Lock()

    def laws_using(self, term: str) -> int:
        """How many laws of the library use the term (current versions)."""
        with self._lock:
            if self._law_texts is None:
                texts: dict[str, list[str]] = {}
                for c in self._chunks:
                    if c.status == "current":
                        texts.setdefault(c.law, []).append(c.text)
                self._law_texts = ["\n".join(parts) for parts in texts.values()]
            if term not in self._spread:
                self._spread[term] = sum(term in text for text in self._law_texts)
            return self._spread[term]

    def of_law(self, law: str, version: str | None) -> list[DefinedTerm]:
        key = (law, version)
        with self._lock:
            found = self._by_law.get(key)
        if found is None:
            found = [DefinedTerm(d.term, d.text, c) for c in self._store.law_chunks(law, version)
                     if c.article is not None for d in definitions(c.text)]
            found.sort(key=lambda t: -len(t.term))
            with self._lock:
                self._by_law[key] = found
        return found

    def used_in(self, chunk: Chunk, text: str) -> list[DefinedTerm]:
        """Terms of `chunk`'s law that `text` uses, defined in another article than `chunk`'s
        (an article defining its own term says what it means already); not the law's own subject
        (生活垃圾 in 生活垃圾管理条例) nor common vocabulary (MAX_TERM_LAWS); not a term inside a
        longer one already chosen (「居住区绿地」, then not 「绿地」)."""
        chosen: list[DefinedTerm] = []
        for term in self.of_law(chunk.law, chunk.version):
            if term.chunk.article == chunk.article or term.term not in text or term.term in chunk.law:
                continue
            if self.laws_using(term.term) > MAX_TERM_LAWS:
                continue
            if any(term.term in c.term for c in chosen) or any(c.term == term.term for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == MAX_DEFINED_TERMS:
                break
        return chosen
