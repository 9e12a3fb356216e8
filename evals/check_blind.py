#!/usr/bin/env python3
"""Checker for evals/blind.jsonl against the regulation corpus.

Usage (from the repository root, with the project's virtualenv):
    python evals/check_blind.py [--file PATH] [--corpus PATH]

evals/blind.jsonl holds the blind sets (N1, N2, …): questions written by helpers from the
regulation texts alone, without seeing the code, the other eval sets or any answer. A set is
``held_out`` until its misses have been read; from then on it is ``diagnostic`` (its gains say
little about new questions). One object per line with the keys

* id ``N<set>-<nn>``, unique; set ``N<k>`` (the id's prefix); status ``held_out`` or ``diagnostic``;
* group ``penalty``, ``who``, ``procedure``, ``two-turn`` (with ``turns``: two different
  non-empty strings, the second answered; optional ``kind``) or ``no-basis`` (gold == [],
  key_facts == []); other groups have ``question``, a non-empty string;
* gold: ``{"law", "article"}`` entries, an exact law title and an article (an integer) of its
  current version; key_facts: strings, each verbatim in one gold article as the library reads it
  (numbers as written there, full-width digits read as ASCII: 「24小时内」);
* department (string or null), chengguan (true, false or null), note (a non-empty string).

Laws and articles are read with the product's parser (``ingestion.library.Library``).
Prints the counts per set and group, every problem as ``PROBLEM: …`` and ``N problem(s)``;
exit status 0 when there are no problems, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from ingestion.library import Library

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, add_corpus_option, read_records  # noqa: E402
from check_paraphrases import DRIFT_MARGIN, fit  # noqa: E402

from evals.check_review import gold_texts  # noqa: E402

DEFAULT_FILE = Path(__file__).resolve().parent / "blind.jsonl"
GROUPS = ("penalty", "who", "procedure", "two-turn", "no-basis")
STATUSES = ("held_out", "diagnostic")
KEYS = {"id", "set", "status", "group", "gold", "key_facts", "department", "chengguan", "note"}
ID = re.compile(r"^(N\d+)-\d{2}$")


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_item(where: str, item: dict, library: Library, rep: Report) -> None:
    missing = KEYS - set(item)
    if missing:
        rep.bad(where, f"missing keys {sorted(missing)}")
        return
    m = ID.match(str(item["id"]))
    if not m or m.group(1) != item["set"]:
        rep.bad(where, f"id {item['id']!r} does not start with its set {item['set']!r}")
    if item["status"] not in STATUSES:
        rep.bad(where, f"status must be one of {STATUSES}")
    if item["group"] not in GROUPS:
        rep.bad(where, f"group must be one of {GROUPS}")
    if item["group"] == "two-turn":
        turns = item.get("turns")
        if not (isinstance(turns, list) and len(turns) == 2 and all(map(_text, turns)) and turns[0] != turns[1]):
            rep.bad(where, "turns must be two different non-empty strings")
    elif not _text(item.get("question")):
        rep.bad(where, "question must be a non-empty string")
    if not _text(item["note"]):
        rep.bad(where, "note must be a non-empty string")
    if item["chengguan"] not in (True, False, None) or not (item["department"] is None or _text(item["department"])):
        rep.bad(where, "department must be a string or null, chengguan true, false or null")
    gold, facts = item["gold"], item["key_facts"]
    if item["group"] == "no-basis":
        if gold or facts:
            rep.bad(where, "a no-basis question has no gold and no key facts")
        return
    if not isinstance(gold, list) or not gold or not isinstance(facts, list):
        rep.bad(where, "gold must be a non-empty list and key_facts a list")
        return
    texts = gold_texts(item, library)
    resolved = {(g["law"], g["article"]) for g, _ in texts}
    for g in gold:
        if not isinstance(g, dict) or set(g) != {"law", "article"}:
            rep.bad(where, f"gold entry must be {{'law', 'article'}}: {g!r}")
        elif (g["law"], g["article"]) not in resolved:
            rep.bad(where, f"gold {g['law']} article {g['article']} is not in the law's current version")
    for fact in facts:
        if not _text(fact) or not any(fact in body for _, body in texts):
            rep.bad(where, f"key fact {fact!r} is not verbatim in a gold article")
    question = " ".join(item.get("turns") or [item.get("question") or ""])
    for g, body in texts:
        # A gold read off another version: N11-25 had 文物保护法第三十二条 beside 第四十六条, the
        # number the 2017 text gives the rule the 2024 text moved to 第四十六条.
        own = fit([question], body)
        for other in library.versions(g["law"]):
            text = library.bodies(other).get(g["article"])
            if other is not library.current(g["law"]) and text and fit([question], text) > own + DRIFT_MARGIN:
                rep.bad(where, f"the question fits 第{g['article']}条 of the {other.version or '未注明日期的'} text "
                               f"of {g['law']} better than the current one: written for that version?")



def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    add_corpus_option(ap)
    args = ap.parse_args(argv)
    library = Library.read(args.corpus)
    rep = Report()
    records = read_records(args.file, rep)
    ids, questions = Counter(), Counter()
    for where, item in records:
        check_item(where, item, library, rep)
        ids[item.get("id")] += 1
        questions[tuple(item.get("turns") or [item.get("question")])] += 1
    for key, n in list(ids.items()) + list(questions.items()):
        if n > 1:
            rep.bad(args.file.name, f"{key!r} appears {n} times")
    per_set = Counter((item.get("set"), item.get("status")) for _, item in records)
    groups = Counter(item.get("group") for _, item in records)
    print(f"{args.file.name}: {len(records)} questions; " + ", ".join(f"{g} {groups[g]}" for g in GROUPS))
    for (name, status), n in sorted(per_set.items(), key=lambda x: int(str(x[0][0])[1:] or 0)):
        print(f"  {name:<4} {status:<10} {n:3d}")
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
