#!/usr/bin/env python3
"""Check corpus/qa_guide/*.jsonl (执法问答及指引) against the regulation corpus.

Run from the repository root (with the project's virtualenv):

    python corpus/check_qa_guide.py [--corpus PATH] [-v]

Articles are read with the product's parser (``ingestion.library.Library``) from the product's
corpus setting (``$ASSISTANT_CORPUS_PATH`` or ``../shared/corpus``; ``--corpus`` overrides).
The checks are the product's own (``assistant/answering/qa_guide/check.py``, the same the XLSX
import applies), on the current version of each cited law:

* every line a JSON object with id, questions, answer, citations, facts; no empty field;
* every citation's law is a ``# `` title of the corpus, its article exists (a 第N条之一 is not
  article N) and its 款 (``paragraph``) too;
* every fact occurs verbatim (spaces aside) in a cited article and in the answer;
* ids and phrasings (punctuation and spaces removed) are unique across the files.

Besides, for the shipped guide: 2–5 phrasings per entry, an answer of 1–3 sentences, and no
phrasing copied from evals/*.jsonl (the evaluation sets stay held out). Exit status 0 when no
problems were found, 1 otherwise."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from _checks import Report, add_corpus_option

from assistant.answering.qa_guide.check import ArticleText, split_paragraphs, validate
from assistant.answering.qa_guide.model import norm_question, parse_jsonl
from ingestion.library import Library, article_body

HERE = Path(__file__).resolve().parent
EVALS = HERE.parent / "evals"
MIN_SHIPPED_QUESTIONS, MAX_SHIPPED_QUESTIONS = 2, 5
MAX_SENTENCES = 3


class LibraryArticles:
    """ArticleLookup over the parsed library: the current version of each law."""

    def __init__(self, library: Library):
        self.library = library
        self.titles = {d.title for d in library.laws()}

    def has_law(self, law: str) -> bool:
        return law in self.titles

    def article(self, law: str, number: int) -> ArticleText | None:
        doc = self.library.current(law)
        if doc is None:
            return None
        article = next((a for a in doc.articles if a.number == number and "之" not in a.label), None)
        if article is None:
            return None
        return ArticleText(law, number, doc.version, split_paragraphs(article_body(article)))


def eval_questions() -> set[str]:
    out: set[str] = set()
    for path in sorted(EVALS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            stack = [rec]
            while stack:  # every "question"/"text" string, however nested (conversations' turns)
                x = stack.pop()
                if isinstance(x, dict):
                    out |= {norm_question(v) for k, v in x.items() if k in ("question", "text") and isinstance(v, str)}
                    stack += list(x.values())
                elif isinstance(x, list):
                    stack += x
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_option(ap)
    ap.add_argument("--dir", type=Path, default=HERE / "qa_guide")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list notes")
    args = ap.parse_args(argv)
    rep = Report()
    files = sorted(args.dir.glob("*.jsonl"))
    if not files:
        rep.bad(str(args.dir), "no guide files")
        return rep.finish()
    parsed = []
    for f in files:
        for p in parse_jsonl(f.read_text(encoding="utf-8")):
            p.where = f"{f.name} {p.where}"
            parsed.append(p)
    report = validate(parsed, LibraryArticles(Library.read(args.corpus)))
    for r in report.entries:
        for problem in r.problems:
            rep.bad(f"{r.where} {r.id}", problem)
    held_out = eval_questions()
    laws: dict[str, int] = {}
    for e in report.valid:
        if not MIN_SHIPPED_QUESTIONS <= len(e.questions) <= MAX_SHIPPED_QUESTIONS:
            rep.bad(e.id, f"{len(e.questions)} phrasings (want {MIN_SHIPPED_QUESTIONS}–{MAX_SHIPPED_QUESTIONS})")
        if len([s for s in re.split(r"[。！？]", e.answer) if s.strip()]) > MAX_SENTENCES:
            rep.bad(e.id, f"answer longer than {MAX_SENTENCES} sentences")
        for q in e.questions:
            if norm_question(q) in held_out:
                rep.bad(e.id, f"phrasing copied from evals/*.jsonl: {q}")
        for c in e.citations:
            laws[c.law] = laws.get(c.law, 0) + 1
        rep.note(e.id, f"{len(e.questions)} phrasings, {len(e.citations)} citations, {len(e.facts)} facts")
    print("citations  law")
    for law, n in sorted(laws.items(), key=lambda kv: -kv[1]):
        print(f"{n:9d}  {law}")
    print(f"{len(report.entries)} entries, {sum(len(e.questions) for e in report.valid)} phrasings")
    return rep.finish(notes=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
