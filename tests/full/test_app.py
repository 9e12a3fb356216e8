"""The Streamlit app, driven by streamlit.testing's AppTest against the real index."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import REPO_ROOT

APP = str(REPO_ROOT / "streamlit_app.py")
SEARCH_PAGE = """
from assistant.ui import search_page
search_page.page()
"""


@pytest.fixture
def app_env(built, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(built.data_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(built.corpus_path))
    monkeypatch.setenv("ASSISTANT_CACHE_PATH", str(built.cache_dir))
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    return built


def chat_text(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_chat_page_answers_with_sources(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "法律问答"
    at.chat_input[0].set_value("个人垃圾混投拒不改正罚多少？").run()
    assert not at.exception
    text = chat_text(at)
    assert "50–200 元" in text and "城管执法部门" in text
    assert "《上海市生活垃圾管理条例》第57条" in text
    labels = [e.label for e in at.expander]
    assert "《上海市生活垃圾管理条例》第57条" in labels
    assert any("五十元以上二百元以下" in t.value for t in at.text)
    assert "离线整理" in " ".join(c.value for c in at.sidebar.caption)


def test_chat_followup_and_clear(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("个人垃圾混投拒不改正罚多少？").run()
    at.chat_input[0].set_value("那单位呢？").run()
    assert not at.exception
    assert "5000–50000 元" in chat_text(at)
    assert len(at.session_state["messages"]) == 4
    at.sidebar.button[0].click().run()
    assert at.session_state["messages"] == []


def test_chat_no_basis(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("离婚财产怎么分割").run()
    assert "未找到可靠依据" in chat_text(at)


def test_feedback_is_stored(app_env):
    from assistant.feedback import FeedbackStore

    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("个人垃圾混投拒不改正罚多少？").run()
    at.feedback[0].set_value(0).run()  # 👎
    comment_key = next(t.key for t in at.text_input if t.key and t.key.startswith("fbc-"))
    at.text_input(key=comment_key).input("缺少单位的处罚").run()
    at.button(key=[b.key for b in at.button if b.key and b.key.startswith("fbs-")][0]).click().run()
    assert not at.exception
    rows = FeedbackStore(app_env.data_dir / "feedback.sqlite").all()
    assert rows[-1]["rating"] == -1 and rows[-1]["comment"] == "缺少单位的处罚"
    assert rows[-1]["citations"][0]["article"] == 57


def test_search_page_shows_cited_article(app_env):
    at = AppTest.from_string(SEARCH_PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "法规检索"
    at.text_input[0].input("个人垃圾混投拒不改正罚多少").run()
    assert "《上海市生活垃圾管理条例》第57条" in " ".join(m.value for m in at.markdown)
    assert "五十元以上二百元以下" in " ".join(t.value for t in at.text)


def test_search_page_no_basis_message(app_env):
    at = AppTest.from_string(SEARCH_PAGE, default_timeout=120).run()
    at.text_input[0].input("个人所得税专项附加扣除怎么算").run()
    assert any("未找到可靠依据" in w.value for w in at.warning)


def test_sidebar_shows_index_status(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "法规 7 部" in captions
    assert "关键词 + 语义" in captions


def test_triage_page_single_complaint(app_env):
    at = AppTest.from_string("from assistant.ui import triage_page\ntriage_page.page()", default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "诉件分拣"
    at.text_area[0].input("徐汇区漕溪北路每天晚上都有人摆地摊卖烧烤，多次投诉没人管，联系电话13812345678").run()
    at.button[0].click().run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "乱设摊" in shown and "《上海市市容环境卫生管理条例》第25条" in shown
    assert "138****5678" in " ".join(t.value for t in at.text)
    assert "13812345678" not in " ".join(t.value for t in at.text)


def _unsafe_markdown(values) -> list[str]:
    """Markdown that would load or link something: an unescaped image or link."""
    import re

    return [v for v in values if re.search(r"(?<!\\)!\[|(?<!\\)\]\((?:https?:)?//", v)]


def test_triage_page_shows_markdown_in_a_complaint_as_text(app_env):
    at = AppTest.from_string("from assistant.ui import triage_page\ntriage_page.page()", default_timeout=120).run()
    at.text_area[0].input("楼下“![](//ev.il/a.png)”饭店 [点此领取](https://ev.il/phish) 每天占道经营").run()
    at.button[0].click().run()
    assert not at.exception
    shown = [m.value for m in (*at.markdown, *at.caption, *at.warning, *at.info)]
    assert not _unsafe_markdown(shown), shown
    assert any("ev.il" in t.value for t in at.text)  # still shown, as plain text


def test_chat_llm_reply_cannot_load_images_or_link_out(app_env, monkeypatch):
    from evals.openai_stub import ScriptedOpenAI

    reply = ("依据《上海市生活垃圾管理条例》第57条，个人混投拒不改正的处五十元以上二百元以下罚款。"
             "![](https://ev.il/track.png) 详见[官方解读](https://ev.il/phish)。")
    with ScriptedOpenAI([("垃圾", reply)]) as stub:
        monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "scripted")
        monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "k")
        at = AppTest.from_file(APP, default_timeout=120).run()
        at.chat_input[0].set_value("个人垃圾混投拒不改正罚多少？").run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert not _unsafe_markdown(shown), shown
    assert "第57条" in " ".join(shown)


def _pin_to_new_notebook(at, key: str, name: str):
    at.selectbox(key=f"pin-nb-{key}").select("＋ 新建笔记本…").run()
    at.text_input(key=f"pin-new-{key}").input(name).run()
    return at.button(key=f"pin-go-{key}").click().run()


def test_chat_answer_and_triage_result_are_pinned_to_a_notebook_and_audited(app_env):
    from assistant.accounts.audit import AuditLog
    from assistant.accounts.users import LOCAL
    from assistant.config import Settings
    from assistant.notebook.store import NotebookStore

    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input[0].set_value("个人垃圾混投拒不改正罚多少？").run()
    msg_id = at.session_state["messages"][-1]["id"]
    _pin_to_new_notebook(at, msg_id, "测试收藏")
    assert not at.exception
    assert any("已收藏到「测试收藏」" in c.value for c in at.caption)

    triage = AppTest.from_string("from assistant.ui import triage_page\ntriage_page.page()", default_timeout=120).run()
    triage.text_area[0].input("闵行区莘庄镇莘松路上每天晚上有人摆摊卖烧烤").run()
    triage.button[0].click().run()
    key = next(b.key for b in triage.button if b.key and b.key.startswith("pin-go-")).removeprefix("pin-go-")
    triage.selectbox(key=f"pin-nb-{key}").select("测试收藏").run()
    triage.button(key=f"pin-go-{key}").click().run()
    assert not triage.exception

    settings = Settings()
    store = NotebookStore.for_settings(settings)
    book = next(n for n in store.list(LOCAL.name) if n.name == "测试收藏")
    entries = store.entries(book.id, LOCAL.name)
    assert [e.kind for e in entries] == ["answer", "triage"]
    assert ("上海市生活垃圾管理条例", 57) in {(c.law, c.article) for c in entries[0].citations}
    actions = [row.action for row in AuditLog.for_settings(settings).query()]
    assert {"ask", "pin", "triage"} <= set(actions)
