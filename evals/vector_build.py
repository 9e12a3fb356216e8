"""The vector build from nothing, timed: when the core regulations are searchable by meaning,
and when every vector is built and the query adapter fitted (issue #10: core ≤ 5 min, full ≤ 25 min
on 2 cores).

    python -m evals.vector_build [--json]

A fresh data dir and an empty cache dir under a temporary folder (nothing reused: the engine is
compiled again when the host engine is on, the vector cache starts empty). The keyword index is
built first, as `scripts/start.sh` does, and timed apart; the clock of the vector build starts
after it. core_s is the moment the last core entry is stored (the build embeds them first).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from ingestion.pipeline import Indexer, default_roots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", cache_path=Path(tmp) / "cache")
        indexer = Indexer(settings)
        started = time.perf_counter()
        indexer.ingest_lexical(default_roots(settings))
        lexical_s = time.perf_counter() - started
        core_n = sum(1 for e in indexer.vector_entries() if indexer.is_core(e[2]))
        marks: dict[str, float] = {}
        last_print = [0.0]
        began = time.perf_counter()

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter() - began
            if "core_s" not in marks and stage == "向量" and done >= core_n:  # core entries come first
                marks["core_s"] = now
            if not args.json and now - last_print[0] > 30:
                last_print[0] = now
                print(f"{now:7.0f} s  {stage} {done}/{total}", flush=True)

        fit = indexer.fit_query_adapter

        def timed_fit(matrix, embedder=None):  # the query adapter is fitted last, after the vectors are "ready"
            t = time.perf_counter()
            marks["adapter_pairs"] = fit(matrix, embedder)
            marks["adapter_s"] = time.perf_counter() - t
            return marks["adapter_pairs"]

        indexer.fit_query_adapter = timed_fit
        report = indexer.build_vectors(progress=progress)
        full_s = time.perf_counter() - began
        out = {"lexical_s": round(lexical_s, 1), "core_entries": core_n, "core_s": round(marks.get("core_s", full_s), 1),
               "entries": report.vectors_total, "embedded": report.embedded, "full_s": round(full_s, 1),
               "entries_per_s": round(report.embedded / full_s, 1), "host_engine": settings.host_engine,
               "adapter_pairs": marks.get("adapter_pairs", 0), "adapter_s": round(marks.get("adapter_s", 0.0), 1)}
    print(json.dumps(out, ensure_ascii=False) if args.json else
          f"keyword index {out['lexical_s']} s; core {out['core_entries']} entries searchable after "
          f"{out['core_s']} s; all {out['entries']} vectors after {out['full_s']} s "
          f"({out['entries_per_s']} entries/s, host engine {'on' if settings.host_engine else 'off'}), of which "
          f"{out['adapter_s']} s fitting the query adapter on {out['adapter_pairs']} phrasings")


if __name__ == "__main__":
    main()
