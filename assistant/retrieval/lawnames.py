"""Explicit citations and law names in free text: 「生活垃圾管理条例第五十七条」, 「第57条」,
「《物业规定》第七十二条」 → (exact title, article number)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.core.legaltext import ARTICLE_REF, cn_int, normalize
from assistant.core.models import Citation


@dataclass(frozen=True)
class LawMention:
    title: str
    start: int
    end: int
    raw: str


class LawNames:
    """Maps every way of naming a law (exact title, authored alias, title without the
    「中华人民共和国」 or 「上海市」 prefix) to its exact title."""

    def __init__(self, titles: list[str], aliases_path: Path | None = None, home_region: str = "上海市"):
        names: dict[str, str] = {}
        # Short forms first so that exact titles and authored aliases override them.
        for title in sorted(titles, key=lambda t: not t.startswith(home_region)):
            for short in (title.removeprefix("中华人民共和国"), title.removeprefix(home_region)):
                if len(short) >= 4:
                    names.setdefault(short, title)
        if aliases_path and aliases_path.exists():
            with aliases_path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    alias, title = (row.get("alias") or "").strip(), (row.get("title") or "").strip()
                    if alias and title in titles:
                        names[alias] = title
        for title in titles:
            names[title] = title
            # 「中国（上海）自由贸易试验区条例」 as text reads after NFKC: 「中国(上海)…」
            names.setdefault(normalize(title), title)
            if "《" in title:  # 上海市实施《中华人民共和国土地管理法》办法, as written in answers (〈〉) and plainly
                names.setdefault(title.replace("《", "〈").replace("》", "〉"), title)
                names.setdefault(title.replace("《", "").replace("》", ""), title)
        self.names = names
        # Names with punctuation inside (「上海市实施《…》办法」「中国(上海)自由贸易试验区条例」「关于代表
        # 建议、批评和意见的规定」), which a run of Chinese characters before 第N条 does not span.
        self.punctuated = sorted((n for n in names if re.search(r"[^\u3400-\u9fff]", n)), key=len, reverse=True)
        pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._regex = re.compile(pattern) if pattern else None

    def mentions(self, text: str) -> list[LawMention]:
        if not self._regex:
            return []
        text = normalize(text)
        return [LawMention(self.names[m.group(0)], m.start(), m.end(), m.group(0))
                for m in self._regex.finditer(text)]

    def citations(self, text: str) -> list[Citation]:
        """Article references; each takes the law named right before it (「X第N条」,
        「《X》第N条」, 「X的第N条」), else the law named anywhere in the text, else none."""
        text = normalize(text)
        mentions = self.mentions(text)
        out: list[Citation] = []
        for m in ARTICLE_REF.finditer(text):
            try:
                number = cn_int(m.group(1))
            except (ValueError, TypeError):
                continue
            before = [x for x in mentions if x.end <= m.start()]
            law = law_raw = None
            if before:
                gap = text[before[-1].end : m.start()]
                if re.fullmatch(r"[》」\s]*(的)?\s*", gap):
                    law, law_raw = before[-1].title, before[-1].raw
            if law is None and len({x.title for x in mentions}) == 1:
                law, law_raw = mentions[0].title, mentions[0].raw
            out.append(Citation(law=law, article=number, raw=m.group(0), law_raw=law_raw))
        return out
