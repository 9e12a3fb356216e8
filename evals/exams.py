"""Exam builder on the real library: papers for the core regulations, what the self-check
dropped (by reason), the time per 20-question paper, and an independent verification of a
random sample of kept questions.

    python -m evals.exams [--data-dir DIR] [--sample 50] [--all] [--samples 20] [--json]

Without --data-dir a keyword-only index of ../shared/corpus is built into a temporary data dir
(`assistant --data-dir DIR ingest --lexical-only`, about a minute on two cores). --all also times a paper for every
current regulation with a penalty article (the issue's ≤ 5 s criterion).

The verification (`verify`) is written apart from the generator: it reads the cited article
straight from the chunk store and uses nothing of assistant.exams but the question's fields;
every check is a plain string test on the article text (the keyed value is in it, each wrong
option is not, the stem with the key filled in is the article's sentence)."""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from assistant.config import Settings
from assistant.index.store import ChunkStore

CORE = [
    "上海市生活垃圾管理条例", "上海市市容环境卫生管理条例", "上海市城市管理行政执法条例", "中华人民共和国行政处罚法",
    "中华人民共和国行政强制法", "上海市拆除违法建筑若干规定", "上海市住宅物业管理规定", "上海市绿化条例",
    "上海市环境保护条例", "上海市大气污染防治条例", "上海市河道管理条例",
]
SAMPLE_LAWS = ("上海市生活垃圾管理条例", "上海市市容环境卫生管理条例", "中华人民共和国行政处罚法")
PAPER_SIZE = 20
TIME_LIMIT_S = 5.0  # the criterion for one 20-question set


# --- the independent check -----------------------------------------------------------------
def _plain(text: str) -> str:
    """NFKC, no whitespace, no 项 numbering: 「：\\n（二）住宅小区」 reads 「:住宅小区」."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"\([一二三四五六七八九十百]+\)", "", t)


def _body(stem: str) -> str:
    stem = re.sub(r"^根据《[^》]+》(?:第[^，,]*?条[^，,]*?)?[，,]", "", stem.strip())
    return stem.split("\n问：", 1)[0]


def _stated(article: str, passage: str) -> bool:
    """The passage is the article's: every piece between colons is in it (a 项 is quoted with
    its lead-in, which in the article stands before the first 项 only)."""
    a = _plain(article)
    pieces = [p.strip("。;,") for p in re.split(r"[:：]", _plain(passage))]
    return all(p in a for p in pieces if p)


def verify(q: dict, article: str) -> list[str]:
    """Problems found with one question (its JSON form) against the cited article's text."""
    out = []
    a = _plain(article)
    qtype, stem, answer, options = q["type"], q["stem"], q["answer"], q.get("options") or {}
    if qtype in ("single", "multi"):
        keys = set(answer)
        for letter, text in options.items():
            inside = _plain(text).rstrip("。;") in a
            if letter in keys and not inside:
                out.append(f"key {letter}「{text}」 not in article")
            if letter not in keys and inside:
                out.append(f"wrong option {letter}「{text}」 is in article")
        if qtype == "single" and "（  ）" in stem and not _stated(article, _body(stem).replace("（  ）", options[answer])):
            out.append("stem with the key is not the article's sentence")
    elif qtype == "blank":
        if _plain(answer) not in a:
            out.append(f"answer「{answer}」 not in article")
        if not _stated(article, _body(stem).replace("______", answer)):
            out.append("stem with the answer is not the article's sentence")
    elif qtype == "judge":
        statement = _body(stem)
        if answer is True and not _stated(article, statement):
            out.append("true statement not in article")
        if answer is False:
            if _stated(article, statement):
                out.append("false statement is in article")
            m = re.search(r"题干将「(.+?)」改为「(.+?)」", q["explanation"])
            if not m:
                out.append("false statement without the changed value")
            else:
                original, changed = m.groups()
                if changed not in statement or not _stated(article, statement.replace(changed, original, 1)):
                    out.append("statement differs from the article in more than the changed value")
    elif qtype == "case":
        for amount in re.findall(r"[零〇一二两三四五六七八九十百千万\d]+元(?:以上[零〇一二两三四五六七八九十百千万\d]+元)?(?:以下)?",
                                 answer):
            if _plain(amount) not in a:
                out.append(f"amount「{amount}」 not in article")
        m = re.search(r"（2）由(.+?)依法处理", answer)
        if not m or _plain(m.group(1)) not in a:
            out.append("department of the reference answer not in article")
    return out


