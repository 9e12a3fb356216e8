"""Officers' answers: the team review set, the no-basis set and two-turn conversations.

    python -m evals.officer [--split dev|test|all] [--samples] [--show-misses]

- review (evals/review.jsonl): the 结论's first citation is a gold article; every key fact is in
  the answer's own text (结论, 处罚幅度, 步骤 — not the quoted articles); the department is named
  and 城管's role is right (城管 named when it exercises the power, "不属城管" not contradicted
  when it does not). Department is scored on the intents whose answer is a department
  (penalty, who_enforces, other_department, colloquial); procedure questions are about steps.
  Text: no 「未定数额」 when the cited article states an amount, and no 结论, step or fine cut off
  mid-sentence (`text_problems`).
- no basis (evals/no_basis.jsonl): `no_basis` on each; and answerable review questions wrongly
  flagged.
- conversations (evals/conversations.jsonl): the follow-up's 结论 cites a gold article and
  carries a key fact.
- the retrieval sets (evals/qa.jsonl, evals/lay.jsonl): the 结论 cites a gold article.
Numbers in key facts and answers are compared as Arabic numerals (「五十元以上五百元以下」 and
「50–500 元」 are the same fact).
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

import cn2an

from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from assistant.answering.verify import find_citations
from evals.common import EVALS_DIR, load_jsonl

DEPARTMENT_INTENTS = {"penalty", "who_enforces", "other_department", "colloquial"}


def normal(text: str) -> str:
    """Arabic numerals, ranges spelled one way, no spaces or thousands separators."""
    text = cn2an.transform(text, "cn2an")
    text = re.sub(r"\s+", "", text).replace(",", "")
    text = re.sub(r"(\d+)–(\d+)元", r"\1元以上\2元以下", text)
    text = re.sub(r"(\d+)元以下", r"\1元以下", text)
    return text


def fact_found(answer_text: str, fact: str) -> bool:
    return normal(fact) in normal(answer_text)


def first_citation(answer, names) -> tuple[str, int] | None:
    """The first article the 结论 cites by its law's name. A bare 「第二十九条」 before it is part of
    the quoted conduct (「违反本条例，除第二十九条…规定的情形外，…按日连续处罚（《…》第102条）」),
    not what the 结论 rests on; it counts only when no reference names its law."""
    found = [(raw, law, article) for raw, law, _, article in
             find_citations(answer.conclusion if answer.mode == "offline" else (answer.body or ""), names) if law]
    named = [(law, article) for raw, law, article in found if not raw.startswith("第")]
    return (named or [(law, article) for _, law, article in found] or [None])[0]


def department_right(item: dict, text: str) -> bool:
    dept = item.get("department") or ""
    flat = normal(text)
    named = normal(dept) in flat or (item.get("chengguan") and "城管" in flat)
    if item.get("chengguan"):
        return named and "不属城管职责" not in flat
    return named and not re.search(r"由城管执法部门负责|该项处罚权由城管执法部门行使", flat)


# A sentence of ours ends like this; anything else was cut off (「…的」, a dangling 「、」).
SENTENCE_END = ("。", "）", "」", "；", "！", "？", "》")
AMOUNT = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]+元")


def text_problems(answer) -> list[str]:
    """What the issue forbids in any answer: 「未定数额」 while the cited article states an amount,
    and a 结论, penalty line or step cut off mid-sentence."""
    if answer.no_basis:
        return []
    problems = []
    stated = any(AMOUNT.search(h.chunk.text) for h in answer.basis[:1])
    if stated and "未定数额" in answer.summary_markdown():
        problems.append("未定数额")
    sentences = [answer.conclusion] + [s.text for s in answer.steps]
    phrases = [fine for p in answer.penalties for fine in p.fines]  # 「罚款50–500 元」: no full stop
    for text, sentence in [(t.strip(), True) for t in sentences] + [(t.strip(), False) for t in phrases]:
        if text and ("…" in text or text.endswith(("的", "、", "，", "：")) or
                     (sentence and not text.endswith(SENTENCE_END))):
            problems.append(f"cut off: …{text[-20:]}")
    return problems


def run_review(assistant: Assistant, items: list[dict], show_misses: bool) -> dict:
    names = assistant.retriever.names
    n = first_gold = facts = facts_n = dept_ok = dept_n = flagged = mangled = 0
    by_intent: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        answer = assistant.ask(item["question"])
        summary = answer.summary_markdown()
        gold = {(g["law"], g["article"]) for g in item["gold"]}
        cite = first_citation(answer, names)
        ok_cite = cite in gold
        ok_facts = all(fact_found(summary, f) for f in item["key_facts"])
        n += 1
        first_gold += ok_cite
        facts_n += 1
        facts += ok_facts
        flagged += answer.no_basis
        problems = text_problems(answer)
        mangled += bool(problems)
        if show_misses and problems:
            print(f"  TEXT {item['id']} {problems}")
        stats = by_intent[item["intent"]]
        stats["n"] += 1
        stats["cite"] += ok_cite
        stats["facts"] += ok_facts
        ok_dept = None
        if item["intent"] in DEPARTMENT_INTENTS:
            ok_dept = department_right(item, summary)
            dept_n += 1
            dept_ok += ok_dept
            stats["dept"] += ok_dept
        if show_misses and not (ok_cite and ok_facts and ok_dept is not False):
            print(f"  MISS {item['id']} [{item['intent']}] {item['question']}  gold={sorted(gold)} cited={cite} "
                  f"facts={'ok' if ok_facts else item['key_facts']} dept={'-' if ok_dept is None else ok_dept} "
                  f"nb={answer.no_basis}\n       {answer.conclusion[:160]}")
    return {"n": n, "first_gold": first_gold, "facts": facts, "facts_n": facts_n, "dept": dept_ok,
            "dept_n": dept_n, "flagged": flagged, "mangled": mangled, "by_intent": by_intent}


def run_no_basis(assistant: Assistant, items: list[dict], show_misses: bool) -> Counter:
    out: Counter = Counter()
    for item in items:
        answer = assistant.ask(item["question"])
        out[item["kind"]] += 1
        out[f"{item['kind']}_ok"] += answer.no_basis
        if show_misses and not answer.no_basis:
            print(f"  ANSWERED {item['id']} [{item['kind']}] {item['question']} → {answer.conclusion[:120]}")
    return out


def run_conversations(assistant: Assistant, items: list[dict], show_misses: bool) -> tuple[int, int]:
    names = assistant.retriever.names
    ok = 0
    for item in items:
        first_q, second_q = item["turns"]
        first = assistant.ask(first_q)
        second = assistant.ask(second_q, [Turn(first_q, first.question, first)])
        gold = {(g["law"], g["article"]) for g in item["gold"]}
        cited = first_citation(second, names)
        good = cited in gold and all(fact_found(second.summary_markdown(), f) for f in item["key_facts"])
        ok += good
        if show_misses and not good:
            print(f"  MISS {item['id']} {first_q} → {second_q}  resolved「{second.question}」 gold={sorted(gold)} "
                  f"cited={cited}\n       {second.conclusion[:160]}")
    return ok, len(items)


def run_cited(assistant: Assistant, items: list[dict]) -> tuple[int, int]:
    """The 结论 cites a gold article of a retrieval set's question (evals/qa.jsonl: officers'
    wording; evals/lay.jsonl: citizens' wording about national law), as for the review set."""
    names = assistant.retriever.names
    ok = sum(first_citation(assistant.ask(item["question"]), names) in {(g["law"], g["article"]) for g in item["gold"]}
             for item in items)
    return ok, len(items)


