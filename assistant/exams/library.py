"""The regulation library as the exam builder reads it: laws, their current versions and their
articles, from the chunk store (read-only)."""
from __future__ import annotations

from functools import lru_cache

from assistant.config import Settings
from assistant.exams.articles import ArticleText, article_text
from assistant.exams.values import norm
from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore
from assistant.retrieval.types import IndexNotReady


class Library:
    def __init__(self, store: ChunkStore):
        self.store = store
        self._docs = [d for d in store.laws() if d["kind"] == "law"]
        self._articles = lru_cache(maxsize=256)(self._load_articles)
        self._law_text = lru_cache(maxsize=256)(self._load_law_text)

    @classmethod
    def open(cls, settings: Settings) -> Library:
        path = IndexLayout.of(settings).store
        if not path.exists():
            raise IndexNotReady(f"索引尚未建立（{path}）：请先运行 `assistant ingest --lexical-only`")
        return cls(ChunkStore(path, read_only=True))

    def titles(self, include_superseded: bool = False) -> list[str]:
        """Laws with a current version (or any version), sorted."""
        return sorted({d["title"] for d in self._docs if include_superseded or d["status"] == "current"})

    def versions(self, law: str) -> list[str | None]:
        return [d["version"] for d in self._docs if d["title"] == law]

    def current_version(self, law: str) -> str | None:
        """The in-force version (latest when several are marked current); None when none is
        current or the current file has no date."""
        current = [d["version"] for d in self._docs if d["title"] == law and d["status"] == "current"]
        dated = sorted(v for v in current if v)
        return dated[-1] if dated else None

    def has_current(self, law: str) -> bool:
        return any(d["title"] == law and d["status"] == "current" for d in self._docs)

    def articles(self, law: str, version: str | None) -> list[ArticleText]:
        return self._articles(law, version)

    def article(self, law: str, number: int, version: str | None = None) -> ArticleText | None:
        """One article; version None means the current version."""
        version = version if version is not None else self.current_version(law)
        return next((a for a in self.articles(law, version) if a.number == number), None)

    def law_text(self, law: str, version: str | None) -> str:
        """The whole law, normalised (for ambiguity checks)."""
        return self._law_text(law, version)

    def _load_articles(self, law: str, version: str | None) -> list[ArticleText]:
        by_number: dict[int, list] = {}
        for c in self.store.law_chunks(law, version):
            if c.article is not None:
                by_number.setdefault(c.article, []).append(c)
        return [a for n in sorted(by_number) if (a := article_text(by_number[n]))]

    def _load_law_text(self, law: str, version: str | None) -> str:
        return norm("\n".join(a.text for a in self.articles(law, version)))
