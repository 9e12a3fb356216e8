"""Sign-in, roles, sessions, the `assistant users` command and the audit log (issue #13); the
sign-in gate and the 笔记本 page through Streamlit's AppTest."""
from __future__ import annotations

import csv
import io
import sqlite3
import time
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from assistant.accounts import users as users_mod
from assistant.accounts.audit import AuditLog, safe_cell, to_csv
from assistant.accounts.users import AccountError, UserStore
from assistant.cli import cli
from assistant.config import Settings

PW = "correct horse 1"


@pytest.fixture
def store(tmp_path) -> UserStore:
    return UserStore(tmp_path / "accounts.sqlite", session_hours=8)


# --- users and passwords ------------------------------------------------------------------------
def test_passwords_are_stored_as_argon2_hashes(store):
    assert not store.any_users()
    store.add("wang", PW, "admin")
    assert store.any_users()
    with sqlite3.connect(store.path) as db:
        stored = db.execute("SELECT password FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PW not in stored


def test_sign_in_and_one_message_for_every_failure(store):
    store.add("wang", PW, "officer")
    token = store.sign_in("wang", PW)
    user = store.session_user(token)
    assert user.name == "wang" and user.role == "officer" and not user.is_admin
    with pytest.raises(AccountError) as wrong_pw:
        store.sign_in("wang", "wrong password")
    with pytest.raises(AccountError) as no_user:
        store.sign_in("nobody", PW)
    assert str(wrong_pw.value) == str(no_user.value) == "用户名或密码不正确"
    assert store.session_user("forged-token") is None and store.session_user(None) is None
    store.sign_out(token)
    assert store.session_user(token) is None


def test_too_many_wrong_passwords_lock_the_account_for_a_while(store, monkeypatch):
    store.add("wang", PW)
    for _ in range(users_mod.MAX_FAILURES):
        with pytest.raises(AccountError, match="用户名或密码不正确"):
            store.sign_in("wang", "nope nope")
    with pytest.raises(AccountError, match="分钟后再试"):
        store.sign_in("wang", PW)  # even the right password waits
    later = time.time() + users_mod.LOCK_SECONDS + 1
    monkeypatch.setattr(users_mod.time, "time", lambda: later)
    assert store.session_user(store.sign_in("wang", PW)).name == "wang"


def test_sessions_expire(store, monkeypatch):
    store.add("wang", PW)
    token = store.sign_in("wang", PW)
    assert store.session_user(token) is not None
    later = time.time() + 8 * 3600 + 1
    monkeypatch.setattr(users_mod.time, "time", lambda: later)
    assert store.session_user(token) is None


def test_session_hours_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_SESSION_HOURS", "2.5")
    assert UserStore.for_settings(Settings(data_dir=tmp_path)).session_hours == 2.5
    assert Settings.model_fields["session_hours"].default == 8.0


def test_names_passwords_and_roles_are_checked(store):
    for bad in ("", "a b", "x" * 33, "<script>", "../etc", "local"):
        with pytest.raises(AccountError):
            store.add(bad, PW)
    with pytest.raises(AccountError, match="至少 8 位"):
        store.add("wang", "short")
    with pytest.raises(AccountError, match="角色"):
        store.add("wang", PW, "superuser")
    store.add("王队长", PW, "admin")
    with pytest.raises(AccountError, match="已存在"):
        store.add("王队长", PW)
    with pytest.raises(AccountError, match="唯一的管理员"):
        store.remove("王队长")
    with pytest.raises(AccountError, match="唯一的管理员"):
        store.set_role("王队长", "officer")
    store.add("li", PW, "trainer")
    store.set_role("li", "admin")
    store.remove("王队长")
    assert [(u.name, u.role) for u in store.list()] == [("li", "admin")]


def test_a_new_password_signs_out_every_session(store):
    store.add("wang", PW)
    token = store.sign_in("wang", PW)
    store.set_password("wang", "another password")
    assert store.session_user(token) is None
    with pytest.raises(AccountError):
        store.sign_in("wang", PW)
    assert store.sign_in("wang", "another password")


# --- the users command ----------------------------------------------------------------------------
def test_users_command_adds_the_first_admin(tmp_path):
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    out = runner.invoke(cli, [*data, "users", "list"])
    assert out.exit_code == 0 and "单用户模式" in out.output
    out = runner.invoke(cli, [*data, "users", "add", "--admin", "chief"], input=f"{PW}\n{PW}\n")
    assert out.exit_code == 0, out.output
    assert "已添加用户 chief（管理员）" in out.output and PW not in out.output  # prompted, hidden
    out = runner.invoke(cli, [*data, "users", "add", "zhang"], input=f"{PW}\nsomething else\n{PW}\n{PW}\n")
    assert out.exit_code == 0, out.output
    assert "do not match" in out.output  # click's confirmation: asked again after a mismatch
    out = runner.invoke(cli, [*data, "users", "add", "li", "--role", "trainer", "--password-stdin"], input=f"{PW}\n")
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, [*data, "users", "add", "short", "--password-stdin"], input="abc\n")
    assert out.exit_code != 0 and "至少 8 位" in out.output
    out = runner.invoke(cli, [*data, "users", "list"])
    assert out.output.splitlines() == ["chief\tadmin\t管理员", "li\ttrainer\t培训员", "zhang\tofficer\t执法队员"]
    store = UserStore.for_settings(Settings(data_dir=tmp_path))
    assert store.session_user(store.sign_in("li", PW)).role == "trainer"


