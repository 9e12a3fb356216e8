"""笔记本 page: the user's notebooks and those shared with them; entries in order with their
citations; markdown notes (rendered inert: no HTML, script, image or link is live); reorder,
delete; export to Word / Markdown; share read-only; the notebook's sources (来源) and questions
answered from them only."""
from __future__ import annotations

import time

import streamlit as st

from assistant.config import Settings
from assistant.core.render import chunk_label, version_line
from assistant.core.safetext import defang_markdown, escape_markdown
from assistant.notebook import export as nb_export
from assistant.notebook.api import Notebook
from assistant.notebook.convert import MAX_NOTE_CHARS
from assistant.notebook.models import KIND_WORDS, Entry
from assistant.notebook.sources import QA_GUIDE
from assistant.notebook.store import NotebookError, ReadOnly
from assistant.ui import auth
from assistant.ui.chat_page import render_guide

_ERRORS = (NotebookError, ReadOnly, ValueError)
LONG_NOTE = 20_000  # longer notes show their start, the rest behind an expander


def _safe_file(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_（）()" else "_" for ch in name).strip("._") or "笔记本"
    return keep[:60]


def _render_entry(entry: Entry) -> None:
    p = entry.payload
    if entry.kind == "note":
        text = p.get("text", "")
        if len(text) > LONG_NOTE:
            st.markdown(defang_markdown(text[:LONG_NOTE]))
            with st.expander(f"全文共 {len(text):,} 字，展开其余部分"):
                st.markdown(defang_markdown(text[LONG_NOTE:]))
        else:
            st.markdown(defang_markdown(text))
    elif entry.kind == "answer":
        st.markdown(defang_markdown(p.get("markdown", "")))
    elif entry.kind == "hit":
        st.caption(escape_markdown(p.get("version_line", "")))
        st.text(p.get("text", ""))
    else:  # triage, question sets: built from escaped text
        st.markdown(nb_export.entry_markdown(entry))
    if entry.citations:
        st.caption("引用：" + "；".join(escape_markdown(c.label()) for c in entry.citations))


def _entry_controls(nb: Notebook, entry: Entry, n: int, total: int) -> None:
    up, down, delete = st.columns(3)
    try:
        if up.button("上移", key=f"up-{entry.id}", icon=":material/arrow_upward:", disabled=n == 0):
            nb.move(entry.id, n - 1)
            st.rerun()
        if down.button("下移", key=f"down-{entry.id}", icon=":material/arrow_downward:", disabled=n == total - 1):
            nb.move(entry.id, n + 1)
            st.rerun()
        if delete.button("删除", key=f"del-{entry.id}", icon=":material/delete:"):
            nb.remove(entry.id)
            auth.record("delete", f"笔记本「{nb.name}」条目：{entry.title}"[:200])
            st.rerun()
    except _ERRORS as exc:
        st.error(escape_markdown(str(exc)))


def _create_form(user_name: str, settings: Settings) -> None:
    with st.form("nb-create", clear_on_submit=True):
        name = st.text_input("新笔记本名称", max_chars=80, placeholder="例如：培训素材")
        if st.form_submit_button("新建笔记本", icon=":material/add:"):
            try:
                nb = Notebook.create(name, user=user_name, settings=settings)
            except _ERRORS as exc:
                st.error(escape_markdown(str(exc)))
                return
            st.session_state["nb_selected"] = nb.id
            st.rerun()


def _note_form(nb: Notebook) -> None:
    with st.form(f"nb-note-{nb.id}", clear_on_submit=True):
        text = st.text_area("添加笔记（支持 Markdown）", max_chars=MAX_NOTE_CHARS, height=150,
                            placeholder="**要点**：……")
        if st.form_submit_button("保存笔记", icon=":material/edit_note:"):
            try:
                entry = nb.add_note(text)
            except _ERRORS as exc:
                st.error(escape_markdown(str(exc)) + "（输入的内容未保存，请修改后重试）")
                return
            auth.record("note", f"笔记本「{nb.name}」：{len(text)} 字")
            st.session_state["nb_notice"] = f"笔记已保存（第 {entry.position + 1} 条）"
            st.rerun()


def _share_controls(nb: Notebook) -> None:
    with st.expander("共享（只读）", icon=":material/share:"):
        if nb.info.shared_with:
            st.caption("已共享给：" + "、".join(escape_markdown(u) for u in nb.info.shared_with))
        with st.form(f"nb-share-{nb.id}", clear_on_submit=True):
            reader = st.text_input("共享给用户（对方只能查看和导出，不能修改）", max_chars=32)
            if st.form_submit_button("共享"):
                try:
                    nb.share(reader)
                except _ERRORS as exc:
                    st.error(escape_markdown(str(exc)))
                    return
                auth.record("export", f"共享笔记本「{nb.name}」给 {reader}")
                st.rerun()


def _export_buttons(nb: Notebook) -> None:
    base = _safe_file(nb.name)
    stamp = time.strftime("%Y%m%d")
    left, right = st.columns(2)
    if left.download_button("导出 Word", data=nb.to_docx_bytes, file_name=f"{base}_{stamp}.docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            icon=":material/description:", key=f"exp-docx-{nb.id}"):
        auth.record("export", f"笔记本「{nb.name}」→ Word")
    if right.download_button("导出 Markdown", data=lambda: nb.to_markdown().encode("utf-8"), file_name=f"{base}_{stamp}.md",
                             mime="text/markdown", icon=":material/markdown:", key=f"exp-md-{nb.id}"):
        auth.record("export", f"笔记本「{nb.name}」→ Markdown")


def _library(settings: Settings) -> list[dict]:
    """The index's documents, read from the store without loading a retriever (the page must
    open even before an index exists)."""
    from assistant.index.layout import IndexLayout
    from assistant.index.store import ChunkStore

    path = IndexLayout.of(settings).store
    if not path.exists():
        return []
    store = ChunkStore(path, read_only=True)
    try:
        return [d for d in store.laws() if d.get("status") == "current"]
    finally:
        store.close()


def _sources_section(nb: Notebook, settings: Settings) -> None:
    """Choose the documents this notebook's questions are answered from."""
    try:
        sources = nb.sources
    except _ERRORS as exc:
        st.error(escape_markdown(str(exc)))
        return
    label = f"来源与提问（已选 {len(sources)} 个来源）" if sources else "来源与提问（未选来源）"
    with st.expander(label, icon=":material/library_books:", expanded=bool(sources)):
        library = _library(settings)
        if nb.read_only:
            st.caption("来源：" + ("、".join(escape_markdown(s.label()) for s in sources) or "未选择"))
        elif not library:
            st.info("法规索引尚未建立：建立索引后即可选择来源。")
        else:
            titles = [QA_GUIDE, *sorted({d["title"] for d in library})]
            uploaded = {d["title"] for d in library if d.get("jurisdiction") == "内部"}
            chosen_before = [s.title for s in sources if s.title in titles]
            with st.form(f"nb-sources-{nb.id}"):
                chosen = st.multiselect(
                    "本笔记本的来源（提问时只依据这些法规和文档作答）", titles, default=chosen_before,
                    format_func=lambda t: f"{t}（上传）" if t in uploaded else (f"{t}（内部指引）" if t == QA_GUIDE else t),
                    placeholder="输入法规名称筛选……")
                if st.form_submit_button("保存来源", icon=":material/save:"):
                    try:
                        nb.set_sources(chosen, library=library)
                    except _ERRORS as exc:
                        st.error(escape_markdown(str(exc)))
                        return
                    auth.record("note", f"笔记本「{nb.name}」来源：{len(chosen)} 个")
                    st.session_state["nb_notice"] = f"来源已保存（{len(chosen)} 个）"
                    st.rerun()
            missing = [s.title for s in sources if s.title not in titles]
            if missing:
                st.warning("以下来源已不在法规库中，提问时不会使用：" + "、".join(escape_markdown(t) for t in missing))
        if sources:
            _ask_form(nb, sources)


def _ask_form(nb: Notebook, sources) -> None:
    from assistant.ui.state import get_service

    key = f"nb-answer-{nb.id}"
    with st.form(f"nb-ask-{nb.id}", clear_on_submit=False):
        question = st.text_input("就本笔记本的来源提问", max_chars=2000, placeholder="例如：混投垃圾谁来管？")
        asked = st.form_submit_button("提问", icon=":material/search:")
    if asked:
        question = (question or "").strip()
        if not question:
            st.error("请输入问题")
            return
        retriever = get_service().retriever()
        if retriever is None:
            st.error("法规索引尚未就绪，请稍候再试。")
            return
        from assistant.answering.assistant import Assistant

        with st.spinner("仅在所选来源中检索……"):
            try:
                answer = nb.ask(question, assistant=Assistant(retriever.settings, retriever=retriever))
            except _ERRORS as exc:
                st.error(escape_markdown(str(exc)))
                return
        auth.record("ask", f"[笔记本「{nb.name}」] {question}"[:200])
        st.session_state[key] = answer
    answer = st.session_state.get(key)
    if answer is None:
        return
    with st.container(border=True):
        st.markdown(defang_markdown(answer.summary_markdown()))
        render_guide(answer)  # shown only when the guide is one of the sources (sources.restricted)
        for hit in (answer.basis if not answer.no_basis else answer.related):
            with st.expander(escape_markdown(chunk_label(hit.chunk)), icon=":material/menu_book:"):
                st.caption(escape_markdown(version_line(hit.chunk)))
                st.text(hit.chunk.text)
        if not nb.read_only and not answer.no_basis and st.button(
                "收藏到本笔记本", key=f"nb-pin-answer-{nb.id}", icon=":material/bookmark_add:"):
            try:
                entry = nb.pin(answer)
            except _ERRORS as exc:
                st.error(escape_markdown(str(exc)))
                return
            auth.record("pin", f"{nb.name}：{entry.title}"[:200])
            st.session_state.pop(key, None)
            st.session_state["nb_notice"] = f"已收藏（第 {entry.position + 1} 条）"
            st.rerun()


def page() -> None:
    user = auth.current_user()
    settings = Settings()
    st.title("笔记本")
    st.caption("收藏问答、条文、分拣结果和题目，写下自己的笔记，导出为 Word 或 Markdown；可只读共享给同事。")
    try:
        notebooks = Notebook.list(user=user.name, settings=settings)
    except Exception as exc:  # noqa: BLE001 — a broken store is shown, not a blank page
        st.error(escape_markdown(f"笔记本无法打开：{exc}"))
        return
    with st.sidebar:
        _create_form(user.name, settings)
    if notice := st.session_state.pop("nb_notice", None):
        st.success(escape_markdown(notice))
    if not notebooks:
        st.info("还没有笔记本：在左侧新建一个，或在问答页点「收藏到笔记本」。")
        return
    ids = [n.id for n in notebooks]
    labels = {n.id: n.name + ("" if not n.read_only else f"（{n.owner} 共享，只读）") for n in notebooks}
    current = st.session_state.get("nb_selected")
    chosen = st.selectbox("笔记本", ids, index=ids.index(current) if current in ids else 0,
                          format_func=lambda i: labels[i])
    st.session_state["nb_selected"] = chosen
    nb = next(n for n in notebooks if n.id == chosen)
    entries = nb.entries
    st.subheader(escape_markdown(nb.name))
    st.caption(f"{len(entries)} 条 · 所有者 {escape_markdown(nb.owner)}" + (" · 只读" if nb.read_only else ""))
    _export_buttons(nb)
    if not nb.read_only:
        _share_controls(nb)
    _sources_section(nb, settings)
    for n, entry in enumerate(entries):
        with st.container(border=True):
            st.markdown(f"**{n + 1}. {escape_markdown(entry.title)}**")
            st.caption(f"{KIND_WORDS.get(entry.kind, entry.kind)} · "
                       f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(entry.created_at))}")
            _render_entry(entry)
            if not nb.read_only:
                _entry_controls(nb, entry, n, len(entries))
    if nb.read_only:
        st.caption("这是他人共享的只读笔记本：可以查看和导出，不能修改。")
    else:
        _note_form(nb)
