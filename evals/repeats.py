"""Repeat grouping on a constructed batch with known groups (evals/repeats.jsonl).

    python -m evals.repeats [--show]

The 70 complaints (May–September 2024) hold 36 gold groups: the same place and matter written
differently (with or without district and town, 5号楼 or not), beside distractors — the same
address with another matter, the next house number, the same place months later (a new group),
and complaints without a precise place (groups of one). They go through the real product path
(a CSV with a date column → triage_table → an in-memory RepeatStore with the default window), so
category errors count against grouping too.

A complaint the classifier is unsure about counts for its runner-up category too
(repeats.matter_labels; with the top category alone recall was 0.870). Scored over pairs of complaints: a pair is predicted together when both have the same group_id;
precision = pairs predicted together that share a gold group / pairs predicted together; recall =
pairs sharing a gold group that are predicted together / pairs sharing a gold group."""
from __future__ import annotations

import argparse
import csv
import io
import json
from itertools import combinations

from assistant.config import REPO_ROOT, Settings
from assistant.triage.batch import XlsxWriter, open_table, triage_table
from assistant.triage.repeats import RepeatStore
from assistant.triage.service import Triager

REPEATS_SET = REPO_ROOT / "evals" / "repeats.jsonl"


def pair_scores(gold: list[str], predicted: list[str | None]) -> tuple[float, float, int, int]:
    together = [(i, j) for i, j in combinations(range(len(gold)), 2) if predicted[i] and predicted[i] == predicted[j]]
    same = [(i, j) for i, j in combinations(range(len(gold)), 2) if gold[i] == gold[j]]
    hit = len(set(together) & set(same))
    return (hit / len(together) if together else 1.0), (hit / len(same) if same else 1.0), len(together), len(same)


def run(triager: Triager | None = None, show: bool = False) -> tuple[float, float]:
    rows = [json.loads(line) for line in REPEATS_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["编号", "受理时间", "诉件内容"])
    w.writerows([r["id"], r["date"], r["text"]] for r in rows)
    triager = triager or Triager()
    table = open_table(buf.getvalue().encode("utf-8"), "repeats.csv")
    store = RepeatStore(None, triager.settings.repeat_window_days)
    writer = XlsxWriter(table.columns)
    results = list(triage_table(triager, table, 2, writer, repeats=store, date_column=1))
    writer.save(io.BytesIO())
    predicted = [r.group_id for r in results]
    precision, recall, n_pred, n_gold = pair_scores([r["group"] for r in rows], predicted)
    if show:
        for r, res in zip(rows, results):
            print(f"{r['id']} gold {r['group']} → {res.group_id or '-':8} {res.label:22} {res.fields.place or ''} "
                  f"{res.fields.address or ''} | {r['text'][:30]}")
    print(f"repeat grouping: pair precision {precision:.3f}, recall {recall:.3f} "
          f"({n_pred} pairs predicted together, {n_gold} gold pairs; {len(rows)} complaints, "
          f"{len({r['group'] for r in rows})} gold groups, window {triager.settings.repeat_window_days} days)")
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    run(Triager(Settings()), args.show)


if __name__ == "__main__":
    main()
