"""Retrieval quality on the team's question set: Recall@1, Recall@5, MRR and no-basis accuracy
for BM25-only, dense-only and hybrid.

    python -m evals.retrieval [--set qa|lay] [--split dev|test|all] [--calibrate] [--show-misses]

--set lay: evals/lay.jsonl, questions about national law as citizens ask them (issue #10).
--set blind: the one-turn questions of evals/blind.jsonl's diagnostic sets (held-out sets are
left out unless named with --blind-sets), a larger retrieval dev signal than the qa dev half.

Recall@k is the share of a question's gold articles found in the top k, averaged over
answerable questions (a question with two gold articles needs both for full credit);
Hit@k counts a question as found when any gold article is in the top k.
"""
from __future__ import annotations

import argparse
from collections import defaultdict

from assistant.config import Settings
from assistant.retrieval.retriever import Retriever
from evals.common import EVALS_DIR, filters_for, gold_rank, load_jsonl

MODES = ("lexical", "dense", "hybrid")


def evaluate(retriever: Retriever, items: list[dict], mode: str, k: int = 5) -> dict:
    rows = []
    for item in items:
        res = retriever.search(item["question"], k=k, filters=filters_for(item), mode=mode)
        hits = [h.to_json() for h in res.hits]
        gold = item.get("gold") or []
        ranks = [gold_rank(hits, g) for g in gold]
        rows.append({"item": item, "ranks": ranks, "no_basis": res.no_basis, "signals": res.signals,
                     "hits": hits})
    return summarize(rows, k) | {"rows": rows}


def summarize(rows: list[dict], k: int) -> dict:
    answerable = [r for r in rows if r["item"].get("gold")]
    unanswerable = [r for r in rows if not r["item"].get("gold")]

    def recall_at(n):
        return sum(sum(1 for x in r["ranks"] if x and x <= n) / len(r["ranks"]) for r in answerable) / max(len(answerable), 1)

    def hit_at(n):
        return sum(any(x and x <= n for x in r["ranks"]) for r in answerable) / max(len(answerable), 1)

    mrr = sum(1 / min(x for x in r["ranks"] if x) if any(r["ranks"]) else 0 for r in answerable) / max(len(answerable), 1)
    nb_correct = sum(r["no_basis"] for r in unanswerable) + sum(not r["no_basis"] for r in answerable)
    by_type = defaultdict(list)
    for r in answerable:
        by_type[r["item"].get("type") or r["item"].get("topic")].append(r)
    return {
        "n": len(rows), "recall@1": recall_at(1), f"recall@{k}": recall_at(k), "hit@1": hit_at(1),
        f"hit@{k}": hit_at(k), "mrr": mrr,
        "no_basis_accuracy": nb_correct / max(len(rows), 1),
        "unanswerable_flagged": f"{sum(r['no_basis'] for r in unanswerable)}/{len(unanswerable)}",
        "answerable_wrongly_flagged": sum(r["no_basis"] for r in answerable),
        "by_type": {t: round(sum(sum(1 for x in r["ranks"] if x and x <= k) / len(r["ranks"]) for r in rs) / len(rs), 3)
                    for t, rs in sorted(by_type.items())},
    }


def blind_items(sets: str | None) -> list[dict]:
    """One-turn blind questions as retrieval items; held-out sets only when named."""
    wanted = set(sets.split(",")) if sets else None
    rows = load_jsonl(EVALS_DIR / "blind.jsonl")
    return [r | {"split": "all", "type": r["group"]} for r in rows
            if "question" in r and (r["set"] in wanted if wanted else r["status"] == "diagnostic")]


def calibrate(rows: list[dict]) -> tuple[float, float]:
    """Thresholds that flag every unanswerable question while wrongly flagging as few
    answerable ones as possible (ties: the lowest thresholds, i.e. the most permissive)."""
    ans = [r["signals"] for r in rows if r["item"].get("gold")]
    una = [r["signals"] for r in rows if not r["item"].get("gold")]
    best = None
    cov_grid = sorted({0.0} | {round(s["coverage"] + 1e-4, 4) for s in una})
    dense_grid = sorted({0.0} | {round(s["dense"] + 1e-4, 4) for s in una})
    for c in cov_grid:
        for d in dense_grid:
            flagged_una = sum(s["coverage"] < c or s["dense"] < d for s in una)
            flagged_ans = sum(s["coverage"] < c or s["dense"] < d for s in ans)
            key = (-(flagged_una), flagged_ans, c + d)
            if best is None or key < best[0]:
                best = (key, c, d)
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="question_set", default="qa", choices=["qa", "lay", "blind"])
    parser.add_argument("--blind-sets", help="with --set blind: these sets only, e.g. N1,N2")
    parser.add_argument("--split", default="all", choices=["dev", "test", "all"])
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--calibrate", action="store_true", help="fit no-basis thresholds on the dev split")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    if args.question_set == "blind":
        items = blind_items(args.blind_sets)
    else:
        items = load_jsonl(EVALS_DIR / f"{args.question_set}.jsonl")
    retriever = Retriever(Settings())
    if args.calibrate:
        dev = [i for i in items if i["split"] == "dev"]
        result = evaluate(retriever, dev, "hybrid")
        cov, dense = calibrate(result["rows"])
        print(f"calibrated on dev (hybrid): no_basis_min_coverage={cov} no_basis_min_dense={dense}")
        retriever.settings.no_basis_min_coverage, retriever.settings.no_basis_min_dense = cov, dense
    if args.split != "all":
        items = [i for i in items if i["split"] == args.split]
    print(f"{len(items)} questions ({args.split}); chunks in index: {len(retriever.chunks)}")
    print(f"{'mode':8} {'R@1':>6} {'R@5':>6} {'Hit@1':>6} {'Hit@5':>6} {'MRR':>6} {'no-basis acc':>12}  unanswerable  wrongly-flagged")
    for mode in args.modes.split(","):
        r = evaluate(retriever, items, mode)
        print(f"{mode:8} {r['recall@1']:6.3f} {r['recall@5']:6.3f} {r['hit@1']:6.3f} {r['hit@5']:6.3f} "
              f"{r['mrr']:6.3f} {r['no_basis_accuracy']:12.3f}  {r['unanswerable_flagged']:>12}  {r['answerable_wrongly_flagged']}")
        print(f"         recall@5 by type: {r['by_type']}")
        citation = [x for x in r["rows"] if x["item"].get("type") == "citation"]
        if citation:
            ok = sum(all(rk == 1 or (rk and rk <= len(x["ranks"])) for rk in x["ranks"]) for x in citation)
            print(f"         explicit citations right at the top: {ok}/{len(citation)}")
        if args.show_misses and mode == "hybrid":
            for x in r["rows"]:
                gold = x["item"].get("gold") or []
                bad = (not gold and not x["no_basis"]) or (gold and (x["no_basis"] or not all(x["ranks"])))
                if bad:
                    got = [f"{h['law'][:12]}{h['article']}" for h in x["hits"][:5]]
                    want = [f"{g['law'][:12]}{g['article']}" for g in gold]
                    print(f"  MISS {x['item']['id']} {x['item']['question'][:40]} want={want} got={got} "
                          f"ranks={x['ranks']} nb={x['no_basis']} sig={ {k: round(v, 3) if isinstance(v, float) else v for k, v in x['signals'].items()} }")


if __name__ == "__main__":
    main()
