"""Answers on the tiny index: offline composition, follow-ups, and the LLM boundary against the
scripted OpenAI-protocol server on loopback (citations verified before they are shown)."""
from __future__ import annotations

import pytest

from assistant.answering.answer import Answer, Token
from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from assistant.answering.llm import make_chat_model
from evals.openai_stub import ScriptedOpenAI
from tests.unit.tiny_corpus import GARBAGE

QUESTION = "个人垃圾混投拒不改正罚多少？"


@pytest.fixture(scope="module")
def offline(tiny_retriever):
    return Assistant(tiny_retriever.settings, retriever=tiny_retriever)


def test_offline_penalty_answer(offline):
    answer = offline.ask(QUESTION)
    assert answer.mode == "offline" and not answer.no_basis
    assert answer.citations[0].label() == f"《{GARBAGE}》第57条"
    text = answer.markdown()
    assert "50–200 元（拒不改正的）" in text and "城管执法部门" in text
    assert "2019-01-31版 · 上海 · 地方性法规 · 现行有效" in text
    assert answer.to_json()["citations"][0] == {"law": GARBAGE, "article": 57, "version": "2019-01-31"}


def test_followups(offline):
    first = offline.ask(QUESTION)
    second = offline.ask("那单位呢？", [Turn(QUESTION, first.question, first)])
    assert GARBAGE in second.question and "单位" in second.question
    assert "5000–50000 元" in second.markdown()
    cited = offline.ask("上海市生活垃圾管理条例第五十七条")
    para = offline.ask("第二款说的是什么？", [Turn("上海市生活垃圾管理条例第五十七条", cited.question, cited)])
    assert para.conclusion.startswith(f"《{GARBAGE}》第57条第二款：个人违反本条例")


def llm(tiny_retriever, stub) -> Assistant:
    settings = tiny_retriever.settings.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "scripted"})
    return Assistant(settings, retriever=tiny_retriever, chat_model=make_chat_model(settings))


def test_llm_reply_streams_and_invented_citations_are_removed(tiny_retriever):
    reply = ("个人混投拒不改正的，处五十元以上二百元以下罚款（《上海市生活垃圾管理条例》第五十七条）。"
             "另据《上海市生活垃圾管理条例》第999条可以拘留。")
    with ScriptedOpenAI([("混投", reply)]) as stub:
        items = list(llm(tiny_retriever, stub).ask_stream(QUESTION))
    assert all(isinstance(i, Token) for i in items[:-1]) and isinstance(items[-1], Answer)
    answer = items[-1]
    assert answer.mode == "llm"
    assert [(c.law, c.article) for c in answer.citations] == [(GARBAGE, 57)]
    assert "第999条" not in answer.body and answer.flagged[0]["problem"] == "索引中不存在该条文"


def test_llm_without_verified_citation_falls_back_to_offline(tiny_retriever):
    with ScriptedOpenAI([("混投", "依据《中华人民共和国刑法》第二百条处理。")]) as stub:
        answer = llm(tiny_retriever, stub).ask(QUESTION)
    assert answer.mode == "offline" and answer.flagged and "没有可核实的引用" in answer.reason


def test_unreachable_llm_falls_back(tiny_retriever):
    settings = tiny_retriever.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "x"})
    answer = Assistant(settings, retriever=tiny_retriever).ask(QUESTION)
    assert answer.mode == "offline" and "大模型不可用" in answer.reason
