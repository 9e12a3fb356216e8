"""A Shanghai regulation and a national law on the same conduct: which one the officer applies.

行政处罚法第十二条第二款: where a law or administrative regulation already punishes a conduct, a
地方性法规 may only specify the penalty within that law's conducts, kinds and ranges. So when the
结论 rests on a Shanghai regulation and a national law fines the same conduct, the answer names the
national one as its 上位法 and says whether the local range lies within it (the local rule then
applies) or not (the two must be checked before use: the local rule may predate the law's revision),
each conditional on the two rules being about the same conduct, which word overlap cannot prove.
When the 结论 rests on a national law and a Shanghai regulation fines the same conduct, both are
shown with their ranges. Pure functions over the matched 款; the composer decides what is "the same
conduct" (coverage of the question, as for the basis list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.penalty import Fine, format_fine
from assistant.index.tokenize import char_bigrams

# The rule that says which one applies, cited only when the index holds it.
RULE_LAW = "中华人民共和国行政处罚法"
RULE_ARTICLE = 12
RULE_CLAUSE = "第二款"


@dataclass(frozen=True)
class Fined:
    """One 款's fines with where it is: what the note compares."""

    where: str  # 「《上海市大气污染防治条例》第99条第二款」
    version: str | None
    fines: tuple[Fine, ...]

    def ranges(self) -> list[tuple[int | None, int | None]]:
        return [(f.min_yuan, f.max_yuan) for f in self.fines if f.states_sum]

    def shown(self) -> str:
        """The fines that state a sum, with their conditions (「对个人依法处以罚款」 says none)."""
        return "；".join(format_fine(f) for f in self.fines if f.states_sum)


def within(local: Fined, upper: Fined) -> bool | None:
    """Every local sum lies within the upper law's overall range; None when either states none."""
    ours, theirs = local.ranges(), upper.ranges()
    if not ours or not theirs:
        return None
    lows = [lo for lo, _ in theirs if lo is not None]
    highs = [hi for _, hi in theirs if hi is not None]
    floor = min(lows) if len(lows) == len(theirs) else None  # a range open below has no floor
    ceiling = max(highs) if len(highs) == len(theirs) else None
    for lo, hi in ours:
        if floor is not None and (lo if lo is not None else 0) < floor:
            return False
        if ceiling is not None and (hi is None or hi > ceiling):
            return False
    return True


def upper_law_note(local: Fined, upper: Fined, rule_cited: bool) -> str:
    """The note under a 结论 from a Shanghai regulation when a national law fines the same conduct."""
    rule = f"（《{RULE_LAW}》第{RULE_ARTICLE}条{RULE_CLAUSE}）" if rule_cited else ""
    head = f"上位法：{upper.where}对相关行为规定罚款{upper.shown()}。"
    fits = within(local, upper)
    if fits:
        return head + f"两者规定的是同一行为的，本市规定的罚款在上位法幅度内，是其具体规定，适用本市规定{rule}。"
    if fits is False:
        dates = f"（本市规定{local.version or '版本日期未知'}版，上位法{upper.version or '版本日期未知'}版）"
        return (head + f"两者规定的是同一行为的，本市规定的罚款幅度或适用条件与上位法不同{dates}：地方性法规只能在"
                f"上位法规定的行为、种类和幅度内作具体规定{rule}，适用前请核对两者的行为要件、适用条件和修订时间。")
    return head


def local_rule_note(national: Fined, local: Fined) -> str:
    """The note under a 结论 from a national law when a Shanghai regulation fines the same conduct."""
    return (f"本市规定：{local.where}对相近行为规定罚款{local.shown()}（{national.where}为其上位法）；"
            "执法时请核对两者的行为要件，行为相同的，适用在上位法幅度内作出具体规定的本市规定。")


# Which fine applies when one conduct breaks two rules: the higher (行政处罚法第二十九条).
SAME_CONDUCT_RULE_ARTICLE = 29


def other_local_rule_note(other: Fined, rule_cited: bool) -> str:
    """The note under a 结论 from a Shanghai regulation when another Shanghai regulation fines
    related conduct (市容环境卫生管理条例第二十八条 and 大气污染防治条例第九十七条 on burning rubbish):
    both may be bases, and for one conduct the higher fine applies, never both."""
    rule = f"（《{RULE_LAW}》第{SAME_CONDUCT_RULE_ARTICLE}条）" if rule_cited else ""
    return (f"本市另有规定：{other.where}对相近行为规定罚款{other.shown()}。两者规定的是同一行为的，"
            f"不得给予两次以上罚款，按照罚款数额高的规定处罚{rule}；执法时请核对两者的行为要件和执法部门。")


# Words of a title that say whose rule it is or what kind, not what it is about.
_TITLE_AFFIXES = re.compile(r"中华人民共和国|上海市|实施|若干|办法|条例|规定|细则|和|的")
SAME_SUBJECT_SHARE = 0.6  # 市容环境卫生管理 / 城市市容和环境卫生管理: 6 of 7 bigrams


def same_subject(local: str, national: str) -> bool:
    """The two titles name the same subject (上海市市容环境卫生管理条例 and 城市市容和环境卫生管理条例,
    上海市实施《中华人民共和国土地管理法》办法 and 中华人民共和国土地管理法): most of the shorter
    subject's character bigrams are in the other's. Titles of other subjects share few
    (上海市查处车辆非法客运若干规定 and 中华人民共和国道路交通安全法 none)."""
    grams = [set(char_bigrams(_TITLE_AFFIXES.sub("", t))) for t in (local, national)]
    shorter = min(grams, key=len)
    if not shorter:
        return False
    return len(grams[0] & grams[1]) / len(shorter) >= SAME_SUBJECT_SHARE