def article_text(store: ChunkStore, source: dict) -> str | None:
    chunks = store.article(source["law"], source["article"], source["version"])
    if not chunks:
        return None
    parts = sorted(chunks, key=lambda c: c.part)
    return "\n".join([parts[0].text, *(re.sub(r"^第[^条\s]+条（续）\s*", "", c.text) for c in parts[1:])])


# --- the run -------------------------------------------------------------------------------
def lexical_index(data_dir: Path, corpus: Path | None) -> None:
    cmd = [sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir)]
    cmd += ["--corpus", str(corpus)] if corpus else []
    subprocess.run([*cmd, "ingest", "--lexical-only"], check=True)


def run(settings: Settings, sample: int, seed: int, all_laws: bool, samples: int) -> dict:
    from assistant.exams.builder import ExamBuilder
    from assistant.exams.check import near_duplicate_of, shingles
    from assistant.exams.models import Scope, default_blueprint

    builder = ExamBuilder(settings)
    titles = set(builder.laws())
    laws = [t for t in CORE if t in titles]
    missing = [t for t in CORE if t not in titles]
    blueprint = default_blueprint(PAPER_SIZE)
    rows, kept = [], []
    totals: dict = {"generated": 0, "kept": 0, "dropped": {}, "per_type": {}, "near_duplicates": 0,
                    "rejected_distractors": 0}
    for law in laws:
        t = time.perf_counter()
        paper = builder.paper(Scope(laws=(law,)), blueprint, seed, avoid_used=False)
        seconds = time.perf_counter() - t
        s = paper.stats
        pool_dropped = {r: n for r, n in s.dropped.items() if r != "near_duplicate"}
        near = sum(near_duplicate_of(q.stem, [shingles(o.stem) for o in paper.questions[:i]])
                   for i, q in enumerate(paper.questions))
        rows.append({"law": law, "seconds": round(seconds, 2), "candidates": s.generated, "kept": s.kept,
                     "dropped": pool_dropped, "near_dup_skipped": s.dropped.get("near_duplicate", 0),
                     "paper": len(paper.questions), "per_type": {t: v["selected"] for t, v in s.per_type.items()},
                     "near_duplicates_in_paper": near})
        totals["generated"] += s.generated
        totals["kept"] += s.kept
        totals["near_duplicates"] += near
        totals["rejected_distractors"] += s.rejected_distractors
        for r, n in s.dropped.items():
            totals["dropped"][r] = totals["dropped"].get(r, 0) + n
        for t, v in s.per_type.items():
            agg = totals["per_type"].setdefault(t, {"requested": 0, "selected": 0, "available": 0})
            for k in agg:
                agg[k] += v[k]
        kept += [q.to_json() for q in paper.questions]
    rng = random.Random(seed)
    chosen = rng.sample(kept, min(sample, len(kept)))
    store = builder.library.store
    failures = []
    for q in chosen:
        text = article_text(store, q["source"])
        problems = ["cited article not in the store"] if text is None else verify(q, text)
        if problems:
            failures.append({"source": q["source"], "type": q["type"], "stem": q["stem"][:80], "problems": problems})
    by_type = {}
    for q in chosen:
        by_type[q["type"]] = by_type.get(q["type"], 0) + 1
    result = {"laws": rows, "missing_titles": missing, "totals": totals,
              "verification": {"sample": len(chosen), "by_type": by_type, "passed": len(chosen) - len(failures),
                               "failures": failures}}
    if all_laws:
        result["all_laws"] = time_all(builder, blueprint, seed)
    if samples:
        result["samples"] = sample_questions(kept, samples, rng)
    return result


