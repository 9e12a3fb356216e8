"""The 21 case categories (codes from the contract file) with department and legal bases."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    description: str
    expressions: tuple[str, ...]
    department: str
    is_enforcement: bool
    bases: tuple[tuple[str, int], ...]


def load_taxonomy(path: Path) -> dict[str, Category]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        code: Category(code, d["name"], d.get("description", ""), tuple(d.get("expressions") or ()),
                       d.get("department", ""), bool(d.get("is_enforcement", True)),
                       tuple((b["law"], int(b["article"])) for b in d.get("bases") or ()))
        for code, d in raw.items()
    }


def load_contract_codes(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f, delimiter="\t")]


def load_examples(path: Path, split: str) -> list[tuple[str, str]]:
    """(text, label) of the authored complaints of one split ("train" or "dev")."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["split"] == split:
                out.append((row["text"], row["label"]))
    return out
