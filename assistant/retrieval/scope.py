"""Questions about legal areas the library does not cover (tax, divorce, traffic …).

The team's lexicon (corpus/out_of_scope.tsv) lists words that never occur in the library and
signal such an area, with where to ask instead. It only adds that referral to a "no basis"
answer; whether there is a basis is judged on the retrieved articles (issue #8)."""
from __future__ import annotations

import csv
from collections.abc import Collection
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

    def match(self, text: str, boundaries: Collection[int] | None = None) -> OutOfScope | None:
        """The longest listed term in the text. With `boundaries` (the offsets where the text's
        words begin and end), not a term that cuts into a word at both its ends: 「维保单位」
        (维保/单位) has no 「保单」, but 「惠民保能报销吗」 (惠民/保能) has 「惠民保」, which the
        segmenter does not know."""
        for term in self._by_length:
            start = text.find(term)
            while start >= 0:
                if boundaries is None or start in boundaries or start + len(term) in boundaries:
                    return self.terms[term]
                start = text.find(term, start + 1)
        return None
