#!/usr/bin/env python3
"""Check corpus/article_paraphrases.jsonl against the regulation corpus.

Run from the repository root (with the project's virtualenv):

    python corpus/check_paraphrases.py [--corpus PATH] [--file PATH] [-v]

The corpus is the product's setting, ``$ASSISTANT_CORPUS_PATH`` or
``<repo>/../shared/corpus``; ``--corpus`` takes the folder that holds
``lawrefbook/`` or ``lawrefbook/`` itself.  Articles are read with the
product's parser (``ingestion.library.Library``).  Exit status is 0 when no
problems were found, 1 otherwise.

Each line of article_paraphrases.jsonl is one JSON object

    {"law": "<exact # title>", "article": <int>, "phrases": ["...", ...]}

giving colloquial search phrases that point at one article of the CURRENT
version of a law.

Checks
------
* UTF-8 without BOM, LF line ends, final newline, no blank lines, one JSON
  object per line with exactly the keys law / article / phrases.
* ``law`` is exactly a ``# `` title of a corpus file (outside 案例/) and is
  not a superseded law (环境噪声污染防治法 -> 噪声污染防治法).
* ``article`` is a positive int that exists as ``第N条`` in the current
  version of that law (the file with the latest date in its name when a title
  has several versions, e.g. 上海市住宅物业管理规定 2020, 行政复议法 2023), as
  the product's parser reads it (a 第N条之一 is not article N; a heading ends
  an article).
* 4-6 phrases per article; each a string of 6-30 characters without
  surrounding whitespace or line breaks.
* No phrase shares more than 6 consecutive characters with the text of its
  article (a paraphrase must not copy the statute).  With ``-v`` phrases
  sharing 5-6 consecutive characters are listed as notes.
* No duplicate (law, article) lines; no phrase used twice anywhere in the
  file (compared after removing punctuation and spaces).
* Written for the current text: the phrases do not fit the same-numbered
  article of another version of the law clearly better than their own (the
  share of a phrase's character pairs found in the article, averaged over
  the phrases; by more than ``DRIFT_MARGIN``).  The 2019 text of
  上海市历史文化风貌区和优秀历史建筑保护条例 renumbered every article after
  第二十七条 by three, and its phrasings, written for the older text, had
  stayed on the old numbers (「老洋房罚款能复议吗」 on 第四十六条, which now
  punishes bad repairs).

Prints the number of articles and phrases per law.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

from _checks import Report, add_corpus_option, longest_shared, read_jsonl

from ingestion.library import Library

HERE = Path(__file__).resolve().parent

MIN_PHRASES, MAX_PHRASES = 4, 6
MIN_LEN, MAX_LEN = 6, 30
MAX_SHARED = 6          # longest allowed run of characters shared with the article
NOTE_SHARED = 5         # -v: report runs of this length or more
# A phrase set fitting another version's same-numbered article this much better than its own was
# written for that version. The 13 stale sets of 历史建筑保护条例 fitted the older text up to 0.45
# better (11 of them by more than 0.1); once moved, no set fits another version by more than 0.03.
DRIFT_MARGIN = 0.1

# Laws that were repealed and replaced by another corpus law.
SUPERSEDED = {
    "中华人民共和国环境噪声污染防治法": "中华人民共和国噪声污染防治法",
}

PUNCT_RE = re.compile(r"[\s，。、；：？！,.;:?!“”\"'‘’（）()《》〈〉【】\[\]…—\-]")


# ---------------------------------------------------------------- checks

def norm_phrase(p: str) -> str:
    return PUNCT_RE.sub("", p)


_HAN = re.compile(r"[^\u4e00-\u9fff]")


def char_pairs(text: str) -> set[str]:
    t = _HAN.sub("", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def fit(phrases: list[str], article_text: str) -> float:
    """How much of the phrases' wording the article has: the share of each phrase's character
    pairs found in it, averaged over the phrases."""
    pairs = char_pairs(article_text)
    return sum(len(char_pairs(p) & pairs) / max(1, len(char_pairs(p))) for p in phrases) / max(1, len(phrases))


def check(path: Path, library: Library, rep: Report) -> dict[str, list[int]]:
    current = {d.title: library.current(d.title) for d in library.laws()}  # not court cases
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seen_articles: dict[tuple[str, int], int] = {}
    seen_phrases: dict[str, str] = {}
    for i, _, obj in read_jsonl(path, rep):
        where = f"{path.name}:{i}"
        if not isinstance(obj, dict) or set(obj) != {"law", "article", "phrases"}:
            rep.bad(where, "object must have exactly the keys law, article, phrases")
            continue
        law, art, phrases = obj["law"], obj["article"], obj["phrases"]
        if not isinstance(law, str) or law not in current:
            rep.bad(where, f"unknown law title {law!r}")
            continue
        if law in SUPERSEDED:
            rep.bad(where, f"{law} is superseded; use {SUPERSEDED[law]}")
            continue
        if isinstance(art, bool) or not isinstance(art, int) or art <= 0:
            rep.bad(where, f"article must be a positive integer, got {art!r}")
            continue
        doc = current[law]
        articles = library.bodies(doc)
        if art not in articles:
            rep.bad(where, f"{law} has no 第{art}条 in {Path(doc.path).name}")
            continue
        where = f"{where} {law}第{art}条"
        key = (law, art)
        if key in seen_articles:
            rep.bad(where, f"duplicate of line {seen_articles[key]}")
            continue
        seen_articles[key] = i
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            rep.bad(where, "phrases must be a list of strings")
            continue
        if not MIN_PHRASES <= len(phrases) <= MAX_PHRASES:
            rep.bad(where, f"{len(phrases)} phrases (want {MIN_PHRASES}-{MAX_PHRASES})")
        counts[law][0] += 1
        counts[law][1] += len(phrases)
        art_text = articles[art]
        own = fit(phrases, art_text)
        for other in library.versions(law):
            if other is not doc and (other_text := library.bodies(other).get(art)) \
                    and fit(phrases, other_text) > own + DRIFT_MARGIN:
                rep.bad(where, f"the phrases fit 第{art}条 of the {other.version or '未注明日期的'} text better than "
                               f"the current one: written for that version?")
        for p in phrases:
            if p != p.strip() or "\n" in p:
                rep.bad(where, f"whitespace around or inside phrase {p!r}")
            if not MIN_LEN <= len(p) <= MAX_LEN:
                rep.bad(where, f"phrase {p!r} has {len(p)} characters (want {MIN_LEN}-{MAX_LEN})")
            n, s = longest_shared(p, art_text)
            if n > MAX_SHARED:
                rep.bad(where, f"phrase {p!r} copies {n} characters of the article: {s!r}")
            elif n >= NOTE_SHARED:
                rep.note(where, f"phrase {p!r} shares {n} characters: {s!r}")
            k = norm_phrase(p)
            if k in seen_phrases:
                rep.bad(where, f"phrase {p!r} already used at {seen_phrases[k]}")
            else:
                seen_phrases[k] = where
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_option(ap)
    ap.add_argument("--file", type=Path, default=None,
                    help="one file (default: every corpus/article_paraphrases*.jsonl, as ingestion reads them)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list notes")
    args = ap.parse_args(argv)

    library = Library.read(args.corpus)
    rep = Report()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in [args.file] if args.file else sorted(HERE.glob("article_paraphrases*.jsonl")):
        for law, (a, n) in check(path, library, rep).items():
            counts[law][0] += a
            counts[law][1] += n

    total_a = total_p = 0
    print("articles  phrases  law")
    for law in sorted(counts, key=lambda t: (-counts[t][0], t)):
        a, p = counts[law]
        total_a += a
        total_p += p
        print(f"{a:8d} {p:8d}  {law}")
    print(f"{total_a:8d} {total_p:8d}  TOTAL ({len(counts)} laws)")
    return rep.finish(notes=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
