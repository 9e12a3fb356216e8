#!/usr/bin/env python3
"""Check corpus/article_paraphrases.jsonl against the regulation corpus.

Standard library only.  Run from the repository root:

    python corpus/check_paraphrases.py [--corpus PATH] [--file PATH] [-v]

The corpus defaults to ``$LEXICON_CORPUS`` or ``<repo>/../shared/corpus``
(the folder that holds ``lawrefbook/``).  Exit status is 0 when no problems
were found, 1 otherwise.

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
  has several versions, e.g. 上海市住宅物业管理规定 2020, 行政复议法 2023).
* 4-6 phrases per article; each a string of 6-30 characters without
  surrounding whitespace or line breaks.
* No phrase shares more than 6 consecutive characters with the text of its
  article (a paraphrase must not copy the statute).  With ``-v`` phrases
  sharing 5-6 consecutive characters are listed as notes.
* No duplicate (law, article) lines; no phrase used twice anywhere in the
  file (compared after removing punctuation and spaces).

Prints the number of articles and phrases per law.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from _checks import (CORPUS_ENV, FALLBACK_CORPUS, Report, cn_to_int, corpus_base,
                     corpus_md_files, read_lines)

HERE = Path(__file__).resolve().parent

MIN_PHRASES, MAX_PHRASES = 4, 6
MIN_LEN, MAX_LEN = 6, 30
MAX_SHARED = 6          # longest allowed run of characters shared with the article
NOTE_SHARED = 5         # -v: report runs of this length or more

# Laws that were repealed and replaced by another corpus law.
SUPERSEDED = {
    "中华人民共和国环境噪声污染防治法": "中华人民共和国噪声污染防治法",
}

ARTICLE_RE = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条 ")
DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
PUNCT_RE = re.compile(r"[\s，。、；：？！,.;:?!“”\"'‘’（）()《》〈〉【】\[\]…—\-]")


# ---------------------------------------------------------------- corpus

# The line that ends a LawRefBook header (<!-- INFO ... END -->), as ingestion/lawref.py reads it.
HEADER_END = re.compile(r"^\s*<!--\s*INFO\s+END\s*-->\s*$", re.M)


def parse_articles(text: str) -> dict[int, str]:
    """Article number -> full text (the 第N条 paragraph and its 款/项)."""
    body = HEADER_END.split(text, 1)[-1]
    arts: dict[int, list[str]] = {}
    cur: int | None = None
    for para in body.split("\n"):
        para = para.strip()
        if not para:
            continue
        if para.startswith("#"):          # chapter / section heading
            cur = None
            continue
        m = ARTICLE_RE.match(para)
        if m:
            cur = cn_to_int(m.group(1))
            arts.setdefault(cur, []).append(para[m.end():])
        elif cur is not None:
            arts[cur].append(para)
    return {n: "\n".join(ps) for n, ps in arts.items()}


class Corpus:
    def __init__(self, root: Path) -> None:
        base = corpus_base(root)
        versions: dict[str, list[tuple[str, Path]]] = defaultdict(list)
        for rel, p in corpus_md_files(base):
            if rel.startswith("案例/"):
                continue
            first = p.read_text(encoding="utf-8").split("\n", 1)[0].rstrip()
            if not first.startswith("# "):
                continue
            m = DATE_RE.search(p.name)
            versions[first[2:].strip()].append((m.group(1) if m else "", p))
        if not versions:
            raise SystemExit(f"no law files under {base}")
        self.current: dict[str, Path] = {}
        self._articles: dict[str, dict[int, str]] = {}
        for title, vs in versions.items():
            vs.sort(key=lambda v: v[0])
            self.current[title] = vs[-1][1]

    def articles(self, title: str) -> dict[int, str]:
        if title not in self._articles:
            text = self.current[title].read_text(encoding="utf-8")
            self._articles[title] = parse_articles(text)
        return self._articles[title]


# ---------------------------------------------------------------- checks

def longest_shared(a: str, b: str) -> tuple[int, str]:
    """Length and text of the longest common substring of a and b."""
    best, best_s = 0, ""
    n = len(a)
    for i in range(n):
        for j in range(i + best + 1, n + 1):
            if a[i:j] in b:
                best, best_s = j - i, a[i:j]
            else:
                break
    return best, best_s


def norm_phrase(p: str) -> str:
    return PUNCT_RE.sub("", p)


def read_jsonl(path: Path, rep: Report) -> list[tuple[int, object]]:
    name = path.name
    lines = read_lines(path, rep, empty_needs_newline=False)
    if lines is None:
        return []
    out = []
    for i, ln in enumerate(lines, 1):
        where = f"{name}:{i}"
        if not ln.strip():
            rep.bad(where, "blank line")
            continue
        try:
            out.append((i, json.loads(ln)))
        except json.JSONDecodeError as e:
            rep.bad(where, f"invalid JSON: {e}")
    return out


def check(path: Path, corpus: Corpus, rep: Report) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seen_articles: dict[tuple[str, int], int] = {}
    seen_phrases: dict[str, str] = {}
    for i, obj in read_jsonl(path, rep):
        where = f"{path.name}:{i}"
        if not isinstance(obj, dict) or set(obj) != {"law", "article", "phrases"}:
            rep.bad(where, "object must have exactly the keys law, article, phrases")
            continue
        law, art, phrases = obj["law"], obj["article"], obj["phrases"]
        if not isinstance(law, str) or law not in corpus.current:
            rep.bad(where, f"unknown law title {law!r}")
            continue
        if law in SUPERSEDED:
            rep.bad(where, f"{law} is superseded; use {SUPERSEDED[law]}")
            continue
        if isinstance(art, bool) or not isinstance(art, int) or art <= 0:
            rep.bad(where, f"article must be a positive integer, got {art!r}")
            continue
        articles = corpus.articles(law)
        if art not in articles:
            rep.bad(where, f"{law} has no 第{art}条 in {corpus.current[law].name}")
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
    # Unlike the other checkers, an empty $LEXICON_CORPUS here means the current folder.
    ap.add_argument("--corpus", type=Path,
                    default=Path(os.environ.get(CORPUS_ENV, FALLBACK_CORPUS)))
    ap.add_argument("--file", type=Path, default=HERE / "article_paraphrases.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list notes")
    args = ap.parse_args(argv)

    corpus = Corpus(args.corpus)
    rep = Report()
    counts = check(args.file, corpus, rep)

    total_a = total_p = 0
    print("articles  phrases  law")
    for law in sorted(counts, key=lambda t: (-counts[t][0], t)):
        a, p = counts[law]
        total_a += a
        total_p += p
        print(f"{a:8d} {p:8d}  {law}")
    print(f"{total_a:8d} {total_p:8d}  TOTAL ({len(counts)} laws)")

    if args.verbose:
        for n in rep.notes:
            print(f"note: {n}")
    for pb in rep.problems:
        print(f"problem: {pb}")
    print(f"{len(rep.problems)} problem(s), {len(rep.notes)} note(s)")
    return 1 if rep.problems else 0


if __name__ == "__main__":
    sys.exit(main())
