#!/usr/bin/env python3
"""Checker for evals/no_basis.jsonl and evals/conversations.jsonl against the regulation corpus.

Usage (from the repository root, with the project's virtualenv):
    python evals/check_sets.py [--no-basis PATH] [--conversations PATH] [--corpus PATH]

The corpus is the product's setting (``Settings().corpus_path``: ``$ASSISTANT_CORPUS_PATH`` or
``../shared/corpus``); ``--corpus`` takes the folder that holds ``lawrefbook/`` or ``lawrefbook/``
itself. Laws and articles are read with the product's parser (``ingestion.library.Library``), so
"article 57 of X" means what it means to the index.

no_basis.jsonl -- questions the library cannot answer (the right reply is 本地法规库中没有依据).
One object per line with exactly the keys id, question, kind, related, why, split:

* id ``n001``…, unique; question a non-empty string, unique;
* kind ``out_of_library`` (related == []) or ``near_miss`` (related: the exact ``# 标题`` of one or
  more regulations in the library, the nearby regulation that lacks the asked fact);
* why a non-empty sentence; split ``dev`` or ``test``, half and half within each kind.

conversations.jsonl -- two-turn conversations whose second turn only makes sense after the first.
One object per line with exactly the keys id, turns, split, gold, key_facts, note:

* id ``f001``…, unique; turns exactly two different non-empty strings, the pair unique;
* gold a non-empty list of {"law", "article"} for the answer to the second turn: an existing law
  title (exact) and an article of its current version;
* key_facts a non-empty list of strings, each found verbatim in the text of a gold article;
* note a non-empty string; split ``dev`` or ``test``, half and half.

Both files: UTF-8 without BOM, LF line ends, a final newline, no blank lines, unicode written
as itself (not ``\\u`` escapes). A first turn must not also be listed as a no-basis question.
``--min-*`` set the minimum sizes (defaults: the sizes the sets were commissioned with).

Prints the counts per kind and split, every problem as ``PROBLEM: …`` and ``N problem(s)``;
exit status 0 when there are no problems, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from ingestion.library import Library

# Shared checker helpers live in corpus/_checks.py (see evals/check_qa.py for the same import).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, add_corpus_option, read_records  # noqa: E402

from evals.check_review import check_gold  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_NO_BASIS = HERE / "no_basis.jsonl"
DEFAULT_CONVERSATIONS = HERE / "conversations.jsonl"

SPLITS = ("dev", "test")
KINDS = ("out_of_library", "near_miss")
NO_BASIS_KEYS = {"id", "question", "kind", "related", "why", "split"}
CONVERSATION_KEYS = {"id", "turns", "split", "gold", "key_facts", "note"}


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _keys(rec: dict, expected: set[str], where: str, rep: Report) -> bool:
    """Report missing and unexpected keys; False when keys are missing."""
    missing = expected - rec.keys()
    extra = rec.keys() - expected
    if missing:
        rep.bad(where, f"missing keys {sorted(missing)}")
    if extra:
        rep.bad(where, f"unexpected keys {sorted(extra)}")
    return not missing


def _balance(counts: Counter, label: str, rep: Report) -> None:
    """dev and test within one of each other (an odd total cannot split evenly)."""
    dev, test = counts.get("dev", 0), counts.get("test", 0)
    if abs(dev - test) > 1:
        rep.bad(label, f"splits not balanced: dev={dev}, test={test}")


def _records(path: Path, prefix: str, keys: set[str], rep: Report):
    """(where, record) for each line that is a JSON object with all the keys and a well-formed,
    unique id; everything else is reported."""
    seen_ids: set[str] = set()
    for where, rec in read_records(path, rep):
        rid = rec.get("id")
        if not _keys(rec, keys, where, rep):
            continue
        if not isinstance(rid, str) or not re.fullmatch(prefix + r"\d{3,}", rid):
            rep.bad(where, f"bad id {rid!r} (want {prefix}001 …)")
        elif rid in seen_ids:
            rep.bad(where, "duplicate id")
        else:
            seen_ids.add(rid)
        if rec["split"] not in SPLITS:
            rep.bad(where, f"bad split {rec['split']!r}")
        yield where, rec


def check_no_basis(path: Path, library: Library, rep: Report) -> list[dict]:
    law_titles = {d.title for d in library.laws()}  # regulations, not court cases
    seen_questions: set[str] = set()
    records = []
    for where, rec in _records(path, "n", NO_BASIS_KEYS, rep):
        question, kind, related = rec["question"], rec["kind"], rec["related"]
        if not _is_text(question):
            rep.bad(where, "question must be a non-empty string")
        else:
            if question.strip() in seen_questions:
                rep.bad(where, f"duplicate question {question!r}")
            seen_questions.add(question.strip())
        if kind not in KINDS:
            rep.bad(where, f"bad kind {kind!r} (want one of {list(KINDS)})")
        if not _is_text(rec["why"]):
            rep.bad(where, "why must be a non-empty string")
        if not isinstance(related, list) or not all(isinstance(t, str) for t in related):
            rep.bad(where, "related must be a list of strings")
        elif kind == "out_of_library" and related:
            rep.bad(where, "out_of_library question must have related == []")
        elif kind == "near_miss":
            if not related:
                rep.bad(where, "near_miss question needs related titles")
            if len(set(related)) != len(related):
                rep.bad(where, "duplicate related title")
            for title in related:
                if title not in law_titles or library.current(title) is None:
                    rep.bad(where, f"related title {title!r} is not a regulation in the library "
                                   "(exact # 标题 wanted)")
        records.append(rec)
    for kind in KINDS:
        _balance(Counter(r["split"] for r in records if r["kind"] == kind),
                 f"{path.name} [{kind}]", rep)
    return records


def check_conversations(path: Path, library: Library, rep: Report) -> list[dict]:
    seen_pairs: set[tuple[str, str]] = set()
    records = []
    for where, rec in _records(path, "f", CONVERSATION_KEYS, rep):
        turns, gold, key_facts = rec["turns"], rec["gold"], rec["key_facts"]
        if not (isinstance(turns, list) and len(turns) == 2 and all(_is_text(t) for t in turns)):
            rep.bad(where, "turns must be a list of exactly 2 non-empty strings")
        else:
            pair = (turns[0].strip(), turns[1].strip())
            if pair[0] == pair[1]:
                rep.bad(where, "the two turns are identical")
            if pair in seen_pairs:
                rep.bad(where, f"duplicate conversation {list(pair)!r}")
            seen_pairs.add(pair)
        if not _is_text(rec["note"]):
            rep.bad(where, "note must be a non-empty string")
        if not (isinstance(key_facts, list) and key_facts and all(_is_text(k) for k in key_facts)):
            rep.bad(where, "key_facts must be a non-empty list of non-empty strings")
            key_facts = []
        # Gold articles and key facts are checked as for the review set (one implementation).
        for problem in check_gold({"gold": gold, "key_facts": key_facts}, library):
            rep.bad(where, problem)
        records.append(rec)
    _balance(Counter(r["split"] for r in records), path.name, rep)
    return records


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-basis", type=Path, default=DEFAULT_NO_BASIS)
    ap.add_argument("--conversations", type=Path, default=DEFAULT_CONVERSATIONS)
    add_corpus_option(ap)
    ap.add_argument("--min-out-of-library", type=int, default=54)
    ap.add_argument("--min-near-miss", type=int, default=38)
    ap.add_argument("--min-conversations", type=int, default=81)
    args = ap.parse_args(argv)

    library = Library.read(args.corpus)
    rep = Report()
    no_basis = check_no_basis(args.no_basis, library, rep)
    conversations = check_conversations(args.conversations, library, rep)

    kind_split = Counter((r["kind"], r["split"]) for r in no_basis)
    kinds = Counter(r["kind"] for r in no_basis)
    for kind, minimum in (("out_of_library", args.min_out_of_library),
                          ("near_miss", args.min_near_miss)):
        if kinds.get(kind, 0) < minimum:
            rep.bad(args.no_basis.name, f"{kind}: {kinds.get(kind, 0)} questions, want >= {minimum}")
    if len(conversations) < args.min_conversations:
        rep.bad(args.conversations.name,
                f"{len(conversations)} conversations, want >= {args.min_conversations}")
    questions = {r["question"].strip() for r in no_basis if _is_text(r["question"])}
    for r in conversations:
        turns = r["turns"]
        if isinstance(turns, list) and turns and _is_text(turns[0]) and turns[0].strip() in questions:
            rep.bad(f"{args.conversations.name} ({r['id']})",
                    "first turn is also a no-basis question (first turns must be answerable)")

    print(f"{args.no_basis.name}: {len(no_basis)} questions")
    for kind in KINDS:
        print(f"  {kind:<15} {kinds.get(kind, 0):3d}  (dev {kind_split.get((kind, 'dev'), 0)}"
              f" / test {kind_split.get((kind, 'test'), 0)})")
    splits = Counter(r["split"] for r in conversations)
    print(f"{args.conversations.name}: {len(conversations)} conversations "
          f"(dev {splits.get('dev', 0)} / test {splits.get('test', 0)}), "
          f"{sum(len(r['gold']) for r in conversations if isinstance(r['gold'], list))} gold items")
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
