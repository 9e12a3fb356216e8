"""Places whose own rules the library does not hold (corpus/regions.txt): a question about
「深圳养狗要办什么证」 asks for Shenzhen's rules, and the library has none of them."""
from __future__ import annotations

import re
from pathlib import Path

# Shanghai names many roads after provinces and cities (南京路, 四川北路, 西藏中路), and its river
# and bay after the cities they lead to (苏州河, 杭州湾): a place name followed by a road, estate or
# water word is a place in Shanghai, not another region (「苏州河防汛墙上系船」 had been refused as
# Suzhou's rules).
_ADDRESS_AFTER = (r"(?![东西南北中]{0,2}(?:路|街|大道|大桥|隧道|弄|里|新村|小区|公寓|花园|广场|中学|小学|大厦|饭店|宾馆|菜场"
                  r"|河|湾))")
# 「老家在安徽」「运回安徽」「安徽户口」「安徽人」 say where someone comes from or goes: the conduct asked
# about happens here (blind review H11, 「在上海医院走的…运回老家」, had been refused as Anhui's rules).
_ORIGIN_BEFORE = r"(?<!老家)(?<!老家在)(?<![运送带拉回])(?<!来自)"
_ORIGIN_AFTER = r"(?!户口|户籍|籍|人(?!民)|老家|牌照|车牌)"
# The question names Shanghai as the place: another region in it is not the rules asked about.
# Not a Shanghai regulation's title (a follow-up carries the previous 结论's law: 「那在江苏呢」).
_HOME = re.compile(r"上海(?!市[^\s，。？]{0,20}?(?:条例|规定|办法|决定))|本市|沪")


_THERE = re.compile(r"(?:那边|那里|那儿|当地)")


class RegionLexicon:
    def __init__(self, path: Path):
        names = []
        if path.exists():
            names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")]
        names.sort(key=len, reverse=True)
        self._regex = (re.compile(_ORIGIN_BEFORE + "(" + "|".join(map(re.escape, names)) + ")" + _ADDRESS_AFTER + _ORIGIN_AFTER)
                       if names else None)

    def match(self, text: str) -> str | None:
        if not self._regex:
            return None
        found = list(self._regex.finditer(text))
        if not found:
            return None
        if not _HOME.search(text):
            return found[0].group(1)
        # 「每天来上海上班，昆山那边电瓶车上牌要带什么」: Shanghai is named, but the rules asked about are
        # those of the place said to be 「那边」 (blind review N5-45).
        there = [m for m in found if _THERE.match(text, m.end())]
        return there[0].group(1) if there else None
