"""违法依据: the rule a penalty 款 punishes breaking. 「违反本条例第三十一条第二款规定，互联网租赁自行车
运营企业对违规停放的车辆未及时清理的，由城管执法部门责令改正，处……罚款」 fines the breach of a duty
that only 第三十一条第二款 states (「……二小时内清理」). An officer's decision cites both, the rule
broken (违法依据) and the penalty (处罚依据), and needs the duty's own words to say what was breached.

Pure functions over an article's text; the caller fetches the referenced articles (same law and
version) from the store."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.clauses import clauses
from assistant.core.breaches import Breach, parts_label
from assistant.core.legaltext import ITEM_NUMBER, ITEM_START, cn_int
from assistant.core.render import article_label

# A duty longer than this is shown by its introduction and the items the question is about
# (城市道路管理条例第二十条 lists ten prohibitions; a penalty for one of them needs that one).
VIOLATED_RULE_CHARS = 240
# At most this many rules broken are listed (a 款 punishing 「违反本条例第二十条、第二十一条、
# 第二十二条规定」 names three; more would bury the penalty), and of a 款 naming several, those
# covering the question at least this share as well as the best (非机动车条例第四十七条 punishes
# breaking 第二十一条、第二十二条、第二十七条: 「人行道上乱停」 is 第二十七条's). Set by reading
# answers, not fitted on an eval set.
MAX_VIOLATED_RULES = 3
VIOLATED_RELEVANCE_RATIO = 0.5


@dataclass(frozen=True)
class ViolatedRule:
    """A rule broken: where (article, 款, 项) and its words."""

    law: str
    article: int
    version: str | None
    paragraphs: tuple[int, ...]
    items: tuple[int, ...]
    text: str

    def where(self) -> str:
        return article_label(self.law, self.article) + parts_label(self.paragraphs, self.items, bracketed=True)

    def to_json(self) -> dict:
        return {"law": self.law, "article": self.article, "version": self.version,
                "paragraphs": list(self.paragraphs), "items": list(self.items), "text": self.text}


def violated_rule(law: str, article: int, version: str | None, body: str, breach: Breach,
                  relevance: Callable[[str], float] | None = None) -> ViolatedRule | None:
    """The words of the rule `breach` names in the article `body` (the named 款 and 项, or the
    whole article); None when the article has no such 款. A rule longer than VIOLATED_RULE_CHARS
    is cut to the 款 and then the items most relevant to the question (`relevance`), whole
    款 and items only, each list with its introduction."""
    article_clauses = clauses(body)
    chosen = [c for c in article_clauses if not breach.paragraphs or c.number in breach.paragraphs]
    if not chosen:
        return None
    paragraphs = breach.paragraphs
    long = sum(len(c.text) for c in chosen) > VIOLATED_RULE_CHARS
    if long and relevance is not None and len(chosen) > 1:
        picked = _most_relevant(chosen, lambda c: relevance(c.text))
        if picked is not chosen:
            chosen, paragraphs = picked, tuple(c.number for c in picked)
    lines = [line for c in chosen for line in c.text.split("\n")]
    intro = [line for line in lines if not ITEM_START.match(line)]
    listed = [line for line in lines if ITEM_START.match(line)]
    items = breach.items
    if items:
        wanted = [line for line in listed if _item(line) in items]
        if wanted:
            lines = intro + wanted
    elif long and relevance is not None and listed and len(chosen) == 1:
        picked = _most_relevant(listed, relevance)
        if picked is not listed:
            items = tuple(n for line in picked if (n := _item(line)) is not None)
            lines = intro + picked
    return ViolatedRule(law, article, version, paragraphs, items, "".join(lines))


def _most_relevant(parts: list, relevance: Callable) -> list:
    """The parts scoring best (at most two), or all of them when none is relevant at all."""
    scores = [relevance(p) for p in parts]
    best = max(scores)
    if best <= 0:
        return parts
    return [p for p, s in zip(parts, scores) if s == best][:2]


def _item(line: str) -> int | None:
    m = ITEM_NUMBER.match(line)
    try:
        return cn_int(m.group(1)) if m else None
    except ValueError:
        return None
