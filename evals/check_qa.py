#!/usr/bin/env python3
"""Standalone checker for evals/qa.jsonl (standard library only).

Usage:
    python evals/check_qa.py [--qa PATH] [--corpus PATH] [--quiet]

It parses the LawRefBook markdown corpus, converts Chinese article numerals to
ints and verifies every line of qa.jsonl:

* the line is valid JSON with the required fields and allowed values;
* ids are unique;
* every gold item names an existing law title exactly (``# 标题`` line) and an
  existing article -- in the given ``version`` if present, otherwise in the
  current (latest) version of that law;
* every key_fact appears verbatim in the text of one of the gold articles
  (article text = from its ``第N条`` paragraph up to the next article paragraph
  or heading);
* type-specific rules (unanswerable -> gold == [], penalty/duty -> key_facts,
  jurisdiction -> filters.jurisdiction, old versions -> filters.all_versions);
* non-citation questions do not copy long stretches of the gold article text.

Exit status is 0 when zero problems are found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_QA = os.path.join(HERE, "qa.jsonl")
DEFAULT_CORPUS = os.path.normpath(
    os.path.join(HERE, "..", "..", "shared", "corpus", "lawrefbook")
)

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

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)

# An article starts a paragraph: 第N条 followed by an ASCII or full-width space.
ARTICLE_RE = re.compile(r"^第([%s]+)条[ \u3000]" % CN_NUM_CHARS)
VERSION_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")
INFO_END = "<!-- INFO END -->"


def cn_to_int(s: str) -> int:
    """Convert a Chinese numeral such as 一千二百六十 or 十一 to int."""
    if not s:
        raise ValueError("empty numeral")
    total = 0
    num = 0
    for ch in s:
        if ch in CN_DIGITS:
            num = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if num == 0:
                num = 1  # 十一 -> 11
            total += num * unit
            num = 0
        else:
            raise ValueError("bad numeral char %r in %r" % (ch, s))
    return total + num


def jurisdiction_of(relpath: str) -> str:
    if relpath.startswith("DLC/北京"):
        return "北京"
    if relpath.startswith("DLC/上海"):
        return "上海"
    return "全国"


def parse_file(path: str):
    """Return (title, {article_no: text}, problems)."""
    problems = []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    title = None
    for line in lines:
        if line.startswith("# "):
            title = line[2:].strip()
            break
    try:
        start = lines.index(INFO_END) + 1
    except ValueError:
        start = 0
    articles = {}
    current = None
    buf = []

    def flush():
        if current is not None:
            if current in articles:
                problems.append("%s: duplicate article %d" % (path, current))
            articles[current] = "\n".join(buf)

    for line in lines[start:]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            flush()
            current, buf = None, []
            continue
        m = ARTICLE_RE.match(stripped)
        if m:
            flush()
            current = cn_to_int(m.group(1))
            buf = [stripped]
        elif current is not None:
            buf.append(stripped)
    flush()
    return title, articles, problems


def load_corpus(root: str):
    """laws[title][version] = {"articles": {...}, "jurisdiction": ..., "path": ...}."""
    laws = defaultdict(dict)
    problems = []
    for dirpath, _dirs, files in os.walk(root):
        for fn in sorted(files):
            if not fn.endswith(".md"):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, root)
            title, articles, probs = parse_file(path)
            problems.extend(probs)
            if not title or not articles:
                continue
            m = VERSION_RE.search(fn)
            version = m.group(1) if m else ""
            if version in laws[title]:
                problems.append("corpus: duplicate title/version %s %s" % (title, version))
            laws[title][version] = {
                "articles": articles,
                "jurisdiction": jurisdiction_of(rel),
                "path": rel,
            }
    return laws, problems


def latest_version(versions: dict) -> str:
    return max(versions)  # ISO dates sort lexically; "" (undated) only if alone


def longest_common_substring_len(a: str, b: str) -> int:
    """Length of the longest common substring (simple DP, strings are short)."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def check(qa_path: str, corpus_root: str, max_copy: int = 16):
    laws, problems = load_corpus(corpus_root)
    if not laws:
        problems.append("corpus: no laws parsed under %s" % corpus_root)
    seen_ids = set()
    seen_questions = set()
    records = []
    with open(qa_path, encoding="utf-8") as fh:
        raw_lines = fh.read().split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    for lineno, raw in enumerate(raw_lines, 1):
        where = "line %d" % lineno
        if not raw.strip():
            problems.append("%s: blank line" % where)
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append("%s: invalid JSON (%s)" % (where, exc))
            continue
        if not isinstance(rec, dict):
            problems.append("%s: not a JSON object" % where)
            continue
        if "\\u" in raw:
            problems.append("%s: escaped unicode (write with ensure_ascii=False)" % where)
        rid = rec.get("id")
        where = "line %d (%s)" % (lineno, rid)
        missing = REQUIRED_KEYS - rec.keys()
        if missing:
            problems.append("%s: missing keys %s" % (where, sorted(missing)))
            continue
        extra = rec.keys() - ALLOWED_KEYS
        if extra:
            problems.append("%s: unexpected keys %s" % (where, sorted(extra)))
        if not isinstance(rid, str) or not re.fullmatch(r"q\d{3,}", rid):
            problems.append("%s: bad id" % where)
        if rid in seen_ids:
            problems.append("%s: duplicate id" % where)
        seen_ids.add(rid)
        q = rec["question"]
        if not isinstance(q, str) or not q.strip():
            problems.append("%s: empty question" % where)
            q = ""
        if q in seen_questions:
            problems.append("%s: duplicate question" % where)
        seen_questions.add(q)
        qtype = rec["type"]
        if qtype not in ALLOWED_TYPES:
            problems.append("%s: bad type %r" % (where, qtype))
        if rec["split"] not in ALLOWED_SPLITS:
            problems.append("%s: bad split %r" % (where, rec["split"]))
        filters = rec.get("filters", {})
        if not isinstance(filters, dict):
            problems.append("%s: filters must be an object" % where)
            filters = {}
        if set(filters) - ALLOWED_FILTER_KEYS:
            problems.append("%s: unknown filter keys %s" % (where, sorted(set(filters) - ALLOWED_FILTER_KEYS)))
        if "all_versions" in filters and filters["all_versions"] is not True:
            problems.append("%s: filters.all_versions must be true when present" % where)
        if "jurisdiction" in filters:
            jur = filters["jurisdiction"]
            if not (isinstance(jur, list) and jur and all(j in {"北京", "上海", "全国"} for j in jur)):
                problems.append("%s: bad filters.jurisdiction %r" % (where, jur))
        key_facts = rec.get("key_facts", [])
        if not isinstance(key_facts, list) or not all(isinstance(k, str) and k for k in key_facts):
            problems.append("%s: key_facts must be a list of non-empty strings" % where)
            key_facts = []
        gold = rec["gold"]
        if not isinstance(gold, list):
            problems.append("%s: gold must be a list" % where)
            gold = []

        # type-specific rules
        if qtype == "unanswerable":
            if gold:
                problems.append("%s: unanswerable question must have gold == []" % where)
            if key_facts:
                problems.append("%s: unanswerable question must not have key_facts" % where)
        elif not gold:
            problems.append("%s: answerable question has empty gold" % where)
        if qtype in {"penalty", "duty"} and not key_facts:
            problems.append("%s: %s question needs key_facts" % (where, qtype))
        if qtype == "jurisdiction" and filters.get("jurisdiction") != ["北京"]:
            problems.append("%s: jurisdiction question needs filters.jurisdiction == ['北京']" % where)

        gold_texts = []
        seen_gold = set()
        for g in gold:
            if not isinstance(g, dict) or set(g) - {"law", "article", "version"} or not {"law", "article"} <= set(g):
                problems.append("%s: bad gold item %r" % (where, g))
                continue
            law, art = g["law"], g["article"]
            if not isinstance(art, int) or isinstance(art, bool) or art <= 0:
                problems.append("%s: article must be a positive int: %r" % (where, g))
                continue
            key = (law, art, g.get("version"))
            if key in seen_gold:
                problems.append("%s: duplicate gold item %r" % (where, g))
            seen_gold.add(key)
            if law not in laws:
                problems.append("%s: unknown law title %r" % (where, law))
                continue
            versions = laws[law]
            if "version" in g:
                ver = g["version"]
                if ver not in versions:
                    problems.append("%s: law %r has no version %r (have %s)" % (where, law, ver, sorted(versions)))
                    continue
                if ver != latest_version(versions) and filters.get("all_versions") is not True:
                    problems.append("%s: old version %s of %s needs filters.all_versions" % (where, ver, law))
            else:
                ver = latest_version(versions)
            entry = versions[ver]
            if art not in entry["articles"]:
                problems.append("%s: %s (%s) has no article %d" % (where, law, ver or "undated", art))
                continue
            if qtype == "jurisdiction" and entry["jurisdiction"] != "北京":
                problems.append("%s: jurisdiction gold %s is not a Beijing law" % (where, law))
            jur_filter = filters.get("jurisdiction")
            if jur_filter and entry["jurisdiction"] not in jur_filter:
                problems.append("%s: gold %s outside filters.jurisdiction" % (where, law))
            gold_texts.append(entry["articles"][art])
        for fact in key_facts:
            if gold_texts and not any(fact in t for t in gold_texts):
                problems.append("%s: key_fact %r not found verbatim in gold article text" % (where, fact))
        if qtype != "citation" and gold_texts and q:
            copied = max(longest_common_substring_len(q, t) for t in gold_texts)
            if copied > max_copy:
                problems.append("%s: question copies %d consecutive chars from gold text" % (where, copied))
        records.append(rec)
    return records, problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", default=DEFAULT_QA)
    ap.add_argument("--corpus", default=os.environ.get("LAWREF_CORPUS", DEFAULT_CORPUS))
    ap.add_argument("--quiet", action="store_true", help="only print problems and totals")
    args = ap.parse_args(argv)

    records, problems = check(args.qa, args.corpus)
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
    for p in problems:
        print("PROBLEM: " + p)
    print("problems: %d" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
