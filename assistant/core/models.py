"""Domain objects shared by ingestion, retrieval and the UI."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal

Status = Literal["current", "superseded"]


@dataclass(frozen=True)
class HistoryEvent:
    date: str  # ISO date, e.g. "2019-01-31"
    kind: str  # 通过 / 修正 / 修订 / 公布 / 施行 / 其他
    text: str


@dataclass
class Paragraph:
    """One 款 of an article, with the 项 items that belong to it."""

    text: str
    items: list[str] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *self.items])


@dataclass
class Article:
    number: int
    label: str  # "第五十七条" as written (also "第一百条之一")
    paragraphs: list[Paragraph]
    chapter: str | None = None  # deepest 编/章 heading, e.g. "第七章 法律责任"
    section: str | None = None  # 节 heading if any

    @property
    def text(self) -> str:
        """The article as written: header, then 款 and 项 on their own lines."""
        body = "\n".join(p.full_text for p in self.paragraphs)
        return f"{self.label} {body}".strip()


@dataclass
class Section:
    """A headed block of a case or a user document (no article numbering)."""

    heading: str
    text: str


@dataclass
class Document:
    path: str  # relative to its source root
    title: str
    kind: Literal["law", "case", "user_doc"]
    level: str  # 法律 / 行政法规 / 司法解释 / 地方性法规 / 案例 / 内部文件
    jurisdiction: str  # 上海 / 北京 / 全国 / 内部
    version: str | None  # ISO date from the file name, None when unknown
    history: list[HistoryEvent] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    status: Status = "current"
    replaced_by: str | None = None


@dataclass
class Chunk:
    """The unit that is indexed and retrieved: one article (or part of one), or one section."""

    law: str
    article: int | None
    part: int
    version: str | None
    jurisdiction: str
    level: str
    chapter: str | None
    status: Status
    text: str  # what is shown to the user (the article's own text)
    source: str  # document path relative to its source root
    heading: str | None = None  # section heading for cases / user docs
    article_label: str | None = None
    # Text of the articles this one points to (「违反本条例第二十四条第一款规定的」), indexed but
    # not shown: a penalty article then also matches the conduct it punishes.
    context: str | None = None
    # For a file without a date (its version unknown): the date its own text says it took effect
    # (「本条例自2011年5月15日起施行」), shown beside 「版本日期未知」. Not a version: the text may
    # have been amended since.
    in_force_since: str | None = None

    @property
    def id(self) -> str:
        """Stable across runs: the same law, version, article and part give the same id."""
        key = f"{self.law}|{self.version or '-'}|{self.article_label or self.heading or ''}|{self.part}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]

    @property
    def index_text(self) -> str:
        """What is embedded and tokenised: the text plus where it sits, so that a query
        naming the law or the chapter (「法律责任」) finds it too."""
        where = " ".join(x for x in (self.law, self.chapter, self.heading) if x)
        return f"{where}\n{self.text}" + (f"\n（援引）{self.context}" if self.context else "")

    @property
    def content_hash(self) -> str:
        meta = f"{self.status}|{self.jurisdiction}|{self.level}|{self.source}"
        if self.in_force_since:  # only then: every other chunk keeps the hash it had
            meta += f"|{self.in_force_since}"
        return hashlib.sha1(f"{meta}\n{self.index_text}".encode("utf-8")).hexdigest()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Hit:
    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None
    direct: bool = False  # found by an explicit citation in the query

    def to_json(self) -> dict:
        c = self.chunk
        return {
            "law": c.law,
            "article": c.article,
            "version": c.version,
            "jurisdiction": c.jurisdiction,
            "level": c.level,
            "status": c.status,
            "chapter": c.chapter,
            "heading": c.heading,
            "text": c.text,
            "score": round(float(self.score), 4),
            "id": c.id,
        }


@dataclass(frozen=True)
class Citation:
    """An explicit reference to an article, as parsed from text."""

    law: str | None  # resolved exact title, None when the text named no law
    article: int
    raw: str
    law_raw: str | None = None
