"""Check every citation in a generated reply against the index and the retrieved set.

A citation is kept only when the law and article exist in the index, in a current version, in a
jurisdiction the search allowed, and among the articles actually retrieved for this question.

What counts as a citation is `citation_finder.py`'s job; the sentence carrying a citation that
cannot be verified is removed, so what is shown never contains one."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.citation_finder import (
    MARKUP,
    NO_PARAGRAPH,
    NO_VERSION,
    NOT_FOUND,
    NOT_RETRIEVED,
    OTHER_REGION,
    SUPERSEDED,
    Found,
    article_key,
    citations,
    find_citations,
    sentence_spans,
    sub_of_label,
)
from assistant.core.legaltext import BIDI_CONTROLS, CN_NUMERAL, fold, read_number
from assistant.core.models import Chunk, Hit
from assistant.index.store import ChunkStore
from assistant.retrieval.lawnames import LawNames

__all__ = ["CheckedCitation", "Verification", "check", "find_citations", "remove_flagged", "verify"]


@dataclass(frozen=True)
class CheckedCitation:
    raw: str  # as found in the folded reply (legaltext.fold); for logs, never shown
    law: str | None
    article: int | None  # None: not a readable article number
    ok: bool
    problem: str | None  # 不存在 / 已被修订或废止 / 其他地区 / 未在检索结果中 / …
    start: int = -1  # span in the folded reply; -1 when not known
    end: int = -1
    sub: int | None = None  # 第57条之一 → 1


@dataclass(frozen=True)
class Verification:
    text: str  # the reply without the sentences that carried an unverified citation
    kept: list[CheckedCitation]  # the citations left in `text`, all verified
    flagged: list[CheckedCitation]  # the citations removed


# --- public API ------------------------------------------------------------------------------


def verify(text: str, names: LawNames, store: ChunkStore, retrieved: list[Hit],
           allowed_jurisdictions: set[str] | None) -> Verification:
    """The reply with every sentence that carries an unverifiable citation removed. Checked again
    after each removal: a bare 第N条 may have leaned on a sentence that is now gone."""
    text = BIDI_CONTROLS.sub("", text)  # they could show a reference the checker reads reversed
    flagged: list[CheckedCitation] = []
    while True:
        checked = check(text, names, store, retrieved, allowed_jurisdictions)
        bad = [c for c in checked if not c.ok]
        if not bad:
            return Verification(text, checked, flagged)
        flagged += bad
        shorter = remove_flagged(text, bad)
        # Every flagged span lies in some sentence, so the text shrinks; never loop on it.
        text = shorter if len(shorter) < len(text) else ""


def check(text: str, names: LawNames, store: ChunkStore, retrieved: list[Hit],
          allowed_jurisdictions: set[str] | None) -> list[CheckedCitation]:
    """Every citation in `text`, each checked against the index and the retrieved hits."""
    folded, _ = fold(text, MARKUP)
    keys = {article_key(h.chunk) for h in retrieved}
    out = []
    for f in citations(folded, names):
        problem = f.problem or _lookup_problem(f, store, keys, allowed_jurisdictions)
        out.append(CheckedCitation(folded[f.start:f.end], f.law or f.written, f.article, problem is None,
                                   problem, f.start, f.end, f.sub))
    return out


def remove_flagged(text: str, flagged: list[CheckedCitation]) -> str:
    """Drop every sentence that carries (part of) a flagged citation; the rest is kept as written."""
    if not flagged:
        return text
    folded, origin = fold(text, MARKUP)
    spans = sentence_spans(folded)
    # Cut right after each sentence's closing mark, so what fold dropped after it (「**」, a
    # zero-width space) goes with the sentence it opens.
    cuts = [0] + [origin[b - 1] + 1 for _, b in spans[:-1]] + [len(text)]
    kept = [text[cuts[n]:cuts[n + 1]] for n, (a, b) in enumerate(spans)
            if not any(_touches(f, folded, a, b) for f in flagged)]
    return "".join(kept).strip()


# --- checking against the index ------------------------------------------------------------


def _lookup_problem(f: Found, store: ChunkStore, retrieved: set[tuple], allowed: set[str] | None) -> str | None:
    chunks = [c for c in store.article(f.law, f.article) if sub_of_label(c.article_label) == f.sub]
    if not chunks:
        return NOT_FOUND
    if f.year is not None:
        chunks = [c for c in chunks if (c.version or "").startswith(str(f.year))]
        if not chunks:
            return NO_VERSION
    current = [c for c in chunks if c.status == "current"]
    if not current:
        return SUPERSEDED
    if allowed and not any(c.jurisdiction in allowed for c in current):
        return OTHER_REGION
    if (f.law, f.article, f.sub) not in retrieved:
        return NOT_RETRIEVED
    if not has_parts(current, f.paragraph, f.item):
        return NO_PARAGRAPH
    return None


_ITEM_LINE = re.compile(rf"^\(\s*([{CN_NUMERAL}\d]+)\s*\)")


def has_parts(chunks: list[Chunk], paragraph: int | None, item: int | None) -> bool:
    """Whether the article has that 款 (a line that is not a 项 item) and that 项 (「（三）」)."""
    if paragraph is None and item is None:
        return True
    lines = [fold(line, MARKUP)[0] for c in sorted(chunks, key=lambda c: c.part) for line in c.text.split("\n")]
    lines = [line.strip() for line in lines if line.strip()]
    items = {read_number(m.group(1)) for line in lines if (m := _ITEM_LINE.match(line))}
    paragraphs = [line for line in lines if not _ITEM_LINE.match(line)]
    return ((paragraph is None or 1 <= paragraph <= len(paragraphs))
            and (item is None or item in items))


def _touches(f: CheckedCitation, folded: str, a: int, b: int) -> bool:
    if f.start >= 0:
        return f.start < b and a < f.end
    return bool(f.raw) and f.raw in folded[a:b]

