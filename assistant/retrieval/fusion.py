"""Reciprocal-rank fusion (Cormack et al., 2009): each ranked list votes weight / (k + rank)."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def rrf(rankings: Iterable[tuple[Sequence[Hashable], float]], k: int) -> dict:
    """Fused score per item. Items keep the order in which they were first seen, so a stable
    sort on the scores breaks ties by the earlier list and rank."""
    fused: dict = {}
    for ranked, weight in rankings:
        for rank, item in enumerate(ranked):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return fused
