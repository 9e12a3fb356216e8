"""The regulation library as text, for the checkers of authored content and the evaluations.

It reads the files with the same parser that ingestion uses, so that "article 57 of X" means the
same thing to a checker as to the index."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.core.models import Article, Document
from ingestion.lawref import looks_like_lawref, parse_lawref
from ingestion.read import SourceError, decode_text
from ingestion.versions import correct_titles, load_title_corrections


def article_body(article: Article) -> str:
    """The article's text without its 第N条 label: 款 and 项 on their own lines."""
    return "\n".join(p.full_text for p in article.paragraphs)


@dataclass
class Library:
    documents: list[Document]
    files: dict[str, str] = field(default_factory=dict)  # relative path → raw text
    _by_title: dict[str, list[Document]] = field(init=False, repr=False)
    _bodies: dict[int, dict[int, str]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._by_title = {}
        for doc in self.documents:
            self._by_title.setdefault(doc.title, []).append(doc)
        for versions in self._by_title.values():
            versions.sort(key=lambda d: d.version or "")  # undated sorts oldest, as in ingestion

    @classmethod
    def read(cls, corpus: Path) -> "Library":
        """Every LawRefBook file under `corpus` (the folder holding `lawrefbook/`, or that folder
        itself). Files that are not LawRefBook regulations are left out."""
        base = corpus / "lawrefbook" if (corpus / "lawrefbook").is_dir() else corpus
        docs, files = [], {}
        for path in sorted(base.rglob("*.md")):
            rel = path.relative_to(base).as_posix()
            try:
                text = decode_text(path.read_bytes(), rel)
                if looks_like_lawref(text):
                    docs.append(parse_lawref(text, rel))
                    files[rel] = text
            except SourceError:
                continue
        if not docs:
            raise SystemExit(f"no LawRefBook files under {base}")
        # The team's title corrections, as ingestion applies them.
        correct_titles(docs, load_title_corrections(Settings().authored_dir / "title_corrections.tsv"))
        return cls(docs, files)

    @property
    def titles(self) -> set[str]:
        return set(self._by_title)

    def laws(self) -> list[Document]:
        """Regulations (not court cases)."""
        return [d for d in self.documents if d.kind == "law"]

    def versions(self, title: str) -> list[Document]:
        """Oldest first."""
        return list(self._by_title.get(title, []))

    def current(self, title: str) -> Document | None:
        """The version with the latest date in its file name."""
        versions = self._by_title.get(title)
        return versions[-1] if versions else None

    def version(self, title: str, version: str | None) -> Document | None:
        """That dated version, or the current one when `version` is None."""
        if version is None:
            return self.current(title)
        return next((d for d in self._by_title.get(title, []) if d.version == version), None)

    def bodies(self, doc: Document) -> dict[int, str]:
        """`articles(doc)`, built once per document: the checkers compare every version of a law
        for each line they read."""
        if id(doc) not in self._bodies:
            self._bodies[id(doc)] = self.articles(doc)
        return self._bodies[id(doc)]

    @staticmethod
    def articles(doc: Document) -> dict[int, str]:
        """Article number → body. A 第N条之一 keeps its own Article in the index; here the
        number maps to the article N itself."""
        out: dict[int, str] = {}
        for article in doc.articles:
            out.setdefault(article.number, article_body(article))
        return out
