"""What a search takes and gives: filters, the result, and the error for a missing index."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.core.models import Citation, Hit


@dataclass
class Filters:
    jurisdictions: tuple[str, ...] | None = None  # None: the default scope (上海 + 全国 + 内部)
    levels: tuple[str, ...] | None = None
    include_superseded: bool = False
    laws: tuple[str, ...] | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    no_basis: bool
    mode: str  # "hybrid", "lexical" or "dense"
    citations: list[Citation] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    reason: str | None = None
    signals: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"query": self.query, "no_basis": self.no_basis,
                "hits": [h.to_json() for h in self.hits], "mode": self.mode,
                "reason": self.reason}


class IndexNotReady(RuntimeError):
    """The index is missing or inconsistent; the message tells the user what to run."""
