"""Shared helpers for the evaluation runners."""
from __future__ import annotations

import json
from pathlib import Path

from assistant.retrieval.types import Filters

EVALS_DIR = Path(__file__).resolve().parent


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def filters_for(item: dict) -> Filters:
    f = item.get("filters") or {}
    return Filters(jurisdictions=tuple(f.get("jurisdiction") or ()) or None,
                   include_superseded=bool(f.get("all_versions")))


def gold_rank(hits: list[dict], gold: dict) -> int | None:
    """1-based rank of the first hit that is this gold article (and version, if given)."""
    for rank, h in enumerate(hits, 1):
        if h["law"] == gold["law"] and h["article"] == gold["article"] and (
            "version" not in gold or h["version"] == gold["version"]
        ):
            return rank
    return None
