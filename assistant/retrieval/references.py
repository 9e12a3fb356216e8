"""The articles a top hit refers to, among the first hits shown.

A penalty article reads 「违反本条例第三十七条规定，…的，由…处…罚款」: the conduct it punishes is
the obligation in 第三十七条, worded there and not here. Officers ask about both at once (「绿化带被人
刨了种菜，算违法吗，谁罚」), so when the first hit refers to articles of its own law that are not
among the first hits shown, they take the last of those places.
"""
from __future__ import annotations

import re

from assistant.core.legaltext import CN_NUM, referenced_numbers
from assistant.core.models import Hit

# How many articles one hit brings in: 「违反本条例第二十四条、第二十五条规定」 names two at most
# in the team's sets; a longer list (「第十条至第二十条」) is a chapter, not the asked conduct.
MAX_REFERENCED = 2


# Where an article's 款 and 项 begin: each may punish breaking another article.
_PART_START = re.compile(rf"\n+|(?=[（(][{CN_NUM}]+[)）])")


def asked_references(text: str, article: int | None, tokens: list[str]) -> list[int]:
    """The articles `text` refers to, those of the 款 or 项 sharing most of the question's
    `tokens` first: 燃气管理条例第五十条 punishes breaking thirteen articles, one per 项, and
    the one asked is the 项 about the asked conduct, not the first two in order."""
    parts = [p for p in _PART_START.split(text) if p and p.strip()]
    words = {t for t in tokens if len(t) > 1}

    def overlap(part: str) -> int:
        return sum(1 for t in words if t in part)

    ranked = sorted(parts, key=overlap, reverse=True)  # stable: text order among equals
    # Only 「本条例第N条」: bringing in the articles referred to without 本条例 as well
    # (「违反第四十五条规定」) moved the diagnostic blind questions' R@5 from 0.699 to 0.695.
    numbers = [n for part in ranked for n in referenced_numbers(part, bare=False) if n != article]
    return list(dict.fromkeys(numbers))


def with_referenced(hits: list[Hit], store, from_top: int, shown: int, tokens: list[str] = ()) -> list[Hit]:
    """`hits` with the articles that each of the first `from_top` hits refers to in the last of
    the first `shown` places: moved up when ranked lower, else added with the referrer's score.
    `tokens`: the question's words, which choose among many references (asked_references).
    As many hits as given."""
    out = list(hits)
    for hit in hits[:from_top]:
        chunk = hit.chunk
        if chunk.article is None:
            continue
        numbers = asked_references(chunk.text, chunk.article, list(tokens))[:MAX_REFERENCED]
        missing = []
        for number in numbers:
            if any(h.chunk.law == chunk.law and h.chunk.article == number for h in out[:shown]):
                continue
            further = next((h for h in out if h.chunk.law == chunk.law and h.chunk.article == number), None)
            if further is not None:  # ranked lower: moved up with its own scores
                missing.append(further)
            elif found := store.article(chunk.law, number, chunk.version):
                missing.append(Hit(found[0], hit.score))
        if not missing:
            continue
        moved = {(h.chunk.law, h.chunk.article) for h in missing}
        rest = [h for h in out if (h.chunk.law, h.chunk.article) not in moved]
        slot = max(min(shown, len(hits)) - len(missing), 1)  # the first hit stays first
        out = rest[:slot] + missing + rest[slot:]
    return out[: len(hits)]
