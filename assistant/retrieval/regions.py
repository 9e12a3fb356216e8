"""Places whose own rules the library does not hold (corpus/regions.txt): a question about
「深圳养狗要办什么证」 asks for Shenzhen's rules, and the library has none of them."""
from __future__ import annotations

import re
from pathlib import Path

# Shanghai names many roads after provinces and cities (南京路, 四川北路, 西藏中路): a place name
# followed by a road or estate word is an address in Shanghai, not another region.
_ADDRESS_AFTER = r"(?![东西南北中]{0,2}(?:路|街|大道|大桥|隧道|弄|里|新村|小区|公寓|花园|广场|中学|小学|大厦|饭店|宾馆|菜场))"


class RegionLexicon:
    def __init__(self, path: Path):
        names = []
        if path.exists():
            names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")]
        names.sort(key=len, reverse=True)
        self._regex = re.compile("(" + "|".join(map(re.escape, names)) + ")" + _ADDRESS_AFTER) if names else None

    def match(self, text: str) -> str | None:
        if not self._regex:
            return None
        m = self._regex.search(text)
        return m.group(1) if m else None