def time_all(builder, blueprint, seed: int) -> dict:
    """A paper for every current regulation with a penalty article (one that fines): seconds and
    shortfalls."""
    from assistant.core.penalty import extract_penalties
    from assistant.exams.models import Scope

    lib = builder.library
    times, short, failed = [], 0, []
    for law in lib.titles():
        if not any(c.fines for a in lib.articles(law, lib.current_version(law)) for c in extract_penalties(a.text)):
            continue
        t = time.perf_counter()
        try:
            paper = builder.paper(Scope(laws=(law,)), blueprint, seed, avoid_used=False)
        except Exception as exc:  # noqa: BLE001 — counted and named, the run goes on
            failed.append(f"{law}: {type(exc).__name__}: {exc}")
            continue
        times.append(time.perf_counter() - t)
        short += len(paper.questions) < PAPER_SIZE
    times.sort()
    return {"laws": len(times), "max_s": round(times[-1], 2) if times else None,
            "p95_s": round(times[int(0.95 * (len(times) - 1))], 2) if times else None,
            "over_limit": sum(t > TIME_LIMIT_S for t in times), "short_papers": short, "failed": failed}


def sample_questions(kept: list[dict], n: int, rng: random.Random) -> list[dict]:
    """n questions from three regulations (as even as the papers allow), all types."""
    laws = [law for law in SAMPLE_LAWS if any(q["source"]["law"] == law for q in kept)]
    out = []
    for i, law in enumerate(laws):
        mine = [q for q in kept if q["source"]["law"] == law]
        out += rng.sample(mine, min(len(mine), n // len(laws) + (1 if i < n % len(laws) else 0)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, help="an existing data dir with an index of the library")
    ap.add_argument("--corpus", type=Path, help="the library (default ../shared/corpus)")
    ap.add_argument("--sample", type=int, default=50, help="questions verified independently")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--all", action="store_true", help="time a paper for every current regulation with penalties")
    ap.add_argument("--samples", type=int, default=0, help="print this many sample questions (three regulations)")
    ap.add_argument("--no-prefilter", action="store_true",
                    help="ablation: the generator offers wrong options without testing them, so that the self-check "
                         "alone must catch the ones the article could be read as stating")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.no_prefilter:
        from assistant.exams import distractors

        distractors.may_support = lambda *a, **k: False
    with tempfile.TemporaryDirectory(prefix="exams-eval-") as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "data"
            lexical_index(data_dir, args.corpus)
        overrides = {"data_dir": data_dir} | ({"corpus_path": args.corpus} if args.corpus else {})
        result = run(Settings(**overrides), args.sample, args.seed, args.all, args.samples)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    report(result)


def report(result: dict) -> None:
    print(f"{'regulation':<22} {'s':>5} {'cand':>5} {'kept':>5} {'paper':>5}  per type          dropped (self-check)")
    for r in result["laws"]:
        per = " ".join(f"{t[:2]}{n}" for t, n in r["per_type"].items())
        print(f"{r['law'][:20]:<22} {r['seconds']:>5} {r['candidates']:>5} {r['kept']:>5} {r['paper']:>5}  {per:<17} "
              f"{r['dropped'] or '-'}  near-dup skipped {r['near_dup_skipped']}, in paper {r['near_duplicates_in_paper']}")
    t = result["totals"]
    dropped = sum(n for r, n in t["dropped"].items() if r != "near_duplicate")
    print(f"\nwrong-option candidates the generator set aside as possibly right: {t['rejected_distractors']}")
    print(f"candidates {t['generated']}, dropped by the self-check {dropped} "
          f"({dropped / max(t['generated'], 1):.1%}): {t['dropped']}; near-duplicates in papers: {t['near_duplicates']}")
    print("per type (requested/selected/available):",
          {k: f"{v['requested']}/{v['selected']}/{v['available']}" for k, v in t["per_type"].items()})
    if result["missing_titles"]:
        print("not in the library:", result["missing_titles"])
    v = result["verification"]
    print(f"\nindependent verification: {v['passed']}/{v['sample']} passed; by type {v['by_type']}")
    for f in v["failures"]:
        print("  FAIL", f)
    if "all_laws" in result:
        a = result["all_laws"]
        print(f"\nall current regulations with penalties: {a['laws']} papers, max {a['max_s']} s, p95 {a['p95_s']} s, "
              f"over {TIME_LIMIT_S} s: {a['over_limit']}, short of {PAPER_SIZE}: {a['short_papers']}, failed: {a['failed']}")
    for q in result.get("samples", []):
        print(f"\n[{q['type']}·{q['difficulty']}] {q['source']['law']} 第{q['source']['article']}条{q['source']['clause'] or ''}")
        print("  " + q["stem"].replace("\n", "\n  "))
        for k, o in q["options"].items():
            print(f"    {k}. {o}")
        print(f"  答案：{q['answer']}")


if __name__ == "__main__":
    main()
