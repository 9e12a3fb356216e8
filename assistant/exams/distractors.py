"""Wrong options taken from sibling articles: values of the same kind that other articles state
(other fine ranges, other departments, other time limits, other listed items). Plausible because
they are real values of the same law; the self-check then proves none of them is also right."""
from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.exams.check import ITEM_PARAPHRASE_JACCARD, may_support
from assistant.exams.facts import Fact
from assistant.exams.values import (
    amount_range,
    bigrams,
    body_key,
    dept_core,
    jaccard,
    norm,
    same_body,
    time_key,
)

# Items of a list whose lead reads this much like the asked list's lead are of the same kind
# (two lists of officials' misconduct): when the asked list ends in a catch-all (「其他玩忽职守、
# 滥用职权、徇私舞弊的」), such an item may fall under it and so is not surely wrong.
CATCH_ALL_LEAD_JACCARD = 0.2
_LEAD_SUBJECT = re.compile(r"^(.{2,30}?)(?:应当|可以|必须|不得|禁止|有下列|有以下|按照下列|按照以下|在[^，]{0,20}时)")
_CATCH_ALL = re.compile(r"^(?:（[一二三四五六七八九十]+）)?其他")


def lead_subject(lead: str) -> str:
    """Who a list binds, from its lead: 「收集、运输单位应当遵守下列规定：」→ 收集、运输单位."""
    m = _LEAD_SUBJECT.match(lead.strip())
    return m.group(1).strip("，, ") if m else ""


def has_catch_all(fact: Fact) -> bool:
    """The list ends in 「其他…」 (the item is left out of the options but still covers cases)."""
    return any(_CATCH_ALL.match(line.strip()) for line in fact.quote.split("\n")[1:])


# Of the values that pass the filters, the choice is made at random among this many of the
# closest (by magnitude or wording), so that options stay plausible but papers vary by seed.
NEAREST = 6


@dataclass(frozen=True)
class PoolValue:
    kind: str
    value: str
    law: str
    article: int
    lead: str = ""  # items: the lead-in of their list (「禁止下列行为：」)


class ValuePool:
    """Every value of every kind in the laws the pool was built from."""

    def __init__(self, facts: Iterable[Fact]):
        self.values: dict[str, list[PoolValue]] = {}
        self.rejected = 0  # candidates set aside because the cited article could be read as stating them
        seen: set[tuple[str, str, str]] = set()
        for f in facts:
            entries = [("item", i) for i in f.items] if f.kind == "item" else [(f.kind, f.value)]
            for kind, value in entries:
                if (kind, value, f.source.law) not in seen:
                    seen.add((kind, value, f.source.law))
                    lead = f.value if kind == "item" else ""
                    self.values.setdefault(kind, []).append(PoolValue(kind, value, f.source.law, f.source.article, lead))

    def distractors(self, fact: Fact, n: int, rng: random.Random, article_text: str,
                    keys: tuple[str, ...] | None = None) -> list[str]:
        """Up to n wrong values for the fact: same law first, nearest first, none that the cited
        article could be read as stating (the self-check proves it again on the library's copy)."""
        kind = "item" if fact.kind == "item" else fact.kind
        keys = keys if keys is not None else ((fact.value,) if kind != "item" else fact.items)
        text = norm(article_text)
        scored: list[tuple[bool, float, float, str]] = []
        subject = lead_subject(fact.value) if kind == "item" else ""
        catch_all = kind == "item" and has_catch_all(fact)
        for pv in self.values.get(kind, []):
            if kind == "item" and _not_surely_wrong(pv, fact, subject, catch_all):
                self.rejected += 1
                continue
            value = _adapt(kind, pv.value, keys[0])
            if not value or norm(value) in text or any(norm(value) == norm(k) for k in keys):
                continue
            score = _distance(kind, value, keys)
            if score is not None and kind == "item":
                # Items of a list introduced like this one (「下列行为」 and 「下列行为」) are the plausible ones.
                score += 1 - jaccard(bigrams(pv.lead), bigrams(fact.value))
            if score is not None:
                # Equally near values (every other department scores 0) are ordered at random.
                scored.append((pv.law != fact.source.law, score, rng.random(), value))
        scored.sort()
        seen = {_identity(kind, k) for k in keys}
        near: list[str] = []
        for *_, value in scored:
            ident = _identity(kind, value)
            if ident in seen:
                continue
            seen.add(ident)
            if may_support(article_text, value, kind):  # tested only on the nearest: it is the slow part
                self.rejected += 1
            else:
                near.append(value)
            if len(near) >= max(NEAREST, n):
                break
        return rng.sample(near, min(n, len(near)))


