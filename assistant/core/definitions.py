"""Terms a law defines for itself: 「本条例所称的城市化地区，是指《上海市城乡规划条例》确定的中心城、
新城和新市镇」, 「本法中下列用语的含义：……（二）夜间，是指晚上十点至次日早晨六点之间的期间……」.
An answer quoting a 款 that uses such a term needs its meaning: 每户限养一条 holds only in the
城市化地区, and the law says elsewhere which places those are (428 definitions in 191 laws of
the library). Pure functions over article text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.legaltext import CN_NUM

# 「本条例所称的城市化地区，是指…」「前款所称居住区，包括…」「本法所称“行政强制措施”，是指…」
_DEFINED = re.compile(r"(?:本(?:条例|法|规定|办法|细则|决定|实施办法)(?:中)?|前款(?:中)?|本条(?:中)?)所称(?:的)?"
                      r"[“「\"]?(?P<term>[^，,。：；“”「」\"\n]{2,24}?)[”」\"]?[，,]?(?P<how>是指|指|包括)")
# 「本法中下列用语的含义：」 introduces a list of 「（二）夜间，是指……；」.
_LIST_INTRO = re.compile(r"下列用语的含义|下列用语，其含义是")
_LISTED = re.compile(rf"^[（(][{CN_NUM}]+[)）]\s*[“「\"]?(?P<term>[^，,。：；“”「」\"\n]{{2,24}}?)[”」\"]?[，,：:]\s*(?P<how>是指|指|包括)?")


@dataclass(frozen=True)
class Definition:
    term: str
    text: str  # as the law says it: 「城市化地区，是指…中心城、新城和新市镇。」


def definitions(article_text: str) -> list[Definition]:
    """The terms an article defines, each with its meaning in the article's own words."""
    out: list[Definition] = []
    lines = article_text.split("\n")
    listing = any(_LIST_INTRO.search(line) for line in lines)
    for line in lines:
        if listing:
            m = _LISTED.match(line.strip())
            if m and (m["how"] or "，" in line):
                out.append(_definition(m, line.strip()))
                continue
        for m in _DEFINED.finditer(line):
            out.append(_definition(m, line))
    return [d for d in out if d.term and not _NOT_A_TERM.search(d.term)]


# 「本条例所称的有关部门」 is no term an answer needs spelled out; a clause, not a term, either.
_NOT_A_TERM = re.compile(r"^(?:有关|相关|其他)|的$|[、，]")


def _definition(m: re.Match, line: str) -> Definition:
    """「城市化地区，是指…。」 whatever quotes or 「的」 the law put around the term."""
    term = m["term"].strip()
    rest = line[m.end("how"):] if m["how"] else line[m.end():]
    return Definition(term, _sentence(f"{term}，{m['how'] or ''}{rest.lstrip('，,：: ')}"))


def _sentence(text: str) -> str:
    """The definition to its first full stop, or the 「；」 closing a listed item: one whole sentence."""
    end = re.search(r"[。；]", text)
    if end is None:
        return text.strip()
    head = text[: end.end()]
    return head.rstrip("；") + ("。" if head.endswith("；") else "")
