#!/usr/bin/env python3
"""Check corpus/out_of_scope.tsv against the regulation corpus.

Run from the repository root (with the project's virtualenv):

    python corpus/check_out_of_scope.py [--corpus PATH] [--file PATH] [-v]

The corpus is the product's setting, ``$ASSISTANT_CORPUS_PATH`` or
``<repo>/../shared/corpus``; ``--corpus`` takes the folder that holds
``lawrefbook/`` or ``lawrefbook/`` itself.  Exit status is 0 when no problems
were found, 1 otherwise.

The file lists words that signal a legal area the regulation library does not
cover (tax, marriage, labour, traffic, criminal law ...) together with where
the user should ask instead.  ``assistant/retrieval/scope.py`` matches the
terms as plain substrings of the user's question, longest first.

Checks
------
* UTF-8 without BOM, LF line ends, final newline, no blank lines, no stray
  whitespace around fields.
* Header exactly ``term<TAB>area<TAB>referral``; three non-empty fields per row;
  between MIN_ROWS and MAX_ROWS data rows.
* term: 2-8 characters, Chinese characters only (no punctuation, digits,
  Latin letters or spaces); unique.
* term does not occur in any ``.md`` file under the corpus, neither in the raw
  text nor with all whitespace removed (a term broken across lines).
* term contains none of the city-management topic words in CITY_TOPICS (those
  questions are in scope even when phrased colloquially).
* area: 2-6 Chinese characters.
* referral: one short sentence: at most MAX_REFERRAL characters, no sentence
  break (。！？；) inside it, no tab.
Counts per area are printed at the end.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from _checks import Report, add_corpus_option, load_corpus, read_lines

HERE = Path(__file__).resolve().parent

HEADER = ["term", "area", "referral"]
MIN_ROWS, MAX_ROWS = 200, 400  # a truncated file is caught; 14 traffic rows left when 道路交通安全法 joined the library
MIN_TERM, MAX_TERM = 2, 8
MAX_REFERRAL = 60

HAN = re.compile(r"^[\u4E00-\u9FFF]+$")
SENTENCE_BREAK = re.compile(r"[。！？；!?;]")
WS = re.compile(r"\s+")

# City-management topics (城管执法): a term containing one of these words would
# push an in-scope question out of scope.
CITY_TOPICS = (
    "城管", "执法", "垃圾", "违建", "违章搭建", "搭建", "拆违", "拆除", "噪声", "噪音",
    "油烟", "物业", "业主", "绿化", "树木", "广告", "招牌", "店招", "牌匾", "摆摊", "地摊",
    "摊贩", "占道", "渣土", "群租", "养犬", "犬", "遛狗", "河道", "排水", "污水", "市容",
    "门前三包", "装修", "施工", "工地", "扬尘", "焚烧", "乱扔", "乱贴", "小广告", "停车",
    "违停", "出租", "租房", "房东", "征收", "拆迁", "规划", "信访", "复议", "行政诉讼",
)


def read_rows(path: Path, rep: Report) -> list[tuple[int, list[str]]]:
    name = path.name
    lines = read_lines(path, rep, missing="file not found", bom="starts with a UTF-8 BOM",
                       cr="contains CR characters (use LF line ends)", cr_to_lf=True)
    if lines is None:
        return []
    if not lines:
        rep.bad(name, "empty file")
        return []
    if lines[0].split("\t") != HEADER:
        rep.bad(f"{name}:1", f"header must be {'<TAB>'.join(HEADER)!r}, got {lines[0]!r}")
    rows = []
    for no, line in enumerate(lines[1:], start=2):
        where = f"{name}:{no}"
        if not line.strip():
            rep.bad(where, "blank line")
            continue
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            rep.bad(where, f"expected {len(HEADER)} tab-separated fields, got {len(fields)}")
            continue
        for col, value in zip(HEADER, fields):
            if value != value.strip():
                rep.bad(where, f"{col} {value!r} has surrounding whitespace")
            if not value.strip():
                rep.bad(where, f"empty {col}")
        rows.append((no, [f.strip() for f in fields]))
    return rows


def check(path: Path, corpus: dict[str, str], rep: Report, verbose: bool) -> Counter:
    rows = read_rows(path, rep)
    name = path.name
    if not MIN_ROWS <= len(rows) <= MAX_ROWS:
        rep.bad(name, f"{len(rows)} data rows, expected {MIN_ROWS}-{MAX_ROWS}")

    flat = {rel: WS.sub("", txt) for rel, txt in corpus.items()}
    seen: dict[str, int] = {}
    areas: Counter = Counter()
    referrals: dict[str, set[str]] = defaultdict(set)
    for no, (term, area, referral) in rows:
        where = f"{name}:{no}"
        # term
        if term in seen:
            rep.bad(where, f"duplicate term {term!r} (first on line {seen[term]})")
        else:
            seen[term] = no
        if not MIN_TERM <= len(term) <= MAX_TERM:
            rep.bad(where, f"term {term!r} has {len(term)} characters, expected {MIN_TERM}-{MAX_TERM}")
        if term and not HAN.match(term):
            rep.bad(where, f"term {term!r} must consist of Chinese characters only")
        hits = [rel for rel, txt in corpus.items() if term and term in txt]
        if not hits:
            hits = [rel + " (across a line break)" for rel, txt in flat.items() if term and term in txt]
        if hits:
            more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
            rep.bad(where, f"term {term!r} occurs in the library: {', '.join(hits[:3])}{more}")
        topic = next((t for t in CITY_TOPICS if t in term), None)
        if topic:
            rep.bad(where, f"term {term!r} contains city-management topic word {topic!r}")
        # area
        if area and not (HAN.match(area) and 2 <= len(area) <= 6):
            rep.bad(where, f"area {area!r} must be 2-6 Chinese characters")
        # referral
        if len(referral) > MAX_REFERRAL:
            rep.bad(where, f"referral has {len(referral)} characters, at most {MAX_REFERRAL}")
        body = referral[:-1] if referral[-1:] in "。！？" else referral
        if SENTENCE_BREAK.search(body):
            rep.bad(where, f"referral {referral!r} must be one sentence")
        areas[area] += 1
        referrals[area].add(referral)

    if verbose:
        for area in sorted(referrals, key=lambda a: -areas[a]):
            for r in sorted(referrals[area]):
                print(f"  {area}: {r}")
    return areas


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_option(ap)
    ap.add_argument("--file", type=Path, default=HERE / "out_of_scope.tsv", help="lexicon to check")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list referrals per area")
    args = ap.parse_args(argv)

    corpus = load_corpus(args.corpus)
    rep = Report()
    areas = check(args.file, corpus, rep, args.verbose)

    print(f"corpus: {len(corpus)} .md files under {args.corpus}")
    print(f"{sum(areas.values())} terms in {len(areas)} areas:")
    for area, n in sorted(areas.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {area}\t{n}")
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
