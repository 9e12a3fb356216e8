#!/usr/bin/env python3
"""Checker for evals/places.jsonl (complaints with gold district and street) and
evals/repeats.jsonl (a batch with gold repeat groups).

Usage (from the repository root, with the project's virtualenv):
    python evals/check_places.py [--places PATH] [--repeats PATH] [--min-total N]

places.jsonl: one JSON object per line with exactly the keys id, text, district, street, style,
split:

* UTF-8 without BOM, LF line ends, final newline, no blank lines, unicode written as itself;
* id ``pl001`` …, unique; text a non-empty string, unique; split ``dev`` or ``test``;
* district one of the 16 districts or null; street null or a name that corpus/places/streets.tsv
  lists *under that district* (a street needs its district);
* style one of ``STYLES``; ``none`` (no place in the text) and ``ambiguous`` (a place in several
  districts) have no district and no street, every other style has a district;
* at least ``--min-total`` complaints, every district in both halves, 8–15 % with no place, and
  dev and test within one of each other for every district and for none/ambiguous.

repeats.jsonl: exactly the keys id, date (YYYY-MM-DD), group, text; ids ``r01`` … unique, texts
unique, at least 10 groups of two or more.

Prints the counts, every problem as ``PROBLEM: …`` and ``N problem(s)``; exit status 0 when there
are no problems, 1 otherwise."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, read_records

HERE = Path(__file__).resolve().parent
STREETS = HERE.parent / "corpus" / "places" / "streets.tsv"
DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区",
             "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
STYLES = ("town", "town_short", "landmark", "road", "estate", "district", "typo", "mixed", "none", "ambiguous")
PLACE_KEYS = {"id", "text", "district", "street", "style", "split"}
REPEAT_KEYS = {"id", "date", "group", "text"}


def streets() -> set[tuple[str, str]]:
    with STREETS.open(encoding="utf-8") as f:
        return {(r["district"], r["name"]) for r in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")}


def check_places(path: Path, rep: Report, min_total: int) -> None:
    known = streets()
    records = read_records(path, rep)
    ids, texts = Counter(), Counter()
    halves: Counter = Counter()
    for where, r in records:
        if set(r) != PLACE_KEYS:
            rep.bad(where, f"keys {sorted(r)} (expected {sorted(PLACE_KEYS)})")
            continue
        ids[r["id"]] += 1
        texts[r["text"]] += 1
        if not re.fullmatch(r"pl\d{3}", str(r["id"])):
            rep.bad(where, "id is not plNNN")
        if not isinstance(r["text"], str) or not r["text"].strip():
            rep.bad(where, "empty text")
        if r["split"] not in ("dev", "test"):
            rep.bad(where, f"split {r['split']!r}")
        if r["style"] not in STYLES:
            rep.bad(where, f"style {r['style']!r}")
        d, s = r["district"], r["street"]
        if d is not None and d not in DISTRICTS:
            rep.bad(where, f"district {d!r} is not one of the 16")
        if s is not None and (d, s) not in known:
            rep.bad(where, f"street {s!r} is not listed under {d} in streets.tsv")
        if r["style"] in ("none", "ambiguous") and (d or s):
            rep.bad(where, f"style {r['style']} with a district or street")
        if r["style"] not in ("none", "ambiguous") and not d:
            rep.bad(where, f"style {r['style']} without a district")
        halves[(d or r["style"], r["split"])] += 1
    for value, n in (ids + texts).items():
        if n > 1:
            rep.bad(path.name, f"duplicate id or text {value!r}")
    n = len(records)
    if n < min_total:
        rep.bad(path.name, f"{n} complaints, fewer than {min_total}")
    none = sum(1 for _, r in records if r.get("style") == "none")
    if n and not 0.08 <= none / n <= 0.15:
        rep.bad(path.name, f"{none}/{n} complaints without a place (want 8–15 %)")
    for key in (*DISTRICTS, "none", "ambiguous"):
        dev, test = halves[(key, "dev")], halves[(key, "test")]
        if key in DISTRICTS and (not dev or not test):
            rep.bad(path.name, f"{key} missing from a half (dev {dev}, test {test})")
        if abs(dev - test) > 1:
            rep.bad(path.name, f"{key}: dev {dev} and test {test} differ by more than one")
    print(f"places: {n} complaints, {none} without a place; by style {dict(Counter(r.get('style') for _, r in records))}")


def check_repeats(path: Path, rep: Report) -> None:
    records = read_records(path, rep)
    ids, texts, groups = Counter(), Counter(), Counter()
    for where, r in records:
        if set(r) != REPEAT_KEYS:
            rep.bad(where, f"keys {sorted(r)} (expected {sorted(REPEAT_KEYS)})")
            continue
        ids[r["id"]] += 1
        texts[r["text"]] += 1
        groups[r["group"]] += 1
        if not re.fullmatch(r"r\d{2,3}", str(r["id"])):
            rep.bad(where, "id is not rNN")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(r["date"])):
            rep.bad(where, f"date {r['date']!r} is not YYYY-MM-DD")
    for value, n in (ids + texts).items():
        if n > 1:
            rep.bad(path.name, f"duplicate id or text {value!r}")
    multi = sum(1 for n in groups.values() if n > 1)
    if multi < 10:
        rep.bad(path.name, f"{multi} groups of two or more, fewer than 10")
    print(f"repeats: {len(records)} complaints, {len(groups)} groups, {multi} of two or more")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--places", type=Path, default=HERE / "places.jsonl")
    ap.add_argument("--repeats", type=Path, default=HERE / "repeats.jsonl")
    ap.add_argument("--min-total", type=int, default=200)
    args = ap.parse_args()
    rep = Report()
    check_places(args.places, rep, args.min_total)
    check_repeats(args.repeats, rep)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
