"""上海城管执法助手 — Streamlit entry point (multipage via st.navigation)."""
import streamlit as st

from assistant.ui import search_page

st.set_page_config(page_title="城管执法助手", page_icon="⚖️", layout="wide")

pages = [
    st.Page(search_page.page, title="法规检索", icon="🔎", url_path="search", default=True),
]
st.navigation(pages).run()
