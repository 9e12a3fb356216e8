"""Mark which version of each law is in force."""
from __future__ import annotations

import csv
from pathlib import Path

from assistant.core.models import Document


def load_replacements(path: Path) -> dict[str, str]:
    """old title → new title, from the team's authored table (corpus/replacements.tsv)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {row["old_title"].strip(): row["new_title"].strip()
                for row in csv.DictReader(f, delimiter="\t") if row.get("old_title")}


def assign_status(docs: list[Document], replacements: dict[str, str]) -> None:
    """Per title, the latest dated version is current and the others superseded; a title that
    another law in the corpus replaced is superseded altogether. Undated versions sort oldest."""
    by_title: dict[str, list[Document]] = {}
    for doc in docs:
        if doc.kind == "law":
            by_title.setdefault(doc.title, []).append(doc)
    for versions in by_title.values():
        versions.sort(key=lambda d: d.version or "")
        for doc in versions[:-1]:
            doc.status = "superseded"
            doc.replaced_by = f"{versions[-1].title}（{versions[-1].version}）"
    for old, new in replacements.items():
        if old in by_title and new in by_title:
            for doc in by_title[old]:
                doc.status = "superseded"
                doc.replaced_by = new
