"""法规检索 page: a search box and the cited articles."""
from __future__ import annotations

import streamlit as st

from assistant.core.render import chunk_label, version_line
from assistant.core.safetext import escape_markdown
from assistant.ui.notebook_widgets import pin_button
from assistant.ui.sidebar import filter_controls, index_status_panel
from assistant.ui.state import get_service


def render_hit(hit, n: int) -> None:
    c = hit.chunk
    with st.container(border=True):
        st.markdown(f"**{n}. {escape_markdown(chunk_label(c))}**")
        st.caption(escape_markdown(version_line(c) + (f" · {c.chapter}" if c.chapter else "")))
        st.text(c.text)
        pin_button(hit, key=f"hit-{n}-{c.id}")


def page() -> None:
    service = get_service()
    retriever = service.retriever()
    with st.sidebar:
        st.subheader("索引状态")
        index_status_panel(service)
        st.subheader("检索范围")
        filters = filter_controls(retriever)
    st.title("法规检索")
    st.caption("输入问题或条文引用（如「生活垃圾管理条例第五十七条」），返回原文条款。")
    query = st.text_input("问题", placeholder="例如：个人垃圾混投拒不改正罚多少？", max_chars=2000)
    k = st.slider("返回条数", 1, 20, 5)
    if not query:
        return
    if retriever is None:
        st.error(service.error or "索引尚未建立")
        return
    result = retriever.search(query, k=k, filters=filters)
    if result.no_basis:
        st.warning(escape_markdown(f"未找到可靠依据：{result.reason}。可换个说法，或写出法规名称。"))
        if result.hits:
            st.caption("可能相关：")
    st.caption(f"检索模式：{'关键词 + 语义' if result.mode == 'hybrid' else '关键词'}"
               + (f" · 口语扩展：{escape_markdown('、'.join(result.expansions[:8]))}" if result.expansions else ""))
    for n, hit in enumerate(result.hits, 1):
        render_hit(hit, n)
