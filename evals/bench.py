"""Speed: retrieval latency p50/p95 with the index loaded, ingestion time cold and warm.

    python -m evals.bench [--rounds 3] [--cold-full]

Warm = re-ingest of the configured data dir with nothing changed. Cold lexical = a fresh data dir,
keyword index only (what a newcomer waits for before the app answers). --cold-full also builds
all vectors from nothing in a fresh data dir with an empty vector cache (minutes).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.retriever import Retriever
from evals.common import EVALS_DIR, filters_for, load_jsonl
from ingestion.pipeline import ingest


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_retrieval(settings: Settings, rounds: int) -> dict:
    t0 = time.perf_counter()
    retriever = Retriever(settings)
    items = load_jsonl(EVALS_DIR / "qa.jsonl")
    retriever.search("预热", k=5)  # first query loads the embedding model
    load_s = time.perf_counter() - t0
    times = []
    for _ in range(rounds):
        for item in items:
            t = time.perf_counter()
            retriever.search(item["question"], k=5, filters=filters_for(item))
            times.append((time.perf_counter() - t) * 1000)
    return {"mode": "hybrid" if retriever.vectors_ready() else "lexical", "queries": len(times),
            "load_s": load_s, "p50_ms": statistics.median(times), "p95_ms": percentile(times, 95),
            "max_ms": max(times)}


def bench_answers(settings: Settings, rounds: int) -> dict:
    from assistant.answering.assistant import Assistant

    assistant = Assistant(settings.model_copy(update={"llm_base_url": None}))
    items = load_jsonl(EVALS_DIR / "qa.jsonl")
    assistant.ask("预热")
    times = []
    for _ in range(rounds):
        for item in items:
            t = time.perf_counter()
            assistant.ask(item["question"], filters=filters_for(item))
            times.append((time.perf_counter() - t) * 1000)
    return {"queries": len(times), "p50_ms": statistics.median(times), "p95_ms": percentile(times, 95)}


def timed_ingest(settings: Settings, vectors: bool) -> tuple[float, object]:
    t = time.perf_counter()
    report = ingest(settings, vectors=vectors)
    return time.perf_counter() - t, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold-full", action="store_true", help="also time a full cold build with vectors")
    args = parser.parse_args()
    settings = Settings()

    warm_s, warm = timed_ingest(settings, vectors=True)
    print(f"warm re-ingest (nothing changed): {warm_s:.2f} s  (embedded {warm.embedded}, chunks {warm.chunks})")
    with tempfile.TemporaryDirectory() as tmp:
        cold = Settings(data_dir=Path(tmp) / "data")
        cold_s, report = timed_ingest(cold, vectors=False)
        print(f"cold keyword index (fresh data dir): {cold_s:.2f} s  ({report.documents} documents, "
              f"{report.articles} articles, {report.chunks} chunks)")
        if args.cold_full:
            full = Settings(data_dir=Path(tmp) / "full")
            full_s, report = timed_ingest(full, vectors=True)
            print(f"cold full build with vectors (empty cache): {full_s:.1f} s  ({report.embedded} vectors)")

    r = bench_retrieval(settings, args.rounds)
    print(f"retrieval ({r['mode']}, {r['queries']} queries, index load {r['load_s']:.2f} s): "
          f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms")
    a = bench_answers(settings, args.rounds)
    print(f"offline answer ({a['queries']} questions): p50 {a['p50_ms']:.1f} ms, p95 {a['p95_ms']:.1f} ms")


if __name__ == "__main__":
    main()
