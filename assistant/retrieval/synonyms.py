"""Colloquial → legal expansion from the team's authored table (corpus/synonyms.tsv)."""
from __future__ import annotations

import csv
from pathlib import Path


class Synonyms:
    def __init__(self, path: Path):
        self.table: dict[str, list[str]] = {}
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    key, legal = (row.get("colloquial") or "").strip(), (row.get("legal") or "").split()
                    if key and legal:
                        self.table.setdefault(key, []).extend(legal)

    def expand(self, text: str, skip: tuple[str, ...] = ()) -> list[str]:
        """Legal terms for every colloquial term found in the text, longest terms first,
        without terms the text already contains; keys containing a `skip` word are ignored."""
        out: list[str] = []
        for key in sorted(self.table, key=len, reverse=True):
            if key in text and not any(w in key for w in skip):
                out.extend(t for t in self.table[key] if t not in text and t not in out)
        return out