# --- the audit log --------------------------------------------------------------------------------
def test_audit_masks_filters_and_is_append_only(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    log.record("wang", "officer", "ask", "投诉人电话13812345678，身份证310101199001011234")
    log.record("li", "admin", "upload", "上海市某规定.docx")
    log.record("wang", "officer", "pin", "培训素材")
    with pytest.raises(ValueError):
        log.record("wang", "officer", "hack", "")
    rows = log.query()
    assert [r.action for r in rows] == ["pin", "upload", "ask"]  # newest first
    assert "13812345678" not in rows[2].detail and "138****5678" in rows[2].detail
    assert "310101199001011234" not in rows[2].detail
    assert [r.action for r in log.query(user="wang")] == ["pin", "ask"]
    assert [r.user for r in log.query(action="upload")] == ["li"]
    assert len(log.query(since=date.today(), until=date.today())) == 3
    assert log.query(since=date.today() + timedelta(days=1)) == []
    assert log.query(until=date.today() - timedelta(days=1)) == []
    with sqlite3.connect(log.path) as db:
        for sql in ("UPDATE audit SET detail = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)
    assert len(log.query()) == 3


def test_audit_csv_neutralises_formulas(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    log.record("wang", "officer", "ask", "=HYPERLINK(\"http://evil\")")
    log.record("wang", "officer", "note", "+1 -2 @SUM(A1)")
    text = to_csv(log.query())
    assert text.startswith("\ufeff时间,用户,角色,操作,详情")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][3] == "笔记" and rows[1][4] == "'+1 -2 @SUM(A1)"
    assert rows[2][3] == "提问" and rows[2][4].startswith("'=HYPERLINK")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert safe_cell("-5") == "'-5" and safe_cell("正常") == "正常"


# --- the app: sign-in gate and role check ---------------------------------------------------------
NOTEBOOK_PAGE = """
from assistant.ui import notebook_page
notebook_page.page()
"""
ADMIN_CHECK = """
import streamlit as st
from assistant.ui import auth
if auth.require_admin("上传法规"):
    st.button("上传")
"""


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    for key in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_SESSION_HOURS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tmp_path / "corpus"))
    return Settings()


def test_without_users_there_is_no_sign_in(app_env):
    at = AppTest.from_string(ADMIN_CHECK, default_timeout=30).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["上传"]  # single-user: every right, as before
    assert not [t for t in at.title if t.value == "登录"]


def test_sign_in_form_then_role_check(app_env):
    store = UserStore.for_settings(app_env)
    store.add("chief", PW, "admin")
    store.add("zhang", PW, "officer")
    at = AppTest.from_string(ADMIN_CHECK, default_timeout=30).run()
    assert at.title[0].value == "登录" and not [b for b in at.button if b.label == "上传"]
    at.text_input[0].input("zhang")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert "用户名或密码不正确" in at.error[0].value
    at.text_input[0].input("zhang")
    at.text_input[1].input(PW)
    at.button[0].click().run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "上传"]  # an officer cannot reach the upload
    assert "只有管理员可以上传法规" in at.info[0].value
    admin = AppTest.from_string(ADMIN_CHECK, default_timeout=30)
    admin.session_state["auth_token"] = store.sign_in("chief", PW)
    admin.run()
    assert [b.label for b in admin.button] == ["上传"]
    rows = AuditLog.for_settings(app_env).query(action="login")
    assert [r.user for r in rows] == ["zhang"]


def test_an_expired_session_asks_to_sign_in_again(app_env, monkeypatch):
    store = UserStore.for_settings(app_env)
    store.add("chief", PW, "admin")
    at = AppTest.from_string(ADMIN_CHECK, default_timeout=30)
    at.session_state["auth_token"] = store.sign_in("chief", PW)
    at.run()
    assert [b.label for b in at.button] == ["上传"]
    later = time.time() + 8 * 3600 + 5
    monkeypatch.setattr(users_mod.time, "time", lambda: later)
    at.run()
    assert at.title[0].value == "登录" and "登录已过期" in at.info[0].value


