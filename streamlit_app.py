"""上海城管执法助手 — Streamlit entry point (multipage via st.navigation)."""
import streamlit as st

from assistant.ui import chat_page, search_page, triage_page

st.set_page_config(page_title="城管执法助手", page_icon=":material/balance:", layout="wide")

pages = [
    st.Page(chat_page.page, title="法律问答", icon=":material/forum:", url_path="chat", default=True),
    st.Page(search_page.page, title="法规检索", icon=":material/search:", url_path="search"),
    st.Page(triage_page.page, title="诉件分拣", icon=":material/inbox:", url_path="triage"),
]
st.navigation(pages).run()
