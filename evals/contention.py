"""Speed when two processes embed at once on the same cores: the app beside another app server,
beside an `assistant ingest`, or beside an eval.

    python -m evals.contention [--questions 60] [--passages 160] [--spin-count N] [--json]

Times, in fresh worker processes, (1) the first `--questions` questions of evals/review.jsonl
answered offline by one process alone, (2) the same in two processes at once, (3) one process
answering while another embeds `--passages` of the library's entries (a vector build), and
(4) that embedding alone. `--spin-count` sets GOMP_SPINCOUNT for the workers (300000 is
libgomp's default; without it the workers keep the embedder's own, index/embedders.py
OPENMP_SPIN_COUNT). Loading the index is not timed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time

from evals.common import EVALS_DIR, load_jsonl

SAMPLE_SEED = 1


def _answer(n: int) -> None:
    from assistant.answering.assistant import Assistant

    assistant = Assistant()
    assistant.chat_model = None
    questions = [item["question"] for item in load_jsonl(EVALS_DIR / "review.jsonl")][:n]
    assistant.ask(questions[0])  # warm-up
    _ready_and_wait()
    start = time.perf_counter()
    for q in questions:
        assistant.ask(q)
    print(json.dumps({"seconds": time.perf_counter() - start, "count": len(questions)}))


def _embed(n: int) -> None:
    from assistant.config import Settings
    from assistant.index.embedders import load_embedder
    from assistant.retrieval.retriever import Retriever

    settings = Settings()
    chunks = Retriever(settings).store.all_chunks()
    texts = [c.index_text for c in random.Random(SAMPLE_SEED).sample(chunks, min(n, len(chunks)))]
    embedder = load_embedder(settings.embedder, settings.engine_cache)
    embedder.embed_passages(texts[:4])  # warm-up
    _ready_and_wait()
    start = time.perf_counter()
    for i in range(0, len(texts), 16):
        embedder.embed_passages(texts[i:i + 16])
    print(json.dumps({"seconds": time.perf_counter() - start, "count": len(texts)}))


def _ready_and_wait() -> None:
    """Tell the parent this worker is loaded, and start when it says so (both at once)."""
    print("ready", flush=True)
    sys.stdin.readline()


def _run(workers: list[tuple[str, int]], env: dict) -> list[dict]:
    procs = [subprocess.Popen([sys.executable, "-m", "evals.contention", "--worker", kind, str(n)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
             for kind, n in workers]
    for p in procs:
        while p.stdout.readline().strip() != "ready":
            if p.poll() is not None:
                raise RuntimeError(f"worker exited with {p.returncode}")
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    out = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    return [dict(o, kind=kind) for o, (kind, _) in zip(out, workers)]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=60)
    ap.add_argument("--passages", type=int, default=160)
    ap.add_argument("--spin-count", type=int, default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        kind, n = args.worker
        (_answer if kind == "answers" else _embed)(int(n))
        return {}
    env = dict(os.environ)
    if args.spin_count is not None:
        env["GOMP_SPINCOUNT"] = str(args.spin_count)
    answers, passages = ("answers", args.questions), ("passages", args.passages)
    rows = {"answers alone": _run([answers], env),
            "answers, two processes at once": _run([answers, answers], env),
            "answers beside a vector build": _run([answers, passages], env),
            "vector build alone": _run([passages], env)}
    report = {"spin_count": env.get("GOMP_SPINCOUNT", "embedder default"), "rows": rows}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"GOMP_SPINCOUNT: {report['spin_count']}")
        for name, results in rows.items():
            cells = "; ".join(f"{r['kind']}: {r['count']} in {r['seconds']:.1f} s" for r in results)
            print(f"{name:32} {cells}")
    return report


if __name__ == "__main__":
    main()
