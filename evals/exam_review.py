"""Team check of generated exam questions (issue #12, acceptance item 2): 60 questions, ten from
each of six regulations, read by a person against the cited article and judged in
evals/exam_review.jsonl (key right? every distractor wrong? stem unambiguous?).

This script regenerates the same 60 questions with the same CLI commands and seed, checks that
the reviewed file still matches them (same ids, stems, options and keys), and prints the
three rates. A mismatch means the generator changed: the changed questions must be read again.

    python -m evals.exam_review [--data-dir DIR] [--review evals/exam_review.jsonl] [--json]

evals/exam_review_before.jsonl keeps the first reading (before the generator fixes the review led
to: 58/60 distractors surely wrong, 58/60 stems unambiguous); it no longer matches the generator.

Without --data-dir it uses $ASSISTANT_DATA_DIR (a keyword-only index of the full library is
enough: `assistant --data-dir DIR ingest --lexical-only`)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

LAWS = ("上海市生活垃圾管理条例", "上海市市容环境卫生管理条例", "上海市城市管理行政执法条例", "中华人民共和国行政处罚法",
        "上海市住宅物业管理规定", "上海市拆除违法建筑若干规定")
N = 10
TYPES = "single,multi,judge,blank,case"
SEED = 7
REVIEW = Path(__file__).with_name("exam_review.jsonl")
CRITERIA = ("key_right", "distractors_wrong", "stem_unambiguous")
TARGETS = {"key_right": 1.0, "distractors_wrong": 1.0, "stem_unambiguous": 0.95}


def command(law: str) -> list[str]:
    return [str(Path(sys.executable).with_name("assistant")), "exam", "--law", law, "--n", str(N), "--types", TYPES,
            "--seed", str(SEED), "--format", "json"]


def generate(data_dir: str | None) -> list[dict]:
    """The 60 questions, in the order the review lists them (law by law, as the CLI prints them)."""
    env = os.environ | ({"ASSISTANT_DATA_DIR": data_dir} if data_dir else {})
    out = []
    for law in LAWS:
        run = subprocess.run(command(law), capture_output=True, text=True, env=env, check=False)
        if run.returncode != 0:
            raise SystemExit(f"assistant exam --law {law} failed:\n{run.stderr[-2000:]}")
        for q in json.loads(run.stdout)["questions"]:
            out.append({"law": law, **q})
    return out


def compare(generated: list[dict], reviewed: list[dict]) -> list[str]:
    """What no longer matches: questions added, dropped or reworded since the review."""
    problems = []
    by_id = {r["id"]: r for r in reviewed}
    for q in generated:
        r = by_id.get(q["id"])
        if r is None:
            problems.append(f"not reviewed: {q['law']} 第{q['source']['article']}条 {q['type']} {q['stem'][:40]}")
        elif r["stem"] != q["stem"] or r["answer"] != q["answer"] or r.get("options", {}) != (q.get("options") or {}):
            problems.append(f"changed since the review: {q['id']} {q['stem'][:40]}")
    ids = {q["id"] for q in generated}
    problems += [f"reviewed but no longer generated: {r['id']} {r['stem'][:40]}" for r in reviewed if r["id"] not in ids]
    return problems


def rates(reviewed: list[dict]) -> dict[str, float]:
    return {c: sum(bool(r[c]) for r in reviewed) / len(reviewed) for c in CRITERIA}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.environ.get("ASSISTANT_DATA_DIR"))
    ap.add_argument("--review", type=Path, default=REVIEW)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    reviewed = [json.loads(line) for line in args.review.read_text(encoding="utf-8").splitlines() if line.strip()]
    generated = generate(args.data_dir)
    problems = compare(generated, reviewed)
    result = {"questions": len(generated), "reviewed": len(reviewed), "mismatches": problems, **rates(reviewed),
              "failures": [{"id": r["id"], "law": r["law"], "article": r["article"], "type": r["type"],
                            **{c: r[c] for c in CRITERIA}, "note": r["note"]}
                           for r in reviewed if not all(r[c] for c in CRITERIA)]}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"generated {len(generated)} questions from {len(LAWS)} regulations; reviewed {len(reviewed)}")
        for c in CRITERIA:
            n = sum(bool(r[c]) for r in reviewed)
            print(f"  {c:18s} {n}/{len(reviewed)} = {result[c]:.1%}  (target ≥ {TARGETS[c]:.0%})")
        for f in result["failures"]:
            print(f"  FAIL {f['law']} 第{f['article']}条 {f['type']}: {f['note']}")
        for p in problems:
            print(f"  MISMATCH {p}")
    ok = not problems and all(result[c] >= TARGETS[c] for c in CRITERIA)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
