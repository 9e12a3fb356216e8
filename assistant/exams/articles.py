"""An article as the exam builder reads it: its 款 and 项, each with the text a stem can quote."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.legaltext import ARTICLE_START, ITEM_START
from assistant.core.models import Chunk


@dataclass(frozen=True)
class Unit:
    """One 款, or one 项 of a 款 together with the 款's lead-in (「禁止下列行为：」)."""

    paragraph: int  # 1-based
    item: int | None  # 1-based, None for the 款 itself
    text: str  # the 款's text, or the 项's text (numbering removed)
    lead: str | None = None  # the 款 text a 项 belongs to


@dataclass(frozen=True)
class ArticleText:
    law: str
    number: int
    label: str  # 第五十七条
    version: str | None
    status: str
    chapter: str | None
    text: str  # the whole article as written, header included
    units: tuple[Unit, ...]

    @property
    def paragraphs(self) -> int:
        return max((u.paragraph for u in self.units), default=0)

    def items(self, paragraph: int) -> list[Unit]:
        return [u for u in self.units if u.paragraph == paragraph and u.item]


_CONTINUED = re.compile(r"^第[^条\s]+条（续）\s*")


def merge_parts(chunks: list[Chunk]) -> str:
    """One article from its chunks (a long article is stored in parts, 「第九十二条（续）」)."""
    parts = sorted(chunks, key=lambda c: c.part)
    return "\n".join([parts[0].text, *(_CONTINUED.sub("", c.text) for c in parts[1:])])


def split_units(text: str) -> tuple[Unit, ...]:
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if lines and (m := ARTICLE_START.match(lines[0])):
        lines[0] = m.group(4).strip()
    units: list[Unit] = []
    paragraph, item, lead = 0, 0, None
    for line in lines:
        if ITEM_START.match(line) and paragraph:
            item += 1
            units.append(Unit(paragraph, item, ITEM_START.sub("", line).strip(), lead))
            continue
        paragraph, item, lead = paragraph + 1, 0, line
        units.append(Unit(paragraph, None, line))
    return tuple(units)


def article_text(chunks: list[Chunk]) -> ArticleText | None:
    """The article held by `chunks` (all parts of one article of one version); None for sections
    of cases and user documents, which have no article number."""
    first = min(chunks, key=lambda c: c.part)
    if first.article is None:
        return None
    text = merge_parts(chunks)
    label = first.article_label or f"第{first.article}条"
    return ArticleText(first.law, first.article, label, first.version, first.status, first.chapter, text,
                       split_units(text))


def sentences(text: str) -> list[str]:
    """Sentences ending in 。 (the last may end without one)."""
    return [s for s in re.split(r"(?<=。)", text) if s.strip()]
