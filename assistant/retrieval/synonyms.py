"""Colloquial → legal expansion from the team's authored table (corpus/synonyms.tsv)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

# A key written with 「…」 (「狗…叫」) has its parts in that order, a few characters apart within one
# clause: 「隔壁家的狗从早叫到晚」 says 犬吠 as much as 「狗叫」 does. Six characters: the words
# people put between (「狗一到夜里就叫」 has five).
GAP = "…"
MAX_GAP_CHARS = 6
_CLAUSE_END = "，,。？?！!；;：:\n"


def gapped_pattern(key: str) -> re.Pattern:
    """The pattern of a key with gaps: its parts in order, at most MAX_GAP_CHARS apart, in one clause."""
    gap = f"[^{_CLAUSE_END}]{{0,{MAX_GAP_CHARS}}}"
    return re.compile(gap.join(re.escape(part) for part in key.split(GAP)))


class Synonyms:
    def __init__(self, path: Path):
        self.table: dict[str, list[str]] = {}
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    key, legal = (row.get("colloquial") or "").strip(), (row.get("legal") or "").split()
                    if key and legal:
                        self.table.setdefault(key, []).extend(legal)
        self._gapped = {key: gapped_pattern(key) for key in self.table if GAP in key}
        self._by_length = sorted(self.table, key=lambda k: len(k.replace(GAP, "")), reverse=True)

    def _found(self, key: str, text: str) -> bool:
        pattern = self._gapped.get(key)
        return bool(pattern.search(text)) if pattern else key in text

    def expand(self, text: str, skip: tuple[str, ...] = ()) -> list[str]:
        """Legal terms for every colloquial term found in the text, longest terms first,
        without terms the text already contains; keys containing a `skip` word are ignored."""
        out: list[str] = []
        for key in self._by_length:
            if self._found(key, text) and not any(w in key for w in skip):
                out.extend(t for t in self.table[key] if t not in text and t not in out)
        return out
