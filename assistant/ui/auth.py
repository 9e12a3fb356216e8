"""Sign-in for the app, the role check pages use, and the audit hook.

No user configured (`assistant users add --admin NAME` never run) → single-user mode as before:
no sign-in form, everyone is LOCAL (every right). Otherwise every page run checks the session's
token (kept in Streamlit's session state, i.e. in the server's memory for that browser tab) and
shows the sign-in form until a user signs in; a session expires `session_hours` after sign-in.
"""
from __future__ import annotations

import logging

import streamlit as st

from assistant.accounts.audit import AuditLog
from assistant.accounts.users import LOCAL, AccountError, User, UserStore
from assistant.config import Settings
from assistant.core.safetext import escape_markdown

_TOKEN = "auth_token"
_log = logging.getLogger("assistant.ui")


def _settings() -> Settings:
    return Settings()


def user_store(settings: Settings | None = None) -> UserStore:
    return UserStore.for_settings(settings or _settings())


def signin_enabled(settings: Settings | None = None) -> bool:
    try:
        return user_store(settings).any_users()
    except Exception:  # an unreadable accounts file must not open the app to everyone
        _log.exception("accounts store unreadable")
        raise


def current_user() -> User:
    """The signed-in user (LOCAL in single-user mode). Without a valid session the sign-in form
    is shown and the page run stops here."""
    settings = _settings()
    if not signin_enabled(settings):
        return LOCAL
    store = user_store(settings)
    token = st.session_state.get(_TOKEN)
    user = store.session_user(token)
    if user is not None:
        return user
    if token:  # it was valid once: expired, signed out elsewhere, or the user was removed
        st.session_state.pop(_TOKEN, None)
        st.session_state["auth_notice"] = "登录已过期，请重新登录"
    _signin_form(store, settings)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _signin_form(store: UserStore, settings: Settings) -> None:
    st.title("登录")
    if notice := st.session_state.pop("auth_notice", None):
        st.info(notice)
    with st.form("signin"):
        name = st.text_input("用户名", max_chars=32)
        password = st.text_input("密码", type="password", max_chars=1024)
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    try:
        token = store.sign_in(name, password)
    except AccountError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.session_state[_TOKEN] = token
    user = store.session_user(token)
    record("login", "", user=user, settings=settings)
    st.rerun()


def sign_out() -> None:
    settings = _settings()
    token = st.session_state.pop(_TOKEN, None)
    user = user_store(settings).session_user(token)
    if user:
        record("logout", "", user=user, settings=settings)
    user_store(settings).sign_out(token)


def account_panel(user: User) -> None:
    """In the sidebar: who is signed in, and the sign-out button (nothing in single-user mode)."""
    if user is LOCAL or user.name == LOCAL.name:
        return
    st.caption(f"当前用户：{escape_markdown(user.name)}（{user.role_word}）")
    if st.button("退出登录", icon=":material/logout:", key="auth-signout"):
        sign_out()
        st.rerun()


def can_change_library(user: User) -> bool:
    return user.is_admin


def require_admin(what: str) -> bool:
    """The role check of every page that changes the library: True for an admin; otherwise a
    notice and False (the page then shows nothing that changes anything)."""
    user = current_user()
    if can_change_library(user):
        return True
    st.info(f"只有管理员可以{what}。当前用户：{escape_markdown(user.name)}（{user.role_word}）")
    return False


def record(action: str, detail: str = "", *, user: User | None = None, settings: Settings | None = None) -> None:
    """Write one audit row for the current user. Never stops the page: an audit failure is logged."""
    settings = settings or _settings()
    try:
        user = user or current_user()
        AuditLog.for_settings(settings).record(user.name, user.role, action, detail)
    except Exception:  # noqa: BLE001 — the officer's work goes on; the failure is in the server log
        _log.exception("audit record failed")
