"""Whether the offender can be punished at all: the age or mental state a question names.

「城管抓到一个十三岁的孩子乱涂乱画，能罚款吗」 is answered by 行政处罚法第三十条 (under fourteen: no
penalty, the guardian is told to discipline the child; fourteen to seventeen: a lighter or reduced
penalty), whatever the conduct's own article says; 「精神病人乱扔垃圾」 by 第三十一条 (depends on
whether the person could tell or control what they did). The composer quotes the sentence that
applies from the index and cites it; nothing here states the rule itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

LAW = "中华人民共和国行政处罚法"
MINORS_ARTICLE = 30
MENTAL_ARTICLE = 31
# The age brackets of 第三十条, as its sentences begin.
UNDER_14 = "不满十四周岁"
FROM_14_TO_18 = "已满十四周岁不满十八周岁"
ADULT_AGE = 18
PUNISHABLE_AGE = 14

# An age, not an animal's (「养了条三岁的狗」).
_AGE = re.compile(r"(?<![0-9〇一二两三四五六七八九十])([0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*周?岁(?!的?(?:狗|犬|猫|宠物))")
_MINOR = re.compile(r"未成年")
_MENTAL = re.compile(r"精神病|精神疾病|精神障碍|智力残疾|智障|精神(?:不太正常|不大正常|(?:有点|有些)?(?:不正常|失常|异常|有问题|问题))")


@dataclass(frozen=True)
class Offender:
    """What the question says about who acted: an age, 「未成年」 without one, a mental disorder."""

    age: int | None = None
    minor: bool = False
    mental: bool = False

    @property
    def under_punishable_age(self) -> bool:
        return self.age is not None and self.age < PUNISHABLE_AGE


# A person someone else acts on (「纹身店给一个15岁的初中生纹身」「向未成年人出售烟酒」) is not the
# offender: the marker stands earlier in the same clause.
_ACTED_ON = re.compile(r"(?:给|向|对|为|替|帮|让|招用|雇用|雇|卖给|租给|接纳|允许|收留|带着?)[^，,。；;？?！!]*$")


def _offender_mentions(pattern: re.Pattern, question: str) -> list[re.Match]:
    return [m for m in pattern.finditer(question) if not _ACTED_ON.search(question[: m.start()])]


def asked_offender(question: str) -> Offender | None:
    """The offender the question describes, or None when it says nothing of age or mind. The
    last age named counts (a follow-up 「那如果是个十六岁的呢」 is read after the first turn); an
    age or minor someone else acts on (「给一个15岁的初中生纹身」) is not the offender's."""
    ages = []
    for m in _offender_mentions(_AGE, question):
        try:
            ages.append(int(cn2an.cn2an(m.group(1), "smart")))
        except ValueError:
            continue
    age = ages[-1] if ages else None
    minor = bool(_offender_mentions(_MINOR, question)) or (age is not None and age < ADULT_AGE)
    mental = bool(_MENTAL.search(question))
    if not (minor or mental):
        return None
    return Offender(age, minor, mental)


def applicable_sentences(offender: Offender, minors_text: str, mental_text: str) -> list[tuple[int, str]]:
    """(article, sentence) of 第三十条/第三十一条 that apply, from their text as the index holds it."""
    out: list[tuple[int, str]] = []
    if offender.minor:
        pieces = [p.strip() for p in re.split(r"[；。]", _body(minors_text)) if p.strip()]
        if offender.age is None:
            wanted = pieces
        else:
            bracket = UNDER_14 if offender.age < PUNISHABLE_AGE else FROM_14_TO_18
            wanted = [p for p in pieces if p.startswith(bracket)]
        out += [(MINORS_ARTICLE, p) for p in wanted]
    if offender.mental:
        out += [(MENTAL_ARTICLE, p.strip()) for p in _body(mental_text).split("。") if p.strip()]
    return out


def _body(text: str) -> str:
    """The article's text without its 「第三十条」 label."""
    return re.sub(r"^第[一二三四五六七八九十百零〇]+条\s*", "", text.strip())
