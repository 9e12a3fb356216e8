"""Questions about legal areas the library does not cover (tax, divorce, traffic …).

The team's lexicon (corpus/out_of_scope.tsv) lists words that never occur in the library and
signal such an area, with where to ask instead. It only adds that referral to a "no basis"
answer; whether there is a basis is judged on the retrieved articles (issue #8)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutOfScope:
    term: str
    area: str
    referral: str


class ScopeLexicon:
    def __init__(self, path: Path):
        self.terms: dict[str, OutOfScope] = {}
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    term = (row.get("term") or "").strip()
                    if term:
                        self.terms[term] = OutOfScope(term, (row.get("area") or "").strip(),
                                                      (row.get("referral") or "").strip())
        self._by_length = sorted(self.terms, key=len, reverse=True)

    def match(self, text: str) -> OutOfScope | None:
        return next((self.terms[t] for t in self._by_length if t in text), None)
