"""Widgets that put things into notebooks from any page: `pin_button(obj, key)`.

    from assistant.ui.notebook_widgets import pin_button
    pin_button(answer, key=msg["id"])     # under an answer on the chat page
    pin_button(hit, key=f"hit-{hit.chunk.id}")

A 「收藏到笔记本」 popover: choose one of the user's notebooks (or name a new one) and pin.
"""
from __future__ import annotations

import streamlit as st

from assistant.config import Settings
from assistant.core.safetext import escape_markdown
from assistant.notebook.convert import NotPinnable
from assistant.notebook.store import NotebookError, NotebookStore, ReadOnly
from assistant.ui import auth

NEW = "＋ 新建笔记本…"


def notebook_store(settings: Settings | None = None) -> NotebookStore:
    return NotebookStore.for_settings(settings or Settings())


def pin(obj, notebook_name: str, *, create: bool = False) -> str:
    """Pin `obj` to the current user's notebook `notebook_name` (created when asked); returns the
    message to show. Raises NotebookError / NotPinnable / ReadOnly / ValueError with a Chinese message."""
    from assistant.notebook.api import Notebook

    settings = Settings()
    user = auth.current_user()
    nb = (Notebook.create(notebook_name, user=user.name, settings=settings, exist_ok=True) if create
          else Notebook.open(notebook_name, user=user.name, settings=settings))
    entry = nb.pin(obj)
    auth.record("pin", f"{nb.name}：{entry.title}"[:200], user=user, settings=settings)
    return f"已收藏到「{nb.name}」（第 {entry.position + 1} 条）"


def pin_button(obj, key: str, label: str = "收藏到笔记本") -> None:
    """A popover to pin `obj` (an Answer, a Hit, a TriageResult, a question set, a note) to one of
    the signed-in user's notebooks. `key` must be unique on the page (the message id, say)."""
    user = auth.current_user()
    done_key = f"pinned-{key}"
    if msg := st.session_state.get(done_key):
        st.caption(f":material/bookmark_added: {escape_markdown(msg)}")
        return
    own = [n.name for n in notebook_store().list(user.name) if not n.read_only]
    with st.popover(label, icon=":material/bookmark_add:"):
        choice = st.selectbox("笔记本", [*own, NEW], key=f"pin-nb-{key}")
        new_name = st.text_input("新笔记本名称", key=f"pin-new-{key}", max_chars=80) if choice == NEW else ""
        if st.button("收藏", key=f"pin-go-{key}", type="primary"):
            try:
                st.session_state[done_key] = pin(obj, new_name if choice == NEW else choice, create=choice == NEW)
            except (NotebookError, NotPinnable, ReadOnly, ValueError) as exc:
                st.error(escape_markdown(str(exc)))
                return
            st.rerun()
