"""Follow-up questions (「那单位呢？」「第二款说的是什么？」) resolved from the conversation."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.answer import Answer
from assistant.core.legaltext import PARAGRAPH_REF, normalize

FOLLOWUP = re.compile(r"^(那|那么|如果|要是|假如|还有|另外|这|该|它|此|上述|上面|刚才|同样)|呢[？?。]?$")
SUBJECTS = ("个人", "单位", "企业", "物业服务企业", "业主", "居民", "商户", "经营者", "施工单位", "建设单位")


@dataclass
class Turn:
    question: str
    standalone: str
    answer: Answer


def is_followup(question: str) -> bool:
    q = normalize(question)
    return bool(FOLLOWUP.search(q)) or len(q) <= 6 or bool(PARAGRAPH_REF.search(q) and "条" not in q)


def resolve_offline(question: str, history: list[Turn]) -> str:
    """Carry the previous turn's law and topic into a follow-up. A subject named in the
    follow-up (单位) replaces the one of the previous question (个人)."""
    if not history or not is_followup(question):
        return question
    prev = history[-1]
    q = normalize(question)
    if PARAGRAPH_REF.search(q) and prev.answer.basis:
        top = prev.answer.basis[0].chunk
        if top.article is not None:
            return f"{top.law}第{top.article}条 {q}"
    topic = prev.standalone
    named = [s for s in SUBJECTS if s in q]
    if named:
        for s in sorted(SUBJECTS, key=len, reverse=True):
            topic = topic.replace(s, "")
    law = prev.answer.basis[0].chunk.law if prev.answer.basis else ""
    cleaned = re.sub(r"^(那么|那|如果是|要是|假如)|呢[？?。]?$", "", q).strip()
    return " ".join(x for x in (law if law not in topic else "", topic, cleaned) if x)
