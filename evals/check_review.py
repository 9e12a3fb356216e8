#!/usr/bin/env python3
"""Checker for evals/review.jsonl (the team review set) against the regulation library.

Usage (from the repository root, with the project's virtualenv):
    python evals/check_review.py [--file PATH] [--corpus PATH] [--expect COUNTS|none]

The corpus is the product's setting, ``Settings().corpus_path`` (``$ASSISTANT_CORPUS_PATH`` or
``../shared/corpus``); ``--corpus`` takes the folder that holds ``lawrefbook/`` or
``lawrefbook/`` itself. Laws and articles are read with the product's parser
(``ingestion.library.Library``), so "article 25 of X" means what it means to the index.

Per line:
* UTF-8 without BOM, LF line ends, final newline, no blank lines, valid JSON written with
  ``ensure_ascii=False``; exactly the keys id, question, intent, split, gold, key_facts,
  department, chengguan, note;
* ids (``r001`` …) and questions are unique; intent and split have allowed values;
* ``check_gold`` (reusable, see below): every gold law is an exact ``# 标题`` title of a
  regulation (not a court case, not a Beijing regulation, not a superseded law) and the article
  exists in the law's current (latest dated) version; every key fact occurs verbatim in the
  text of a gold article; the department occurs verbatim in a gold article or in the current
  《上海市城市管理行政执法条例》; the question copies at most 12 consecutive characters of any
  gold article.

Then the counts per intent and split are printed; each intent must be split evenly (dev and
test differ by at most one) and, unless ``--expect none``, the counts per intent must be the
expected ones (default: those of the review set). Exit status 0 when nothing is wrong, else 1
after ``PROBLEM: …`` lines and a final ``N problem(s)`` line.

Other checkers reuse the gold checks:
    from evals.check_review import check_gold
    problems = check_gold(item, library)   # list of messages, empty when the item is fine
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from ingestion.library import Library

# The helpers shared by the authored-content checkers live in corpus/_checks.py (as for
# evals/check_qa.py, this script puts corpus/ on the path itself).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, add_corpus_option, longest_shared, read_records

DEFAULT_FILE = Path(__file__).resolve().parent / "review.jsonl"

KEYS = ("id", "question", "intent", "split", "gold", "key_facts", "department", "chengguan", "note")
INTENTS = ("penalty", "who_enforces", "procedure", "other_department", "colloquial")
SPLITS = ("dev", "test")
# The counts the review set is built to (see --expect).
REVIEW_COUNTS = {"penalty": 63, "who_enforces": 36, "procedure": 36,
                 "other_department": 18, "colloquial": 27}

# The regulation whose text decides whether 城管 holds a power in Shanghai; a department may be
# named as in a gold article or as in this regulation.
ENFORCEMENT_LAW = "上海市城市管理行政执法条例"
# Laws the library still holds but that were replaced (README of the corpus).
SUPERSEDED = {"中华人民共和国环境噪声污染防治法": "中华人民共和国噪声污染防治法"}

MAX_COPY = 12  # a question may share at most this many consecutive characters with its gold
MAX_KEY_FACTS = 3
MAX_KEY_FACT_CHARS = 30  # key facts are short (amounts, time limits, steps, measures)


# ---------------------------------------------------------------- reusable gold checks

_ENFORCEMENT_TEXT: list[tuple[Library, str]] = []  # (library, text) of the last library asked


def _enforcement_text(library: Library) -> str:
    """The current 《上海市城市管理行政执法条例》 as one text (cached for the last library)."""
    if not _ENFORCEMENT_TEXT or _ENFORCEMENT_TEXT[0][0] is not library:
        doc = library.current(ENFORCEMENT_LAW)
        text = "\n".join(Library.articles(doc).values()) if doc is not None else ""
        _ENFORCEMENT_TEXT[:] = [(library, text)]
    return _ENFORCEMENT_TEXT[0][1]


def gold_texts(item: dict, library: Library) -> list[tuple[dict, str]]:
    """(gold entry, article body in the law's current version) for every gold entry that
    resolves; entries that do not resolve are left out (``check_gold`` reports them)."""
    out = []
    for g in item.get("gold") or []:
        if not isinstance(g, dict):
            continue
        doc = library.current(g.get("law")) if isinstance(g.get("law"), str) else None
        if doc is None or doc.kind != "law":
            continue
        body = Library.articles(doc).get(g.get("article"))
        if body is not None:
            out.append((g, body))
    return out


def check_gold(item: dict, library: Library, *, max_copy: int = MAX_COPY) -> list[str]:
    """Problems with an item's gold articles, key facts, department and question copying.

    ``item`` needs ``gold`` (a non-empty list of ``{"law": exact title, "article": int}``);
    ``key_facts`` (1–3 short strings), ``department`` and ``question`` are checked when present.
    Gold laws must be regulations (not 案例), not Beijing ones, not superseded; articles are
    looked up in the law's current (latest dated) version. A key fact must occur verbatim in
    one gold article; the department in a gold article or in the current
    《上海市城市管理行政执法条例》. Returns the messages (empty list when all is well)."""
    problems: list[str] = []
    gold = item.get("gold")
    if not isinstance(gold, list) or not gold:
        return ["gold must be a non-empty list"]
    texts: list[str] = []
    seen = set()
    for g in gold:
        if not isinstance(g, dict) or set(g) != {"law", "article"}:
            problems.append(f"gold entry must be {{'law', 'article'}}: {g!r}")
            continue
        law, art = g["law"], g["article"]
        if not isinstance(art, int) or isinstance(art, bool) or art <= 0:
            problems.append(f"article must be a positive int: {g!r}")
            continue
        if (law, art) in seen:
            problems.append(f"duplicate gold entry {law} {art}")
        seen.add((law, art))
        doc = library.current(law) if isinstance(law, str) else None
        if doc is None:
            problems.append(f"unknown law title {law!r}")
            continue
        if doc.kind != "law" or "案例" in doc.path.split("/"):
            problems.append(f"gold {law!r} is a court case, not a regulation")
            continue
        if doc.jurisdiction == "北京" or law.startswith("北京"):
            problems.append(f"gold {law!r} is a Beijing regulation")
            continue
        if law in SUPERSEDED:
            problems.append(f"gold {law!r} was replaced by {SUPERSEDED[law]}")
        articles = Library.articles(doc)
        if art not in articles:
            problems.append(f"{law} ({doc.version or 'undated'}, current) has no article {art}")
            continue
        texts.append(articles[art])

    if "key_facts" in item:
        facts = item["key_facts"]
        if not isinstance(facts, list) or not all(isinstance(f, str) and f.strip() for f in facts):
            problems.append("key_facts must be a list of non-empty strings")
        elif not 1 <= len(facts) <= MAX_KEY_FACTS:
            problems.append(f"key_facts must hold 1–{MAX_KEY_FACTS} strings, not {len(facts)}")
        else:
            for f in facts:
                if len(f) > MAX_KEY_FACT_CHARS:
                    problems.append(f"key fact longer than {MAX_KEY_FACT_CHARS} chars: {f!r}")
                if texts and not any(f in t for t in texts):
                    problems.append(f"key fact {f!r} not verbatim in a gold article")

    if "department" in item:
        dep = item["department"]
        if not isinstance(dep, str) or not dep.strip():
            problems.append("department must be a non-empty string")
        elif texts and not any(dep in t for t in texts) and dep not in _enforcement_text(library):
            problems.append(f"department {dep!r} not verbatim in a gold article "
                            f"or in {ENFORCEMENT_LAW}")

    q = item.get("question")
    if isinstance(q, str) and q:
        for t in texts:
            n, s = longest_shared(q, t)
            if n > max_copy:
                problems.append(f"question copies {n} consecutive chars from gold text: {s!r}")
                break
    return problems


# ---------------------------------------------------------------- the review file

def check_shape(where: str, rec: dict, keys, id_prefix: str, seen_ids: set, rep: Report) -> None:
    """Exactly these keys, and an id like r001 / l001 not seen before (shared by the set checkers)."""
    if set(rec) != set(keys):
        missing, extra = set(keys) - set(rec), set(rec) - set(keys)
        rep.bad(where, f"keys must be exactly {sorted(keys)}"
                + (f"; missing {sorted(missing)}" if missing else "")
                + (f"; unexpected {sorted(extra)}" if extra else ""))
    rid = rec.get("id")
    if not isinstance(rid, str) or not re.fullmatch(rf"{id_prefix}\d{{3,}}", rid):
        rep.bad(where, f"bad id {rid!r}")
    elif rid in seen_ids:
        rep.bad(where, "duplicate id")
    seen_ids.add(rid)


def check_file(path: Path, library: Library, expect: dict[str, int] | None) -> tuple[list[str], list[dict]]:
    """All problems of the review file (``where: message``) and the records that parsed."""
    rep = Report()
    records: list[dict] = []
    seen_ids: set = set()
    seen_q: set = set()
    for where, rec in read_records(path, rep):
        check_shape(where, rec, KEYS, "r", seen_ids, rep)
        q = rec.get("question")
        if not isinstance(q, str) or not q.strip():
            rep.bad(where, "empty question")
        elif q in seen_q:
            rep.bad(where, "duplicate question")
        seen_q.add(q)
        if rec.get("intent") not in INTENTS:
            rep.bad(where, f"bad intent {rec.get('intent')!r}")
        if rec.get("split") not in SPLITS:
            rep.bad(where, f"bad split {rec.get('split')!r}")
        if not isinstance(rec.get("chengguan"), bool):
            rep.bad(where, "chengguan must be true or false")
        if not isinstance(rec.get("note"), str) or not rec.get("note", "").strip() or "\n" in rec.get("note", ""):
            rep.bad(where, "note must be one non-empty line")
        for msg in check_gold(rec, library):
            rep.bad(where, msg)
        records.append(rec)

    by_intent = Counter(r.get("intent") for r in records)
    by_split = Counter(r.get("split") for r in records)
    by_both = Counter((r.get("intent"), r.get("split")) for r in records)
    for intent in INTENTS:
        dev, test = by_both.get((intent, "dev"), 0), by_both.get((intent, "test"), 0)
        if abs(dev - test) > 1:
            rep.bad("counts", f"{intent}: dev {dev} / test {test} is not an even split")
        if expect is not None and by_intent.get(intent, 0) != expect.get(intent, 0):
            rep.bad("counts", f"{intent}: {by_intent.get(intent, 0)} questions, expected "
                    f"{expect.get(intent, 0)}")

    print(f"questions: {len(records)} (gold entries: "
          f"{sum(len(r.get('gold') or []) for r in records)})")
    print("by split: " + ", ".join(f"{s}={by_split.get(s, 0)}" for s in SPLITS))
    print("by intent (dev/test):")
    for intent in INTENTS:
        print(f"  {intent:<17} {by_intent.get(intent, 0):3d}  "
              f"({by_both.get((intent, 'dev'), 0)}/{by_both.get((intent, 'test'), 0)})")
    cg = Counter(r.get("chengguan") for r in records)
    print(f"chengguan: true={cg.get(True, 0)}, false={cg.get(False, 0)}")
    return rep.problems, records


def parse_expect(value: str) -> dict[str, int] | None:
    """``none``, ``review`` (the default counts) or ``penalty=49,who_enforces=28,…``."""
    if value == "none":
        return None
    if value == "review":
        return dict(REVIEW_COUNTS)
    out = {}
    for part in value.split(","):
        name, _, n = part.partition("=")
        if name.strip() not in INTENTS or not n.strip().isdigit():
            raise argparse.ArgumentTypeError(f"bad --expect entry {part!r}")
        out[name.strip()] = int(n)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="default: %(default)s")
    add_corpus_option(ap)
    ap.add_argument("--expect", type=parse_expect, default="review",
                    help="expected questions per intent: 'review' (the review set's "
                         f"{REVIEW_COUNTS}), 'none', or 'penalty=49,…'")
    args = ap.parse_args(argv)
    problems, _ = check_file(args.file, Library.read(args.corpus), args.expect)
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