def _not_surely_wrong(pv: PoolValue, fact: Fact, subject: str, catch_all: bool) -> bool:
    """An item of another list that a careful reader could still count as right: a duty of the same
    party in the same law (「收集、运输单位应当遵守下列规定」 beside 「收集、运输单位应当按照下列规定…」:
    both are what the party must do; only the article number tells them apart), or, when the asked
    list has a catch-all, an item of a list of the same kind that the catch-all may cover."""
    if subject and pv.law == fact.source.law and pv.article != fact.source.article and lead_subject(pv.lead) == subject:
        return True
    return catch_all and jaccard(bigrams(pv.lead), bigrams(fact.value)) >= CATCH_ALL_LEAD_JACCARD


def _identity(kind: str, value: str) -> str:
    """Values that mean the same count once: 「五百元以上五千元以下」 = 「500元以上5000元以下」."""
    if kind == "fine":
        return str(amount_range(value))
    if kind == "time_limit":
        return str(time_key(value))
    if kind == "department":
        return body_key(value)
    return norm(value)


def _adapt(kind: str, value: str, key: str) -> str | None:
    """A department in the key's own form: the key 「区房屋行政管理部门」 takes 「区生态环境部门」,
    not 「市、区生态环境部门」, so that the prefix gives nothing away."""
    if kind != "department":
        return value
    core = dept_core(value)
    prefix = key[: len(key) - len(dept_core(key))] if key.endswith(dept_core(key)) else ""
    if prefix and _LEVELLED.match(core):
        return None  # 「国务院…部门」 has its own level: 「市和区国务院…」 is no body at all
    return prefix + core


# A department core that names its own level or place cannot take the key's prefix.
_LEVELLED = re.compile(r"(?:国务院|中央|全国|地方|所在地|当地|县级以上|省|自治区|直辖市|设区的市|本级|上级|各级|乡|镇)")


def _log(x: int | None) -> float:
    return math.log10(x) if x and x > 0 else 0.0


def _distance(kind: str, value: str, keys: tuple[str, ...]) -> float | None:
    """How far a candidate is from the key (lower = more plausible); None when it is not a fair
    alternative (another shape of amount, another unit of time)."""
    key = keys[0]
    if kind == "fine":
        a, b = amount_range(value), amount_range(key)
        if not a or not b or _shape(a) != _shape(b) or a == b:
            return None
        style = 0.5 if bool(re.search(r"\d", value)) != bool(re.search(r"\d", key)) else 0.0
        return abs(_log(a[0]) - _log(b[0])) + abs(_log(a[1]) - _log(b[1])) + style
    if kind == "time_limit":
        a, b = time_key(value), time_key(key)
        if not a or not b or a[1:] != b[1:] or a[0] == b[0]:
            return None
        return abs(math.log(a[0]) - math.log(b[0]))
    if kind == "department":
        return None if same_body(value, key) else 0.0
    if kind == "item":
        if max(jaccard(bigrams(value), bigrams(k)) for k in keys) >= ITEM_PARAPHRASE_JACCARD:
            return None
        mean = sum(len(k) for k in keys) / len(keys)
        return abs(len(value) - mean) / max(mean, 1)
    return 0.0  # conditions: any other condition is as plausible


def _shape(r: tuple[int | None, int | None]) -> str:
    lo, hi = r
    if lo is not None and hi is not None:
        return "fixed" if lo == hi else "range"
    return "upto" if hi is not None else "atleast"
