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

from assistant.answering.clauses import Clause, clauses
from assistant.core.legaltext import CN_NUM, ITEM_START, cn_int, cn_numeral
from assistant.core.render import article_label

# 「违反本条例第三十一条第二款规定」「违反本法第六十七条、第六十八条规定的」「违反本规定第五十条第一项」.
# Not 「依照本条例第二十二条处理」 (a procedure) nor 「有本条例第十五条行为的」 (read by matching.py).
# 「第三十一条第二款」「第二十二条第一、二、三项」「第五十条第（一）项」.
_NUM_ITEM = rf"[（(]?[{CN_NUM}]+[)）]?"
_PARAGRAPHS = rf"((?:[、和及或者]*第[{CN_NUM}]+(?:[、和及或者]+[{CN_NUM}]+)*款)*)"
_ITEMS = rf"((?:[、和及或者]*第{_NUM_ITEM}(?:[、和及或者]+{_NUM_ITEM})*项)*)"
_ONE_ARTICLE = re.compile(rf"第([{CN_NUM}]+)条{_PARAGRAPHS}{_ITEMS}")
_REFS = rf"((?:[、，和及或者]*第[{CN_NUM}]+条{_PARAGRAPHS[1:-1]}{_ITEMS[1:-1]})+)"
# 「违反第四十一条规定，建设单位擅自封堵排水管道…」 names its own law's article without 本条例 too.
_BREACH = re.compile(rf"违反(?:了)?(?:本(?:条例|规定|办法|实施办法|细则|法|决定))?{_REFS}")
# 「违反本条例规定，…有下列行为之一的…：（一）违反第十四条规定，…」: each item names its own rule.
_ITEM_BREACH = re.compile(rf"^[（(][{CN_NUM}]+[)）]违反{_REFS}")
# 「违反本条第一款规定」「违反第二款规定」「违反前款规定」「违反本条规定的」: a 款 of the same article.
_BREACH_PARAGRAPHS = re.compile(rf"违反(?:了)?(?:本条)?((?:[、和及或者]*第[{CN_NUM}]+款)+)(?:的)?规定")
_BREACH_PRECEDING = re.compile(r"违反(?:了)?(前[两二三]?款)(?:的)?规定")
_BREACH_ARTICLE = re.compile(r"违反(?:了)?本条(?:的)?规定")
_NUMBER = re.compile(rf"[{CN_NUM}]+")
_ITEM_NUMBER = re.compile(rf"^[（(]([{CN_NUM}]+)[)）]")
_PRECEDING = {"前款": 1, "前两款": 2, "前二款": 2, "前三款": 3}

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
        out = article_label(self.law, self.article)
        if self.paragraphs:
            out += "、".join(f"第{cn_numeral(n)}款" for n in self.paragraphs)
        if self.items:
            out += "、".join(f"第（{cn_numeral(n)}）项" for n in self.items)
        return out

    def to_json(self) -> dict:
        return {"law": self.law, "article": self.article, "version": self.version,
                "paragraphs": list(self.paragraphs), "items": list(self.items), "text": self.text}


@dataclass(frozen=True)
class Breach:
    """A reference to a broken rule as the penalty 款 words it: the article (None for its own),
    the 款 and 项 named (empty: all)."""

    article: int | None
    paragraphs: tuple[int, ...]
    items: tuple[int, ...]


def breaches(clause: Clause, relevance: Callable[[str], float] | None = None) -> list[Breach]:
    """The rules a penalty 款 says it punishes breaking, in its order. In a 款 whose items each
    name their rule (「（一）违反第十四条规定，…」), those of the items most relevant to the
    question (`relevance`; without it, or when none is, all)."""
    text = clause.text
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
        here += range(max(1, clause.number - _PRECEDING.get(m.group(1), 1)), clause.number)
    if _BREACH_ARTICLE.search(text):  # in its last 款: the 款 before it
        here += range(1, clause.number)
    wanted = tuple(dict.fromkeys(n for n in here if n != clause.number))
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
    m = _ITEM_NUMBER.match(line)
    try:
        return cn_int(m.group(1)) if m else None
    except ValueError:
        return None
