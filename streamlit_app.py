"""上海城管执法助手 — Streamlit entry point (multipage via st.navigation)."""
import logging

import streamlit as st

from assistant.logs import install_app_masking
from assistant.ui import (
    admin_page,
    auth,
    chat_page,
    exam_page,
    library_page,
    notebook_page,
    search_page,
    triage_page,
)

install_app_masking()
st.set_page_config(page_title="城管执法助手", page_icon=":material/balance:", layout="wide")

pages = [
    st.Page(chat_page.page, title="法律问答", icon=":material/forum:", url_path="chat", default=True),
    st.Page(search_page.page, title="法规检索", icon=":material/search:", url_path="search"),
    st.Page(triage_page.page, title="诉件分拣", icon=":material/inbox:", url_path="triage"),
    st.Page(exam_page.page, title="题库生成", icon=":material/quiz:", url_path="exams"),
    st.Page(notebook_page.page, title="笔记本", icon=":material/book:", url_path="notebooks"),
    st.Page(library_page.page, title="法规库", icon=":material/library_books:", url_path="library"),
]
# Sign-in (issue #13): when users are configured, nothing below runs until one signs in.
user = auth.current_user()
if user.is_admin:
    pages.append(st.Page(admin_page.page, title="管理", icon=":material/admin_panel_settings:", url_path="admin"))
with st.sidebar:
    auth.account_panel(user)
try:
    st.navigation(pages).run()
except Exception:
    logging.getLogger("assistant.ui").exception("page failed")
    st.error("出现内部错误，已记录。您输入的内容没有丢失，请重试；如反复出现请联系管理员。")
