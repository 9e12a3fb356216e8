#!/usr/bin/env python3
"""Checker for evals/lay.jsonl (the lay set: national law asked the way citizens ask).

Usage (from the repository root, with the project's virtualenv):
    python evals/check_lay.py [--file PATH] [--corpus PATH] [--min-total N] [--min-per-topic N]

The corpus is the product's setting, ``Settings().corpus_path`` (``$ASSISTANT_CORPUS_PATH`` or
``../shared/corpus``); ``--corpus`` takes the folder that holds ``lawrefbook/`` or
``lawrefbook/`` itself. Laws and articles are read with the product's parser
(``ingestion.library.Library``), so "article 62 of X" means what it means to the index.

One JSON object per line with exactly the keys id, question, topic, gold, key_phrase, split:

* UTF-8 without BOM, LF line ends, final newline, no blank lines, unicode written as itself;
* id ``l001`` …, unique; question a non-empty string, unique (also after dropping whitespace and
  punctuation); topic one of ``TOPICS``; split ``dev`` or ``test``;
* gold 1–3 entries ``{"law": exact # 标题, "article": int}`` checked by
  ``evals.check_review.check_gold`` (a regulation, not a case, not Beijing, not superseded, the
  article exists in the law's current version, the question copies at most 12 consecutive
  characters of a gold article); in addition every gold law must be national (全国);
* key_phrase a short string (at most ``MAX_KEY_PHRASE`` characters) found verbatim, whitespace
  removed, in the text of one gold article;
* the question names neither a gold article (第N条, in Arabic or Chinese numerals) nor a gold
  law's full title; at most ``MAX_SHORT_TITLE_SHARE`` of the questions name a gold law by its
  short title (the title without 中华人民共和国), since lay people rarely do.

Totals: at least ``--min-total`` questions, at least ``--min-per-topic`` per topic, and within
each topic dev and test differ by at most one (so each half covers every topic).

Prints the counts per topic and split, every problem as ``PROBLEM: …`` and ``N problem(s)``;
exit status 0 when there are no problems, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from ingestion.library import Library

# Shared checker helpers live in corpus/_checks.py (see evals/check_qa.py for the same import).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from _checks import Report, add_corpus_option, read_records

from evals.check_review import check_gold, check_shape

DEFAULT_FILE = Path(__file__).resolve().parent / "lay.jsonl"

KEYS = {"id", "question", "topic", "gold", "key_phrase", "split"}
SPLITS = ("dev", "test")
TOPICS = (
    "物业与业主",      # 民法典 业主的建筑物区分所有权, 物业管理条例
    "相邻关系",        # 民法典 相邻关系 and 物权保护
    "土地与宅基地",    # 土地管理法, 民法典 宅基地使用权
    "行政许可",        # 行政许可法
    "政府信息公开",    # 政府信息公开条例
    "行政处罚",        # 行政处罚法
    "复议与诉讼",      # 行政复议法 (2023), 行政诉讼法
    "噪声扰民",        # 噪声污染防治法
    "消防安全",        # 消防法
    "道路交通",        # 道路交通安全法
    "征收与违建",      # 城乡规划法, 国有土地上房屋征收与补偿条例
)
NATIONAL = "全国"
MIN_TOTAL = 150
MIN_PER_TOPIC = 15
MAX_GOLD = 3
MAX_KEY_PHRASE = 40
MAX_SHORT_TITLE_SHARE = 0.15
TITLE_PREFIX = "中华人民共和国"

_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """An article number as written in 第N条 headings (1–999): 十二, 二十, 一百零五, 一百一十."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    head = _CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return head + _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")


def names_article(question: str, n: int) -> bool:
    """Does the question cite article n (第57条, 57条, 第五十七条, 五十七条)?"""
    arabic = rf"(?<!\d){n}\s*条"
    chinese = rf"(?<![零一二三四五六七八九十百]){cn_numeral(n)}条"
    return bool(re.search(arabic, question) or re.search(chinese, question))


def squash(text: str) -> str:
    """Text without whitespace (款 and 项 of an article are joined by newlines)."""
    return re.sub(r"\s+", "", text)


