"""管理 page (admins): users and roles, and the audit log — view, filter, export as CSV."""
from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from assistant.accounts.audit import ACTION_WORDS, ACTIONS, AuditLog, to_csv
from assistant.accounts.users import ROLE_WORDS, ROLES, AccountError
from assistant.config import Settings
from assistant.core.safetext import escape_markdown
from assistant.ui import auth


def _users(settings: Settings) -> None:
    store = auth.user_store(settings)
    rows = store.list()
    if rows:
        st.dataframe([{"用户": u.name, "角色": ROLE_WORDS[u.role]} for u in rows], hide_index=True)
    else:
        st.caption("尚无用户：应用以单用户模式运行（无需登录）。添加第一个管理员后即需登录。")
    with st.form("admin-add-user", clear_on_submit=True):
        st.markdown("**添加用户**")
        name = st.text_input("用户名", max_chars=32)
        role = st.selectbox("角色", ROLES, format_func=lambda r: ROLE_WORDS[r],
                            index=2 if not rows else 0)
        password = st.text_input("初始密码（至少 8 位）", type="password", max_chars=1024)
        if st.form_submit_button("添加"):
            if not auth.require_admin("管理用户"):
                return
            try:
                store.add(name, password, role)
            except AccountError as exc:
                st.error(escape_markdown(str(exc)))
                return
            st.success(escape_markdown(f"已添加 {name}（{ROLE_WORDS[role]}）"))


def _audit(settings: Settings) -> None:
    log = AuditLog.for_settings(settings)
    a, b, c, d = st.columns(4)
    user = a.selectbox("用户", ["全部", *log.users()], key="audit-user")
    action = b.selectbox("操作", ["全部", *ACTIONS], format_func=lambda x: ACTION_WORDS.get(x, x), key="audit-action")
    since = c.date_input("起始日期", date.today() - timedelta(days=30), key="audit-since")
    until = d.date_input("截止日期", date.today(), key="audit-until")
    rows = log.query(None if user == "全部" else user, None if action == "全部" else action, since, until)
    st.caption(f"{len(rows)} 条记录（个人信息已脱敏）")
    if rows:
        st.dataframe([{"时间": r.time_text, "用户": r.user, "角色": ROLE_WORDS.get(r.role, r.role),
                       "操作": ACTION_WORDS.get(r.action, r.action), "详情": r.detail} for r in rows], hide_index=True)
        st.download_button("导出 CSV", data=to_csv(rows).encode("utf-8"), file_name=f"audit_{since}_{until}.csv",
                           mime="text/csv", icon=":material/download:", key="audit-csv")


def page() -> None:
    auth.current_user()
    settings = Settings()
    st.title("管理")
    if not auth.require_admin("查看审计日志和管理用户"):
        return
    audit_tab, users_tab = st.tabs(["审计日志", "用户与角色"])
    with audit_tab:
        _audit(settings)
    with users_tab:
        _users(settings)
