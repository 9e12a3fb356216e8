"""Mark which version of each law is in force."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from assistant.core.models import Document


def _title_table(path: Path, key: str, value: str) -> dict[str, str]:
    """One title → another, from a team-authored TSV; empty when the file is absent."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {row[key].strip(): row[value].strip() for row in csv.DictReader(f, delimiter="\t") if row.get(key)}


def load_replacements(path: Path) -> dict[str, str]:
    """old title → new title, from the team's authored table (corpus/replacements.tsv)."""
    return _title_table(path, "old_title", "new_title")


def load_title_corrections(path: Path) -> dict[str, str]:
    """source title → the law's title, for files whose own title is misspelt (corpus/title_corrections.tsv)."""
    return _title_table(path, "source_title", "title")


def correct_titles(docs: list[Document], corrections: dict[str, str]) -> None:
    """A misspelt title is corrected, so that the file is a version of its law, not a second law."""
    for doc in docs:
        doc.title = corrections.get(doc.title, doc.title)


# 「本条例自2024年11月1日起施行。…通过的《上海市实施〈中华人民共和国气象法〉办法》同时废止。」
_SENTENCE = re.compile(r"[^。]*废止[^。]*")
_TITLE = re.compile(r"《((?:[^《》〈〉]|〈[^〈〉]*〉)+)》")


def stated_repeals(docs: list[Document]) -> dict[str, str]:
    """old title → the title of the law in the corpus whose own text repeals it (「《X》同时废止」),
    for the titles the corpus holds. The latest version of each law speaks; a law naming an earlier
    text of its own title repeals that version only, which the dates already settle."""
    latest: dict[str, Document] = {}
    for doc in docs:
        if doc.kind == "law" and (doc.title not in latest or (doc.version or "") > (latest[doc.title].version or "")):
            latest[doc.title] = doc
    repeals: dict[str, str] = {}
    for title, doc in latest.items():
        for article in doc.articles:
            text = "".join(p.full_text for p in article.paragraphs)
            for sentence in _SENTENCE.findall(text):
                for named in _TITLE.findall(sentence):
                    old = named.replace("〈", "《").replace("〉", "》")
                    if old != title and old in latest and not old.startswith("关于修改"):
                        repeals[old] = title
    return repeals


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