def question_key(question: str) -> str:
    """A question without whitespace and punctuation, for the duplicate check."""
    return "".join(ch for ch in question
                   if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def short_title(title: str) -> str:
    return title.removeprefix(TITLE_PREFIX)


def check_file(path: Path, library: Library, *, min_total: int = MIN_TOTAL,
               min_per_topic: int = MIN_PER_TOPIC) -> tuple[list[str], list[dict]]:
    """All problems of the lay file (``where: message``) and the records that parsed."""
    rep = Report()
    records: list[dict] = []
    seen_ids: set = set()
    seen_q: dict[str, str] = {}
    short_named = 0
    for where, rec in read_records(path, rep):
        check_shape(where, rec, KEYS, "l", seen_ids, rep)
        rid = rec.get("id")

        q = rec.get("question")
        if not isinstance(q, str) or not q.strip():
            rep.bad(where, "empty question")
            q = ""
        elif q != q.strip() or "\n" in q:
            rep.bad(where, "question has surrounding whitespace or a line break")
        if q:
            key = question_key(q)
            if key in seen_q:
                rep.bad(where, f"duplicate question (same as {seen_q[key]})")
            seen_q.setdefault(key, str(rid))
        if rec.get("topic") not in TOPICS:
            rep.bad(where, f"bad topic {rec.get('topic')!r}")
        if rec.get("split") not in SPLITS:
            rep.bad(where, f"bad split {rec.get('split')!r}")

        # Gold: the shared checks (format, existence in the current version, no case, no
        # Beijing, no superseded law, no copying), then the lay set's own.
        for msg in check_gold(rec, library):
            rep.bad(where, msg)
        gold = rec.get("gold") if isinstance(rec.get("gold"), list) else []
        if len(gold) > MAX_GOLD:
            rep.bad(where, f"at most {MAX_GOLD} gold articles, not {len(gold)}")
        bodies: list[str] = []
        named_short = False
        for g in gold:
            if not isinstance(g, dict) or not isinstance(g.get("law"), str):
                continue
            law, art = g["law"], g.get("article")
            doc = library.current(law)
            if doc is None:
                continue  # reported by check_gold
            if doc.jurisdiction != NATIONAL:
                rep.bad(where, f"gold {law!r} is not national law ({doc.jurisdiction})")
            if isinstance(art, int) and not isinstance(art, bool):
                body = Library.articles(doc).get(art)
                if body is not None:
                    bodies.append(body)
                if q and names_article(q, art):
                    rep.bad(where, f"question names the gold article number {art}")
            if q and law in q:
                rep.bad(where, f"question names the gold law's full title {law!r}")
            elif q and short_title(law) in q:
                named_short = True
        short_named += named_short

        kp = rec.get("key_phrase")
        if not isinstance(kp, str) or not kp.strip():
            rep.bad(where, "key_phrase must be a non-empty string")
        elif len(kp) > MAX_KEY_PHRASE:
            rep.bad(where, f"key_phrase longer than {MAX_KEY_PHRASE} chars: {kp!r}")
        elif bodies and not any(squash(kp) in squash(b) for b in bodies):
            rep.bad(where, f"key_phrase {kp!r} not verbatim in a gold article")
        records.append(rec)

    by_topic = Counter(r.get("topic") for r in records)
    by_split = Counter(r.get("split") for r in records)
    by_both = Counter((r.get("topic"), r.get("split")) for r in records)
    if len(records) < min_total:
        rep.bad("counts", f"{len(records)} questions, at least {min_total} required")
    for topic in TOPICS:
        dev, test = by_both.get((topic, "dev"), 0), by_both.get((topic, "test"), 0)
        if dev + test < min_per_topic:
            rep.bad("counts", f"{topic}: {dev + test} questions, at least {min_per_topic} required")
        if not dev or not test:
            rep.bad("counts", f"{topic}: both splits must cover the topic (dev {dev} / test {test})")
        elif abs(dev - test) > 1:
            rep.bad("counts", f"{topic}: dev {dev} / test {test} is not an even split")
    if records and short_named > MAX_SHORT_TITLE_SHARE * len(records):
        rep.bad("counts", f"{short_named} questions name a gold law by its short title; "
                f"at most {MAX_SHORT_TITLE_SHARE:.0%} may")

    laws = Counter(g.get("law") for r in records for g in (r.get("gold") or [])
                   if isinstance(g, dict))
    print(f"questions: {len(records)} (gold entries: {sum(laws.values())}, "
          f"laws: {len(laws)})")
    print("by split: " + ", ".join(f"{s}={by_split.get(s, 0)}" for s in SPLITS))
    print("by topic (dev/test):")
    for topic in TOPICS:
        print(f"  {topic}\t{by_topic.get(topic, 0):3d}  "
              f"({by_both.get((topic, 'dev'), 0)}/{by_both.get((topic, 'test'), 0)})")
    print(f"questions naming a gold law by its short title: {short_named}")
    return rep.problems, records


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE, help="default: %(default)s")
    add_corpus_option(ap)
    ap.add_argument("--min-total", type=int, default=MIN_TOTAL, help="default: %(default)s")
    ap.add_argument("--min-per-topic", type=int, default=MIN_PER_TOPIC,
                    help="default: %(default)s")
    args = ap.parse_args(argv)
    problems, _ = check_file(args.file, Library.read(args.corpus), min_total=args.min_total,
                             min_per_topic=args.min_per_topic)
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