# --- the 笔记本 page -------------------------------------------------------------------------------
def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_notebook_page_create_note_reorder_delete(app_env):
    at = AppTest.from_string(NOTEBOOK_PAGE, default_timeout=30).run()
    assert not at.exception and "还没有笔记本" in at.info[0].value
    at.sidebar.text_input[0].input("培训<script>alert(1)</script>")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert "<script>" not in _markdown(at)  # the name is shown escaped
    hostile = "# 标题\n<script>alert('x')</script><img src=x onerror=alert(1)>![](http://ev.il/a.png)[点我](javascript:alert(1))"
    at.text_area[0].input(hostile)
    submit = next(b for b in at.button if b.label == "保存笔记")
    submit.click().run()
    assert not at.exception
    shown = _markdown(at)
    assert "<script>" not in shown and "<img" not in shown and "](http" not in shown and "javascript:" not in shown.replace("`", "")
    assert "&lt;script&gt;" in shown
    from assistant.notebook.api import Notebook

    [nb] = Notebook.list(settings=app_env)
    assert nb.entries[0].payload["text"] == hostile  # stored as written; made inert when shown
    at.text_area[0].input("城管" * 50_000)  # a 100,000-character note
    next(b for b in at.button if b.label == "保存笔记").click().run()
    assert not at.exception and "第 2 条" in at.success[0].value
    assert nb.entries[1].payload["text"] == "城管" * 50_000
    first, second = (e.id for e in nb.entries)
    at.button(key=f"up-{second}").click().run()
    assert [e.id for e in nb.entries] == [second, first]
    at.button(key=f"del-{second}").click().run()
    assert [e.id for e in nb.entries] == [first]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["导出 Word", "导出 Markdown"]


def test_empty_note_gives_a_clear_message(app_env):
    from assistant.notebook.api import Notebook

    Notebook.create("空", settings=app_env)
    at = AppTest.from_string(NOTEBOOK_PAGE, default_timeout=30).run()
    at.text_area[0].input("   ")
    next(b for b in at.button if b.label == "保存笔记").click().run()
    assert "笔记内容为空" in at.error[0].value
    assert len(Notebook.open("空", settings=app_env)) == 0


def test_shared_notebook_page_is_read_only(app_env):
    from assistant.notebook.api import Notebook

    store = UserStore.for_settings(app_env)
    store.add("chief", PW, "admin")
    store.add("zhang", PW, "officer")
    nb = Notebook.create("共享素材", user="chief", settings=app_env)
    nb.add_note("只读内容")
    nb.share("zhang")
    at = AppTest.from_string(NOTEBOOK_PAGE, default_timeout=30)
    at.session_state["auth_token"] = store.sign_in("zhang", PW)
    at.run()
    assert not at.exception
    assert "只读内容" in _markdown(at)
    labels = [b.label for b in at.button]
    assert "保存笔记" not in labels and "删除" not in labels and "上移" not in labels
    assert [b.label for b in at.get("download_button")] == ["导出 Word", "导出 Markdown"]


def test_the_app_shows_only_the_sign_in_form_until_signed_in(app_env):
    """streamlit_app.py itself: with users configured, no page (and no index work) runs before sign-in."""
    from assistant.config import REPO_ROOT

    UserStore.for_settings(app_env).add("chief", PW, "admin")
    at = AppTest.from_file(str(REPO_ROOT / "streamlit_app.py"), default_timeout=30).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["登录"]
    assert not at.chat_input


ADMIN_PAGE = """
from assistant.ui import admin_page
admin_page.page()
"""


def test_admin_page_shows_and_filters_the_audit_log(app_env):
    store = UserStore.for_settings(app_env)
    store.add("chief", PW, "admin")
    store.add("zhang", PW, "officer")
    log = AuditLog.for_settings(app_env)
    log.record("zhang", "officer", "ask", "<script>x</script> 电话13812345678")
    log.record("chief", "admin", "upload", "a.docx")
    officer = AppTest.from_string(ADMIN_PAGE, default_timeout=30)
    officer.session_state["auth_token"] = store.sign_in("zhang", PW)
    officer.run()
    assert not officer.dataframe and "只有管理员可以" in officer.info[0].value
    at = AppTest.from_string(ADMIN_PAGE, default_timeout=30)
    at.session_state["auth_token"] = store.sign_in("chief", PW)
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["用户"]) == ["chief", "zhang"] and "138****5678" in table["详情"].iloc[1]
    at.selectbox(key="audit-user").select("zhang").run()
    assert list(at.dataframe[0].value["操作"]) == ["提问"]
    assert [b.label for b in at.get("download_button")] == ["导出 CSV"]
