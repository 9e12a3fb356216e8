"""The blind sets (evals/blind.jsonl): questions written from the regulation texts alone by
helpers who saw neither the code, the other sets nor any answer (see evals/check_blind.py).

    python -m evals.blind [--sets N1,N11] [--show-misses] [--reveal] [--answers OUT.jsonl]

Right: an answerable question's 结论 cites a gold article first (for a two-turn item, the
follow-up's, asked after the first turn's answer); a no-basis question gets no_basis. Key facts
(all of them in the answer's own text) and the department are counted beside. A ``held_out``
set's misses are not printed unless ``--reveal`` (reading them makes it a diagnostic set:
change its status in blind.jsonl then); what kind of miss each was is counted for every set
(`miss_kind`: counts say nothing of a question's wording). ``--answers`` writes every answer,
for diffing runs.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from evals.common import EVALS_DIR, load_jsonl
from evals.officer import department_right, fact_found, first_citation


def answer_item(assistant: Assistant, item: dict):
    """(answer, first turn's answer or None)."""
    if item.get("turns"):
        q1, q2 = item["turns"]
        first = assistant.ask(q1)
        return assistant.ask(q2, [Turn(q1, first.question, first)]), first
    return assistant.ask(item["question"]), None


def score(item: dict, answer, names) -> dict:
    summary = answer.summary_markdown()
    cited = first_citation(answer, names)
    if item["group"] == "no-basis":
        right = bool(answer.no_basis)
    else:
        right = cited in {(g["law"], g["article"]) for g in item["gold"]}
    return {"right": right, "cited": list(cited) if cited else None, "no_basis": bool(answer.no_basis),
            "facts": all(fact_found(summary, f) for f in item["key_facts"]) if item["key_facts"] else None,
            "department": blind_department_right(item, summary) if item.get("department") else None}


# 「市场监督管理部门（餐饮业经营场所）」「工商行政管理部门（市场监管）」「犬只收容所（市公安部门设立）」:
# the helpers who wrote the blind sets put a remark after the department in brackets; the department
# is what comes before it (not 「乡（镇）水利机构」, whose bracket is inside the name).
_REMARK = re.compile(r"（[^（）]*）$")


def blind_department_right(item: dict, summary: str) -> bool:
    """department_right, also with the department without its closing remark in brackets."""
    if department_right(item, summary):
        return True
    bare = _REMARK.sub("", item["department"])
    return bool(bare) and bare != item["department"] and department_right({**item, "department": bare}, summary)


# What went wrong, by kind: answered "no basis", led by another article of a gold law, led by
# another law; or, for a question the library cannot answer, answered anyway.
MISS_KINDS = ("no basis", "same law", "other law", "answered")


def miss_kind(item: dict, scored: dict) -> str | None:
    """The kind of miss (MISS_KINDS) of a scored item; None when it is right."""
    if scored["right"]:
        return None
    if item["group"] == "no-basis":
        return "answered"
    if scored["no_basis"]:
        return "no basis"
    laws = {g["law"] for g in item["gold"]}
    return "same law" if scored["cited"] and scored["cited"][0] in laws else "other law"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all)")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--reveal", action="store_true", help="also print the misses of held-out sets")
    ap.add_argument("--answers", type=Path, help="write every answer to this JSONL file")
    args = ap.parse_args(argv)
    wanted = {s.strip() for s in args.sets.split(",") if s.strip()}
    items = [i for i in load_jsonl(EVALS_DIR / "blind.jsonl") if not wanted or i["set"] in wanted]
    assistant = Assistant()
    names = assistant.retriever.names
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # right, n, facts, nf, dept, nd
    by_group: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misses: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MISS_KINDS, 0))
    status: dict[str, str] = {}
    out = args.answers.open("w", encoding="utf-8") if args.answers else None
    try:
        for item in items:
            answer, first = answer_item(assistant, item)
            s = score(item, answer, names)
            t = totals[item["set"]]
            status[item["set"]] = item["status"]
            t[0] += s["right"]
            t[1] += 1
            if s["facts"] is not None:
                t[2] += s["facts"]
                t[3] += 1
            if s["department"] is not None:
                t[4] += s["department"]
                t[5] += 1
            by_group[(item["set"], item["group"])][0] += s["right"]
            by_group[(item["set"], item["group"])][1] += 1
            kind = miss_kind(item, s)
            if kind:
                misses[item["set"]][kind] += 1
            if out:
                out.write(json.dumps({"id": item["id"], **s, "resolved": answer.question,
                                      "first": first.summary_markdown() if first else None,
                                      "summary": answer.summary_markdown()}, ensure_ascii=False) + "\n")
            if args.show_misses and not s["right"] and (item["status"] != "held_out" or args.reveal):
                asked = " → ".join(item.get("turns") or [item.get("question", "")])
                print(f"  MISS {item['id']} [{item['group']}] {asked}\n       cited={s['cited']} "
                      f"gold={[(g['law'], g['article']) for g in item['gold']]}\n       {answer.conclusion[:160]}")
    finally:
        if out:
            out.close()
    right = n = 0
    for name in sorted(totals, key=lambda x: int(x[1:])):
        t = totals[name]
        right, n = right + t[0], n + t[1]
        groups = ", ".join(f"{g} {a}/{b}" for (s, g), (a, b) in by_group.items() if s == name)
        print(f"{name:<4} {status[name]:<10} right {t[0]:3d}/{t[1]:<3d} key facts {t[2]}/{t[3]}  "
              f"department {t[4]}/{t[5]}   ({groups})")
        print("     misses: " + ", ".join(f"{k} {v}" for k, v in misses[name].items()))
    print(f"all  right {right}/{n}")
    every = {k: sum(m[k] for m in misses.values()) for k in MISS_KINDS}
    print("all  misses: " + ", ".join(f"{k} {v}" for k, v in every.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
