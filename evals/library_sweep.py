"""The whole library read and shown: every penalty 款 parsed, and the answers to questions made
from the library's own penalty conducts checked for defects.

    python -m evals.library_sweep [--questions 800] [--jurisdiction 上海] [--seed 11] [--show 10]

Parse, every current article's 款: the fined clauses; those naming no department or no conduct; a
fine shown as 「未定数额」 though the 款 states a sum in 元 (安全生产条例第六十四条's 「每少配备一人罚款
五千元」 had been).
Answers, to a sample of questions 「<a clause's conduct>，怎么处罚？」: no basis; the lead article the
clause's own; and in the text above 法律依据, the defects this module looks for (DEFECTS): a
fine left without its amount, a fragment of whom a fine is for (「位主要负责人…处…」), brackets
that do not close, a 结论 whose conduct is only the rule's number (「违反本条例第二十条规定的」), a
违法依据 the lead article does not cite.

Not a measure of users' questions (these quote the law): a finder of defects in how texts are
read and shown, over the whole library, for the stops that change the parser or the composer.
"""
from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from assistant.answering.answer import Answer
from assistant.answering.assistant import Assistant
from assistant.answering.clauses import article_body, clauses
from assistant.core.legaltext import referenced_numbers
from assistant.core.penalty import extract_penalties, format_fine

# A sum in 元 stated in a 款 (「五千元」「1000元」).
SUM_STATED = re.compile(r"[0-9零〇一二两三四五六七八九十百千万]+元")
# A conduct that is only the number of a rule: it says nothing to the asker.
BARE_RULE = re.compile(r"^(?:违反本(?:条例|规定|办法|法)第[一二三四五六七八九十百]+条[^，。]{0,12}的，)")
DEFECTS = {
    "未定数额": re.compile(r"未定数额"),
    "fragment": re.compile(r"(?:^|[：；，（])(?:位|员|者|物)(?:[^，。；（]{0,20})处(?:以)?[^理分置罚]"),
    "bare rule": BARE_RULE,
}


@dataclass
class Sweep:
    parse: Counter = field(default_factory=Counter)
    answers: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str, example: str, keep: int) -> None:
        shown = self.examples.setdefault(kind, [])
        if len(shown) < keep:
            shown.append(example)


def conduct_question(conduct: str) -> str:
    """「<conduct>，怎么处罚？」, without a leading 「违反…规定，」 (the asker names what was done)."""
    return re.sub(r"^违反[^，]*规定，", "", conduct)[:50] + "，怎么处罚？"


def answer_defects(answer: Answer, store) -> list[str]:
    """The defects of one answer's text above its 法律依据 (and of its 违法依据)."""
    if answer.no_basis:
        return []
    shown = answer.summary_markdown().split("### 法律依据")[0]
    found = [kind for kind, pattern in DEFECTS.items() if pattern.search(answer.conclusion if kind == "bare rule" else shown)]
    if any(line.count("（") != line.count("）") for line in shown.split("\n") if not line.startswith(">")):
        found.append("brackets")
    lead = answer.basis[0].chunk if answer.basis else None
    if lead is not None and lead.article is not None:
        cited = set(referenced_numbers(article_body(lead, store))) | {lead.article}
        if any(v.law == lead.law and v.article not in cited for v in answer.violated):
            found.append("违法依据 not cited")
    return found


def sweep(assistant: Assistant, jurisdiction: str, questions: int, seed: int, keep: int = 10) -> Sweep:
    store = assistant.retriever.store
    out = Sweep()
    asked: list[tuple[str, int, str]] = []
    seen: set[tuple[str, int]] = set()
    for chunk in store.all_chunks():
        key = (chunk.law, chunk.article)
        if chunk.article is None or chunk.status != "current" or chunk.jurisdiction != jurisdiction or key in seen:
            continue
        seen.add(key)
        for clause in clauses(article_body(chunk, store)):
            for p in extract_penalties(clause.text):
                if not p.fines:
                    continue
                out.parse["fined clauses"] += 1
                out.parse["no department"] += p.department is None
                out.parse["no conduct"] += p.conduct is None
                if any("未定数额" in format_fine(f) for f in p.fines) and SUM_STATED.search(clause.text):
                    out.parse["未定数额 though a sum is stated"] += 1
                    out.note("parse: 未定数额", f"{chunk.law}第{chunk.article}条：{clause.text[:120]}", keep)
                if p.conduct and len(p.conduct) >= 4:
                    asked.append((chunk.law, chunk.article, conduct_question(p.conduct)))
    random.Random(seed).shuffle(asked)
    for law, article, question in asked[:questions]:
        answer = assistant.ask(question)
        out.answers["questions"] += 1
        if answer.no_basis:
            out.answers["no basis"] += 1
            continue
        lead = answer.basis[0].chunk
        out.answers["lead is the clause's article"] += (lead.law, lead.article) == (law, article)
        for kind in answer_defects(answer, store):
            out.answers[kind] += 1
            out.note(kind, f"{question} → {answer.conclusion[:160]}", keep)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=int, default=800)
    ap.add_argument("--jurisdiction", default="上海")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=10, help="examples printed per defect")
    args = ap.parse_args(argv)
    assistant = Assistant()
    assistant.chat_model = None  # the offline answers: what the composer shows
    result = sweep(assistant, args.jurisdiction, args.questions, args.seed, args.show)
    print("parse:", dict(result.parse))
    print("answers:", dict(result.answers))
    for kind, examples in result.examples.items():
        print(f"\n{kind}:")
        for e in examples:
            print("  -", e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