def print_samples(assistant: Assistant, items: list[dict]) -> None:
    shown: Counter = Counter()
    for item in items:
        intent = item["intent"]
        if shown[intent] >= 3:
            continue
        shown[intent] += 1
        answer = assistant.ask(item["question"])
        print(f"\n---- [{intent}] {item['question']}\n{answer.summary_markdown()}")


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / max(b, 1):.0%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="all", choices=["dev", "test", "all"])
    parser.add_argument("--samples", action="store_true", help="print 15 answers, three per intent")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    assistant = Assistant()
    assistant.chat_model = None  # the offline composer is what is measured here

    def split(items):
        return [i for i in items if args.split == "all" or i["split"] == args.split]

    review = split(load_jsonl(EVALS_DIR / "review.jsonl"))
    r = run_review(assistant, review, args.show_misses)
    print(f"review ({args.split}, {r['n']} questions, mode {assistant.retriever.search('测试').mode}):")
    print(f"  结论's first citation gold  {pct(r['first_gold'], r['n'])}")
    print(f"  key facts in the answer     {pct(r['facts'], r['facts_n'])}")
    print(f"  department right            {pct(r['dept'], r['dept_n'])}")
    print(f"  answerable flagged no_basis {pct(r['flagged'], r['n'])}")
    print(f"  未定数额 or cut-off text    {pct(r['mangled'], r['n'])}")
    for intent, s in sorted(r["by_intent"].items()):
        dept = f", department {s['dept']}/{s['n']}" if intent in DEPARTMENT_INTENTS else ""
        print(f"    {intent:16} citation {s['cite']}/{s['n']}, facts {s['facts']}/{s['n']}{dept}")
    nb = run_no_basis(assistant, split(load_jsonl(EVALS_DIR / "no_basis.jsonl")), args.show_misses)
    total = nb["out_of_library"] + nb["near_miss"]
    total_ok = nb["out_of_library_ok"] + nb["near_miss_ok"]
    print(f"no basis: {pct(total_ok, total)} (out of library {nb['out_of_library_ok']}/{nb['out_of_library']}, "
          f"near miss {nb['near_miss_ok']}/{nb['near_miss']})")
    ok, n = run_conversations(assistant, split(load_jsonl(EVALS_DIR / "conversations.jsonl")), args.show_misses)
    print(f"follow-ups answered right: {pct(ok, n)}")
    for name in ("qa", "lay"):
        ok, n = run_cited(assistant, split(load_jsonl(EVALS_DIR / f"{name}.jsonl")))
        print(f"{name} set: 结论's first citation gold {pct(ok, n)}")
    if args.samples:
        print_samples(assistant, review)


if __name__ == "__main__":
    main()
