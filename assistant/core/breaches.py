"""Which rules a penalty 款 says it punishes breaking: 「违反本条例第三十一条第二款规定，…」 → article 31,
款 2. Read from the 款's own words (any law's, same law only), for the 违法依据 of answers and of
exam answer keys."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.legaltext import CN_NUM, cn_int, cn_numeral

# 「第三十一条第二款」「第二十二条第一、二、三项」「第五十条第（一）项」.
_NUM_ITEM = rf"[（(]?[{CN_NUM}]+[)）]?"
_PARAGRAPHS = rf"((?:[、和及或者]*第[{CN_NUM}]+(?:[、和及或者]+[{CN_NUM}]+)*款)*)"
_ITEMS = rf"((?:[、和及或者]*第{_NUM_ITEM}(?:[、和及或者]+{_NUM_ITEM})*项)*)"
_ONE_ARTICLE = re.compile(rf"第([{CN_NUM}]+)条{_PARAGRAPHS}{_ITEMS}")
_REFS = rf"((?:[、，和及或者]*第[{CN_NUM}]+条{_PARAGRAPHS[1:-1]}{_ITEMS[1:-1]})+)"
# 「违反本条例第三十一条第二款规定」「违反本法第六十七条、第六十八条规定的」「违反本规定第五十条第一项」;
# 「违反第四十一条规定，建设单位擅自封堵排水管道…」 names its own law's article without 本条例 too.
# Not 「依照本条例第二十二条处理」 (a procedure) nor 「违反《…法》第九十条」 (another law's).
_BREACH = re.compile(rf"违反(?:了)?(?:本(?:条例|规定|办法|实施办法|细则|法|决定))?{_REFS}")
# 「违反本条例规定，…有下列行为之一的…：（一）违反第十四条规定，…」: each item names its own rule.
_ITEM_BREACH = re.compile(rf"^[（(][{CN_NUM}]+[)）]违反{_REFS}")
# 「违反本条第一款规定」「违反第二款规定」「违反前款规定」「违反本条规定的」: a 款 of the same article.
_BREACH_PARAGRAPHS = re.compile(rf"违反(?:了)?(?:本条)?((?:[、和及或者]*第[{CN_NUM}]+款)+)(?:的)?规定")
_BREACH_PRECEDING = re.compile(r"违反(?:了)?(前[两二三]?款)(?:的)?规定")
_BREACH_ARTICLE = re.compile(r"违反(?:了)?本条(?:的)?规定")
_NUMBER = re.compile(rf"[{CN_NUM}]+")
_PRECEDING = {"前款": 1, "前两款": 2, "前二款": 2, "前三款": 3}


@dataclass(frozen=True)
class Breach:
    """A reference to a broken rule as the penalty 款 words it: the article (None for its own),
    the 款 and 项 named (empty: all)."""

    article: int | None
    paragraphs: tuple[int, ...]
    items: tuple[int, ...]


def breaches(text: str, number: int, relevance: Callable[[str], float] | None = None) -> list[Breach]:
    """The rules the 款 `text` (number `number` in its article) says it punishes breaking, in its
    order. In a 款 whose items each name their rule (「（一）违反第十四条规定，…」), those of the
    items most relevant to the question (`relevance`; without it, or when none is, all)."""
    listed = [line for line in text.split("\n") if _ITEM_BREACH.match(line)]
    own = "\n".join(line for line in text.split("\n") if line not in listed)
    refs = [m.group(1) for m in _BREACH.finditer(own)]
    if listed:
        scores = [relevance(line) for line in listed] if relevance else [0.0] * len(listed)
        best = max(scores)
        refs += [_ITEM_BREACH.match(line).group(1) for line, s in zip(listed, scores) if best <= 0 or s == best]
    out: list[Breach] = []
    for ref in refs:
        for a in _ONE_ARTICLE.finditer(ref):
            try:
                out.append(Breach(cn_int(a.group(1)), _numbers(a.group(2)), _numbers(a.group(3))))
            except ValueError:
                continue
    here: list[int] = []
    for m in _BREACH_PARAGRAPHS.finditer(text):
        here += _numbers(m.group(1))
    for m in _BREACH_PRECEDING.finditer(text):
        here += range(max(1, number - _PRECEDING.get(m.group(1), 1)), number)
    if _BREACH_ARTICLE.search(text):  # in its last 款: the 款 before it
        here += range(1, number)
    wanted = tuple(dict.fromkeys(n for n in here if n != number))
    if wanted:
        out.append(Breach(None, wanted, ()))
    return list(dict.fromkeys(out))


def _numbers(text: str) -> tuple[int, ...]:
    out = []
    for x in _NUMBER.findall(text or ""):
        try:
            out.append(cn_int(x))
        except ValueError:
            continue
    return tuple(out)


def parts_label(paragraphs: tuple[int, ...], items: tuple[int, ...], bracketed: bool = False) -> str:
    """「第一款、第二款第（一）项、第（三）项」 after an article's label; items as 「第一项」 unless
    `bracketed`."""
    item = "第（{}）项" if bracketed else "第{}项"
    return "、".join(f"第{cn_numeral(n)}款" for n in paragraphs) + "、".join(item.format(cn_numeral(n)) for n in items)
