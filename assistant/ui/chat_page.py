"""法律问答 page: chat with grounded, verified answers and expandable sources."""
from __future__ import annotations

import time
import uuid

import streamlit as st

from assistant.answering.answer import GUIDE_TITLE, Answer, Token
from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from assistant.core.render import chunk_label, version_line
from assistant.core.safetext import defang_markdown, escape_markdown
from assistant.feedback import FeedbackStore, FeedbackUnavailable
from assistant.ui import auth
from assistant.ui.notebook_widgets import pin_button
from assistant.ui.sidebar import filter_controls, index_status_panel
from assistant.ui.state import get_service

EXAMPLES = ["个人垃圾混投拒不改正罚多少？", "楼上敲了承重墙城管能管吗？", "夜间施工噪声扰民怎么处罚？"]


@st.cache_resource
def _feedback(path: str, retention_days: int) -> FeedbackStore:
    from pathlib import Path

    return FeedbackStore(Path(path), retention_days)


def _assistant(service) -> Assistant | None:
    retriever = service.retriever()
    if retriever is None:
        return None
    key = ("assistant", id(retriever))
    if st.session_state.get("_assistant_key") != key:
        st.session_state["_assistant"] = Assistant(service.settings, retriever=retriever)
        st.session_state["_assistant_key"] = key
    return st.session_state["_assistant"]


def _render_sources(answer: Answer) -> None:
    shown = answer.basis if not answer.no_basis else answer.related
    for hit in shown:
        c = hit.chunk
        label = chunk_label(c)
        title = label if not answer.no_basis else f"可能相关：{label}"
        with st.expander(escape_markdown(title), icon=":material/menu_book:" if not answer.no_basis else ":material/help:"):
            st.caption(version_line(c) + (f" · {c.chapter}" if c.chapter else ""))
            st.text(c.text)
    for title in answer.case_titles():
        with st.expander(escape_markdown(f"典型案例：{title}"), icon=":material/gavel:"):
            for hit in (h for h in answer.cases if h.chunk.law == title):
                if hit.chunk.heading:
                    st.markdown(f"**{escape_markdown(hit.chunk.heading)}**")
                st.text(hit.chunk.text)
    render_guide(answer)


def render_guide(answer: Answer) -> None:
    """The matched 执法问答 entry, apart from the answer's 结论 and 法律依据 (it is not law)."""
    g = answer.guide
    if g is None:
        return
    with st.expander(GUIDE_TITLE, icon=":material/quiz:"):
        st.caption(escape_markdown(f"相近问题：「{g.phrasing}」 · {g.entry.source}条目 {g.entry.id}"))
        st.markdown(escape_markdown(g.entry.answer))
        st.markdown("**出处：** " + "；".join(escape_markdown(c.label()) for c in g.citations))
        if g.dropped:
            st.caption(f"已删除 {len(g.dropped)} 处在法规库中找不到的出处。")
        st.caption("内部执法问答，供参考，不作为法律依据；以上方结论与法律依据为准。")


def _render_feedback(msg: dict, store: FeedbackStore) -> None:
    key = msg["id"]
    if msg.get("feedback_saved"):
        st.caption("已收到反馈，谢谢！")
        return
    rating = st.feedback("thumbs", key=f"fb-{key}")
    if rating is not None:
        comment = st.text_input("补充说明（可选）", key=f"fbc-{key}", placeholder="哪里不对或可以改进？")
        if st.button("提交反馈", key=f"fbs-{key}"):
            try:
                store.add(msg["question"], msg["answer"].markdown(), [c.to_json() for c in msg["answer"].citations],
                          msg["answer"].mode, 1 if rating == 1 else -1, comment)
            except FeedbackUnavailable as exc:  # the comment stays in its box for a retry
                st.warning(f"{exc}。您填写的内容仍保留在上方，可稍后再提交。")
                return
            msg["feedback_saved"] = True
            st.rerun()


def _render_answer(msg: dict, store: FeedbackStore) -> None:
    answer: Answer = msg["answer"]
    if answer.reason and answer.mode == "offline" and not answer.no_basis and answer.flagged:
        st.info(escape_markdown(answer.reason))
    st.markdown(defang_markdown(answer.summary_markdown()))
    _render_sources(answer)
    with st.expander("复制答案", icon=":material/content_copy:"):
        st.code(answer.markdown(), language=None, wrap_lines=True)
    pin_button(answer, key=msg["id"])
    _render_feedback(msg, store)


def _stream_offline(text: str):
    for i in range(0, len(text), 12):
        yield text[i : i + 12]
        time.sleep(0.005)


def page() -> None:
    service = get_service()
    settings = service.settings
    store = _feedback(str(settings.data_dir / "feedback.sqlite"), settings.feedback_retention_days)
    assistant = _assistant(service)
    with st.sidebar:
        st.subheader("索引状态")
        index_status_panel(service)
        st.subheader("检索范围")
        filters = filter_controls(service.retriever())
        st.caption("回答模式：" + ("大模型生成 + 引用核验" if assistant and assistant.mode == "llm" else "离线整理（不使用大模型）"))
        if st.button("清空对话", icon=":material/delete_sweep:", use_container_width=True):
            st.session_state.messages = []
            st.session_state.turns = []
            st.rerun()

    st.title("法律问答")
    st.caption("依据本地法规库作答，每个结论都注明条文出处；库中没有依据时会明确说明。")
    messages: list[dict] = st.session_state.setdefault("messages", [])
    turns: list[Turn] = st.session_state.setdefault("turns", [])
    if not messages:
        st.markdown("可以这样问：" + " · ".join(f"「{e}」" for e in EXAMPLES))

    for msg in messages:
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(escape_markdown(msg["content"]))
            else:
                _render_answer(msg, store)

    question = st.chat_input("请输入问题，例如：个人垃圾混投拒不改正罚多少？", max_chars=2000)
    if not question:
        return
    question = question.strip()
    messages.append({"role": "user", "content": question, "id": uuid.uuid4().hex})
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        if assistant is None:
            st.error(service.error or "索引尚未建立，请稍候。")
            return
        final: dict = {}

        def tokens():
            for item in assistant.ask_stream(question, turns, filters):
                if isinstance(item, Token):
                    yield item.text
                else:
                    final["answer"] = item

        with st.spinner("检索条文中……"):
            # Tokens are already verified (ask_stream buffers and checks the reply first); each
            # redraw still goes through defang_markdown, as a piece alone cannot be judged.
            shown, box = "", st.empty()
            for piece in tokens():
                shown += piece
                box.markdown(defang_markdown(shown))
        answer: Answer = final["answer"]
        auth.record("ask", question[:200])
        if not shown:
            box.write_stream(_stream_offline(defang_markdown(answer.summary_markdown())))
        elif answer.mode != "llm" or answer.flagged:
            st.warning(escape_markdown(answer.reason or "部分引用无法核实，已删除。以下为核验后的答案："))
            box.markdown(defang_markdown(answer.summary_markdown()))
        _render_sources(answer)
    msg = {"role": "assistant", "answer": answer, "question": question, "id": uuid.uuid4().hex}
    messages.append(msg)
    turns.append(Turn(question, answer.question, answer))
    st.rerun()
