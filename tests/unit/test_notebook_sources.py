"""A notebook's sources (issue #13 item 1): chosen from the index's documents, stored with the
notebook, and questions answered from them only — through the same retrieval, composition and
citation checks as the chat page (offline and with an LLM on loopback), on the 笔记本 page too."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answering.answer import Answer
from assistant.answering.assistant import Assistant
from assistant.answering.llm import make_chat_model
from assistant.config import Settings
from assistant.core.models import Chunk, Hit
from assistant.notebook.api import Notebook
from assistant.notebook.models import Source
from assistant.notebook.sources import outside_sources, restricted
from assistant.notebook.store import NotebookError, ReadOnly
from evals.openai_stub import ScriptedOpenAI
from tests.unit.tiny_corpus import BEIJING, GARBAGE, NOISE, PROPERTY

QUESTION = "个人不分类投放生活垃圾罚多少？"


@pytest.fixture
def env(tmp_path, tiny_corpus, monkeypatch) -> Settings:
    """A fresh data dir with the tiny library indexed (keyword only), as the app sees it."""
    from ingestion.pipeline import ingest

    for key in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_USER_DOCS_PATH", "ASSISTANT_SESSION_HOURS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tiny_corpus))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    settings = Settings()
    assert not ingest(settings, vectors=False).errors
    return settings


@pytest.fixture
def assistant(env) -> Assistant:
    return Assistant(env)


def laws_cited(answer: Answer) -> set[str]:
    return {h.chunk.law for h in answer.basis} | {p.citation.law for p in answer.penalties}


def test_sources_are_checked_against_the_index_and_kept_in_order(env):
    nb = Notebook.create("执法素材", settings=env)
    with pytest.raises(NotebookError, match="法规库中没有这些文档：上海市不存在条例"):
        nb.set_sources([GARBAGE, "上海市不存在条例"])
    assert nb.sources == []  # nothing half-saved
    nb.set_sources([PROPERTY, GARBAGE, PROPERTY])
    assert nb.sources == [Source(PROPERTY, "law"), Source(GARBAGE, "law")]
    assert Notebook.open("执法素材", settings=env).sources == nb.sources  # persisted
    assert f"来源：法规：{PROPERTY}；法规：{GARBAGE}" in nb.to_markdown()  # and exported
    nb.set_sources([])
    assert nb.sources == []


def test_without_sources_asking_says_what_to_do(env, assistant):
    nb = Notebook.create("空来源", settings=env)
    with pytest.raises(NotebookError, match="还没有选择法规或文档作为来源"):
        nb.ask(QUESTION, assistant=assistant)


def test_answers_come_from_the_sources_only(env, assistant):
    # The open chat answers from the Shanghai regulation (default scope: 上海 + 全国) …
    default = assistant.ask(QUESTION)
    assert GARBAGE in laws_cited(default) and BEIJING not in laws_cited(default)
    # … a notebook whose only source is Beijing's regulation answers from that one, region or not.
    nb = Notebook.create("北京对照", settings=env)
    nb.set_sources([BEIJING])
    answer = nb.ask(QUESTION, assistant=assistant)
    assert not answer.no_basis and laws_cited(answer) == {BEIJING}
    assert "生态环境部门" in answer.markdown() and "50–200 元" in answer.markdown()
    assert outside_sources(answer, nb.sources) == []


def test_a_question_the_sources_do_not_cover_has_no_basis_from_elsewhere(env, assistant):
    nb = Notebook.create("噪声", settings=env)
    nb.set_sources([NOISE])
    answer = nb.ask("损坏房屋承重结构怎么罚？", assistant=assistant)
    assert laws_cited(answer) <= {NOISE}
    assert PROPERTY not in answer.markdown()


def test_a_shared_reader_may_ask_but_not_change_the_sources(env, assistant):
    nb = Notebook.create("共享来源", user="chief", settings=env)
    nb.set_sources([GARBAGE])
    nb.share("zhang")
    reader = Notebook.open("共享来源", user="zhang", settings=env)
    assert reader.sources == [Source(GARBAGE, "law")]
    with pytest.raises(ReadOnly):
        reader.set_sources([NOISE])
    assert laws_cited(reader.ask(QUESTION, assistant=assistant)) == {GARBAGE}


def test_an_llm_citing_outside_the_sources_is_not_shown(env):
    reply = ("个人不分类投放的，由生态环境部门给予书面警告（《北京市生活垃圾管理条例》第七十二条）。"
             "另据《上海市生活垃圾管理条例》第五十七条处罚。")
    with ScriptedOpenAI([("投放", reply)]) as stub:
        settings = env.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "scripted"})
        llm = Assistant(settings, chat_model=make_chat_model(settings))
        nb = Notebook.create("大模型", settings=env)
        nb.set_sources([BEIJING])
        answer = nb.ask(QUESTION, assistant=llm)
    assert answer.mode == "llm" and laws_cited(answer) == {BEIJING}
    assert GARBAGE not in (answer.body or "") and answer.flagged  # removed by the same verification


def _hit(law: str, article: int) -> Hit:
    return Hit(Chunk(law=law, article=article, part=0, version="2020-01-01", jurisdiction="上海", level="地方性法规",
                     chapter=None, status="current", text=f"第{article}条 ……", source="x.md",
                     article_label=f"第{article}条"), 1.0)


def test_the_last_guard_removes_or_refuses_what_lies_outside():
    sources = [Source(GARBAGE)]
    stray = Answer("问", False, "offline", conclusion=f"依据《{GARBAGE}》第57条处理。",
                   basis=[_hit(GARBAGE, 57), _hit(PROPERTY, 83)])
    kept = restricted(stray, sources)
    assert [h.chunk.law for h in kept.basis] == [GARBAGE] and not kept.no_basis
    elsewhere = Answer("问", False, "offline", conclusion=f"依据《{PROPERTY}》第83条处理。", basis=[_hit(PROPERTY, 83)])
    refused = restricted(elsewhere, sources)
    assert refused.no_basis and not refused.basis and PROPERTY not in refused.markdown()


NOTEBOOK_PAGE = """
from assistant.ui import notebook_page
notebook_page.page()
"""


def test_notebook_page_chooses_sources_asks_and_pins(env):
    nb = Notebook.create("页面来源", settings=env)
    at = AppTest.from_string(NOTEBOOK_PAGE, default_timeout=60).run()
    assert not at.exception
    assert "来源与提问（未选来源）" in [e.label for e in at.expander]
    at.multiselect[0].select(BEIJING)  # inside the form: sent with its submit button
    next(b for b in at.button if b.label == "保存来源").click().run()
    assert not at.exception and "来源已保存（1 个）" in at.success[0].value
    assert nb.sources == [Source(BEIJING, "law")]
    ask = next(t for t in at.text_input if t.label == "就本笔记本的来源提问")
    ask.input(QUESTION)
    next(b for b in at.button if b.label == "提问").click().run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert f"《{BEIJING}》" in shown and GARBAGE not in shown
    at.button(key=f"nb-pin-answer-{nb.id}").click().run()
    assert not at.exception and "已收藏（第 1 条）" in at.success[0].value
    [entry] = nb.entries
    assert entry.kind == "answer" and {c.law for c in entry.citations} == {BEIJING}


def test_empty_question_on_the_page_gives_a_message(env):
    nb = Notebook.create("空问题", settings=env)
    nb.set_sources([GARBAGE])
    at = AppTest.from_string(NOTEBOOK_PAGE, default_timeout=60).run()
    next(b for b in at.button if b.label == "提问").click().run()
    assert not at.exception and "请输入问题" in at.error[0].value


def test_the_front_door_notebook_asks_without_being_given_an_assistant(env):
    import assistant

    nb = assistant.Notebook.create("前门", settings=env)
    nb.set_sources([GARBAGE])
    assert laws_cited(nb.ask(QUESTION)) == {GARBAGE}
    assert isinstance(assistant.Notebook.open("前门", settings=env), assistant.Notebook)


def test_the_qa_guide_is_a_source_of_its_own(env, assistant):
    from assistant.notebook.sources import QA_GUIDE

    nb = Notebook.create("指引", settings=env)
    nb.set_sources([GARBAGE, QA_GUIDE])
    assert nb.sources == [Source(GARBAGE, "law"), Source(QA_GUIDE, "qa_guide")]
    question = "企业单位生活垃圾混投，拒不改正的罚款幅度"  # a phrasing of the shipped entry lj-danwei-hunto
    with_guide = nb.ask(question, assistant=assistant)
    assert with_guide.guide is not None and with_guide.guide.entry.id == "lj-danwei-hunto"
    nb.set_sources([GARBAGE])
    without = nb.ask(question, assistant=assistant)
    assert without.guide is None and laws_cited(without) == {GARBAGE}
    assert assistant.ask(question).guide is not None  # the open chat shows it: only the sources hid it
