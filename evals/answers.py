"""Answer quality on the team's question set, offline and in LLM mode.

    python -m evals.answers

- every citation shown in an answer exists in the index (current version, allowed region);
- the key fact (fine range or department) appears in penalty questions' offline answers;
- unanswerable questions get no_basis.
LLM mode runs against a scripted OpenAI-protocol server on 127.0.0.1 whose replies mix a real
retrieved article with an invented one, a superseded one and a real one that was not retrieved.
"""
from __future__ import annotations

import re
import time

from assistant.answering.assistant import Assistant
from assistant.config import Settings
from assistant.retrieval.retriever import Retriever
from evals.common import EVALS_DIR, filters_for, load_jsonl
from evals.openai_stub import ScriptedOpenAI


def citation_ok(retriever: Retriever, cite) -> bool:
    chunks = retriever.store.article(cite.law, cite.article) if cite.article is not None else []
    return any(c.version == cite.version for c in chunks)


def key_fact_found(answer_text: str, facts: list[str]) -> bool:
    flat = re.sub(r"\s", "", answer_text)
    return any(re.sub(r"\s", "", f) in flat for f in facts)


def run(assistant: Assistant, items: list[dict], label: str) -> dict:
    retriever = assistant.retriever
    shown = bad = 0
    penalty = penalty_hit = 0
    una = una_ok = 0
    times = []
    for item in items:
        t = time.perf_counter()
        answer = assistant.ask(item["question"], filters=filters_for(item))
        times.append(time.perf_counter() - t)
        for c in answer.citations:
            shown += 1
            bad += not citation_ok(retriever, c)
        if item["type"] == "penalty":
            penalty += 1
            penalty_hit += key_fact_found(answer.markdown(), item.get("key_facts") or [])
        if not item.get("gold"):
            una += 1
            una_ok += answer.no_basis
    times.sort()
    print(f"{label}: {shown} citations shown, {shown - bad} exist in the index ({(shown - bad) / max(shown, 1):.1%}); "
          f"key fact in {penalty_hit}/{penalty} penalty answers ({penalty_hit / max(penalty, 1):.1%}); "
          f"no_basis on {una_ok}/{una} unanswerable; p50 {times[len(times) // 2] * 1000:.0f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms")
    return {"shown": shown, "bad": bad}


def adversarial_reply(retriever: Retriever, question: str, filters) -> str:
    """A reply that cites the top retrieved article and three citations that must be removed.
    Retrieved as answers retrieve (Settings.answer_query_adapter), so the first citation is one
    the answer's own hits hold."""
    result = retriever.search(question, filters=filters, adapted=retriever.settings.answer_query_adapter)
    parts = []
    if result.hits and result.hits[0].chunk.article is not None:
        top = result.hits[0].chunk
        parts.append(f"依据《{top.law}》第{top.article}条，应依法处理。")
        parts.append(f"另据《{top.law}》第999条，可以从重处罚。")
    parts.append("《中华人民共和国环境噪声污染防治法》第五十六条也规定了罚款。")
    parts.append("《中华人民共和国个人信息保护法》第一条说明了立法目的。")
    return "".join(parts)


def main() -> None:
    settings = Settings()
    items = load_jsonl(EVALS_DIR / "qa.jsonl")
    offline = Assistant(settings)
    run(offline, items, "offline")
    script = [(item["question"], adversarial_reply(offline.retriever, item["question"], filters_for(item)))
              for item in items]
    with ScriptedOpenAI(script) as stub:
        llm_settings = settings.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "scripted"})
        llm = Assistant(llm_settings, retriever=offline.retriever)
        run(llm, items, "llm (adversarial scripted replies)")
        flagged = 0
        for item in items[:30]:
            answer = llm.ask(item["question"], filters=filters_for(item))
            flagged += len(answer.flagged)
        print(f"llm: {flagged} bad citations flagged and removed in the first 30 answers")


if __name__ == "__main__":
    main()
