#!/usr/bin/env python3
"""Checker for evals/qa.jsonl against the regulation corpus.

Usage (from the repository root, with the project's virtualenv):
    python evals/check_qa.py [--qa PATH] [--corpus PATH] [--quiet]

The corpus is the product's setting, ``$ASSISTANT_CORPUS_PATH`` or ``../shared/corpus``;
``--corpus`` takes the folder that holds ``lawrefbook/`` or ``lawrefbook/`` itself.  Laws and
articles are read with the product's parser (``ingestion.library.Library``), so an article
number means what it means to the index.  It verifies every line of qa.jsonl:

* UTF-8 without BOM, LF line ends, final newline; the line is valid JSON with the required
  fields and allowed values;
* ids are unique;
* every gold item names an existing law title exactly (``# 标题`` line) and an
  existing article -- in the given ``version`` if present, otherwise in the
  current (latest) version of that law;
* every key_fact appears verbatim in the text of one of the gold articles
  (the article's 款 and 项 as the parser reads them, up to the next article or heading);
* type-specific rules (unanswerable -> gold == [], penalty/duty -> key_facts,
  jurisdiction -> filters.jurisdiction, old versions -> filters.all_versions);
* non-citation questions do not copy long stretches of the gold article text.

Exit status is 0 when zero problems are found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from ingestion.library import Library

# The helpers shared by the authored-content checkers live in corpus/_checks.py. Those checkers
# are scripts in corpus/, which Python puts on sys.path for them; this one is run as
# `python evals/check_qa.py`, so it puts corpus/ on the path itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, add_corpus_option, longest_shared, read_records  # noqa: E402

DEFAULT_QA = Path(__file__).resolve().parent / "qa.jsonl"

ALLOWED_TYPES = {
    "penalty",
    "colloquial",
    "duty",
    "procedure",
    "definition",
    "version",
    "jurisdiction",
    "citation",
    "unanswerable",
}
ALLOWED_SPLITS = {"dev", "test"}
ALLOWED_KEYS = {"id", "question", "type", "gold", "split", "filters", "key_facts"}
REQUIRED_KEYS = {"id", "question", "type", "gold", "split"}
ALLOWED_FILTER_KEYS = {"all_versions", "jurisdiction"}


def check(qa_path: Path, library: Library, rep: Report, max_copy: int = 16) -> list[dict]:
    """Check every line of qa.jsonl; return the records that parsed as objects."""
    law_titles = {d.title for d in library.laws()}  # not court cases
    # Two files of one law with the same date would make "version" ambiguous.
    for (title, version), n in Counter((d.title, d.version) for d in library.laws()).items():
        if n > 1:
            rep.bad("corpus", f"duplicate title/version {title} {version or 'undated'}")
    seen_ids = set()
    seen_questions = set()
    records = []
    for where, rec in read_records(qa_path, rep):
        rid = rec.get("id")
        missing = REQUIRED_KEYS - rec.keys()
        if missing:
            rep.bad(where, f"missing keys {sorted(missing)}")
            continue
        extra = rec.keys() - ALLOWED_KEYS
        if extra:
            rep.bad(where, f"unexpected keys {sorted(extra)}")
        if not isinstance(rid, str) or not re.fullmatch(r"q\d{3,}", rid):
            rep.bad(where, "bad id")
            rid = repr(rid)
        if rid in seen_ids:
            rep.bad(where, "duplicate id")
        seen_ids.add(rid)
        q = rec["question"]
        if not isinstance(q, str) or not q.strip():
            rep.bad(where, "empty question")
            q = ""
        if q in seen_questions:
            rep.bad(where, "duplicate question")
        seen_questions.add(q)
        qtype = rec["type"]
        if qtype not in ALLOWED_TYPES:
            rep.bad(where, f"bad type {qtype!r}")
        if rec["split"] not in ALLOWED_SPLITS:
            rep.bad(where, f"bad split {rec['split']!r}")
        filters = rec.get("filters", {})
        if not isinstance(filters, dict):
            rep.bad(where, "filters must be an object")
            filters = {}
        if set(filters) - ALLOWED_FILTER_KEYS:
            rep.bad(where, f"unknown filter keys {sorted(set(filters) - ALLOWED_FILTER_KEYS)}")
        if "all_versions" in filters and filters["all_versions"] is not True:
            rep.bad(where, "filters.all_versions must be true when present")
        if "jurisdiction" in filters:
            jur = filters["jurisdiction"]
            if not (isinstance(jur, list) and jur and all(j in {"北京", "上海", "全国"} for j in jur)):
                rep.bad(where, f"bad filters.jurisdiction {jur!r}")
        key_facts = rec.get("key_facts", [])
        if not isinstance(key_facts, list) or not all(isinstance(k, str) and k for k in key_facts):
            rep.bad(where, "key_facts must be a list of non-empty strings")
            key_facts = []
        gold = rec["gold"]
        if not isinstance(gold, list):
            rep.bad(where, "gold must be a list")
            gold = []

        # type-specific rules
        if qtype == "unanswerable":
            if gold:
                rep.bad(where, "unanswerable question must have gold == []")
            if key_facts:
                rep.bad(where, "unanswerable question must not have key_facts")
        elif not gold:
            rep.bad(where, "answerable question has empty gold")
        if qtype in {"penalty", "duty"} and not key_facts:
            rep.bad(where, f"{qtype} question needs key_facts")
        if qtype == "jurisdiction" and filters.get("jurisdiction") != ["北京"]:
            rep.bad(where, "jurisdiction question needs filters.jurisdiction == ['北京']")

        gold_texts = []
        seen_gold = set()
        for g in gold:
            if not isinstance(g, dict) or set(g) - {"law", "article", "version"} or not {"law", "article"} <= set(g):
                rep.bad(where, f"bad gold item {g!r}")
                continue
            law, art = g["law"], g["article"]
            if not isinstance(art, int) or isinstance(art, bool) or art <= 0:
                rep.bad(where, f"article must be a positive int: {g!r}")
                continue
            key = (repr(law), art, repr(g.get("version")))
            if key in seen_gold:
                rep.bad(where, f"duplicate gold item {g!r}")
            seen_gold.add(key)
            if not isinstance(law, str) or law not in law_titles:
                rep.bad(where, f"unknown law title {law!r}")
                continue
            if "version" in g:
                ver = g["version"]
                doc = library.version(law, ver) if isinstance(ver, str) else None
                if doc is None:
                    have = sorted(d.version or "undated" for d in library.versions(law))
                    rep.bad(where, f"law {law!r} has no version {ver!r} (have {have})")
                    continue
                if doc is not library.current(law) and filters.get("all_versions") is not True:
                    rep.bad(where, f"old version {ver} of {law} needs filters.all_versions")
            else:
                doc = library.current(law)
            articles = library.articles(doc)
            if art not in articles:
                rep.bad(where, f"{law} ({doc.version or 'undated'}) has no article {art}")
                continue
            if qtype == "jurisdiction" and doc.jurisdiction != "北京":
                rep.bad(where, f"jurisdiction gold {law} is not a Beijing law")
            jur_filter = filters.get("jurisdiction")
            if jur_filter and doc.jurisdiction not in jur_filter:
                rep.bad(where, f"gold {law} outside filters.jurisdiction")
            gold_texts.append(articles[art])
        for fact in key_facts:
            if gold_texts and not any(fact in t for t in gold_texts):
                rep.bad(where, f"key_fact {fact!r} not found verbatim in gold article text")
        if qtype != "citation" and gold_texts and q:
            copied = max(longest_shared(q, t)[0] for t in gold_texts)
            if copied > max_copy:
                rep.bad(where, f"question copies {copied} consecutive chars from gold text")
        records.append(rec)
    return records


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=DEFAULT_QA)
    add_corpus_option(ap)
    ap.add_argument("--quiet", action="store_true", help="only print problems and totals")
    args = ap.parse_args(argv)

    rep = Report()
    records = check(args.qa, Library.read(args.corpus), rep)
    by_type = Counter(r["type"] for r in records)
    by_split = Counter(r["split"] for r in records)
    by_type_split = Counter((r["type"], r["split"]) for r in records)
    n_gold = sum(len(r["gold"]) for r in records)
    print("questions: %d (gold items: %d)" % (len(records), n_gold))
    if not args.quiet:
        print("by split: " + ", ".join("%s=%d" % kv for kv in sorted(by_split.items())))
        print("by type (dev/test):")
        for t in sorted(ALLOWED_TYPES):
            print("  %-13s %3d  (%d/%d)" % (t, by_type.get(t, 0),
                                           by_type_split.get((t, "dev"), 0),
                                           by_type_split.get((t, "test"), 0)))
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
