"""The 法规库 page (issue #13): upload checks (empty, binary renamed .docx, path traversal and
markup in names, size), upload → confirm → searchable, delete, an interrupted upload leaving
nothing behind, the officer/admin split, and version comparison."""
from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from assistant.accounts.users import UserStore
from assistant.config import Settings
from ingestion.read import SourceError
from ingestion.uploads import check_upload, safe_filename, uploads_dir

LIBRARY_PAGE = """
from assistant.ui import library_page
library_page.page()
"""
PW = "correct horse 1"
MB = 1_000_000


def regulation_docx(title="上海市测试管理办法", marker="琉璃瓦片") -> bytes:
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    d.add_heading("第一章 总则", level=2)
    d.add_paragraph(f"第一条 为了规范{marker}的堆放，制定本办法。")
    d.add_heading("第二章 法律责任", level=2)
    d.add_paragraph(f"第二条 违反本办法随意堆放{marker}的，由城管执法部门责令改正，处二百元罚款。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- upload checks --------------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\win.ini.md", "win.ini.md"),
    ("/abs/path/规定.docx", "规定.docx"),
    ("<script>alert(1)</script>.md", "script.md"),  # "/" is a separator: only the last part counts
    ("<b>报告.md", "b_报告.md"),
    (".hidden.txt", "hidden.txt"),
    ("~$草稿.docx", "草稿.docx"),
    ("a\x00b\u202ec.txt", "abc.txt"),
    ("...docx", "上传文档.docx"),
    ("上海市某规定（2020）.pdf", "上海市某规定（2020）.pdf"),
])
def test_upload_names_are_plain_file_names(name, expected):
    safe = safe_filename(name)
    assert safe == expected
    assert "/" not in safe and "\\" not in safe and "<" not in safe and not safe.startswith(".")


def test_upload_checks_give_a_clear_message():
    cases = [
        ("空.txt", b"", "文件为空"),
        ("空白.md", b"  \n\n ", "文件为空"),
        ("假的.docx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "不是 Word 格式"),
        ("假的.pdf", b"hello, not a pdf", "不是 PDF 格式"),
        ("二进制.txt", b"abc\x00\x01\x02" * 100, "二进制"),
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("大.txt", "字".encode() * (MB // 3 + 10), "文件过大"),
    ]
    for name, data, message in cases:
        with pytest.raises(SourceError, match=message):
            check_upload(name, data, MB)
    # A zip archive renamed .docx passes the first look but is no Word document.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(SourceError, match="无法读取 Word 文件"):
        check_upload("压缩包.docx", buf.getvalue(), MB)


def test_upload_preview_parses_the_document():
    preview = check_upload("../上海市测试管理办法.docx", regulation_docx(), MB)
    assert preview.name == "上海市测试管理办法.docx"
    assert preview.warnings == ["文件名已规范为「上海市测试管理办法.docx」"]
    assert preview.document.title == "上海市测试管理办法" and preview.units >= 2
    assert any("琉璃瓦片" in s.text for s in preview.document.sections)


# --- the page ---------------------------------------------------------------------------------------
@pytest.fixture
def lib_env(tmp_path, tiny_corpus, monkeypatch):
    from ingestion.pipeline import ingest

    for key in ("ASSISTANT_LLM_BASE_URL", "ASSISTANT_USER_DOCS_PATH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tiny_corpus))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("ASSISTANT_UPLOAD_MAX_MB", "1")
    settings = Settings()
    report = ingest(settings, vectors=False)
    assert report.documents == 8 and not report.errors
    return settings


def _run(settings, user: str | None = None) -> AppTest:
    at = AppTest.from_string(LIBRARY_PAGE, default_timeout=60)
    if user:
        at.session_state["auth_token"] = UserStore.for_settings(settings).sign_in(user, PW)
    return at.run()


def _titles(settings) -> set[str]:
    from assistant.ui.library_page import documents

    return {d["title"] for d in documents(settings)}


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """What the file uploader + 「解析」 put in the session (AppTest cannot drive a file uploader)."""
    at.session_state["lib_pending"] = {"name": name, "data": data}
    return at.run()


def test_library_lists_documents_with_their_metadata(lib_env):
    at = _run(lib_env)
    assert not at.exception and at.title[0].value == "法规库"
    table = at.dataframe[0].value
    assert len(table) == 8
    row = table[table["标题"] == "上海市生活垃圾管理条例"].iloc[0]
    assert row["版本日期"] == "2019-01-31" and row["状态"] == "现行有效" and row["条数"] == 6
    assert row["层级"] == "地方性法规" and row["地区"] == "上海" and row["来源文件"].endswith(").md")
    old = table[(table["标题"] == "上海市住宅物业管理规定") & (table["版本日期"] == "2010-12-23")].iloc[0]
    assert old["状态"] == "已修订/废止"
    at.text_input(key="lib-q").input("物业").run()
    assert set(at.dataframe[0].value["标题"]) == {"上海市住宅物业管理规定"}


def test_an_undated_text_lists_the_date_it_says_it_took_effect():
    from assistant.ui.library_page import _version_cell

    assert _version_cell({"version": "2019-01-31", "in_force_since": None}) == "2019-01-31"
    assert _version_cell({"version": None, "in_force_since": "2011-05-15"}) == "未知（条文载明2011-05-15起施行）"
    assert _version_cell({"version": None}) == "未知"


def test_upload_confirm_makes_it_searchable_and_delete_removes_it(lib_env):
    from assistant.accounts.audit import AuditLog
    from assistant.retrieval.retriever import Retriever

    before = _titles(lib_env)
    at = _upload(_run(lib_env), "../../上海市测试管理办法.docx", regulation_docx())
    assert not at.exception
    assert "待入库：上海市测试管理办法" in " ".join(m.value for m in at.markdown)
    assert "文件名已规范为" in at.warning[0].value
    assert "上海市测试管理办法" not in _titles(lib_env)  # nothing changes before the confirmation
    at.button(key="lib-confirm").click().run()
    assert not at.exception
    assert "已入库：上海市测试管理办法" in at.success[0].value
    assert "上海市测试管理办法" in _titles(lib_env)
    assert (uploads_dir(lib_env) / "上海市测试管理办法.docx").exists()
    assert not list(lib_env.data_dir.glob("*.docx")) and not list(lib_env.data_dir.parent.glob("*.docx"))
    hits = Retriever(lib_env).search("随意堆放琉璃瓦片怎么处理", k=3).hits
    assert hits and hits[0].chunk.law == "上海市测试管理办法"
    assert [r.action for r in AuditLog.for_settings(lib_env).query()] == ["upload"]

    at.selectbox(key="lib-del-name").select("上海市测试管理办法.docx")
    at.checkbox(key="lib-del-sure").check().run()
    at.button(key="lib-delete").click().run()
    assert not at.exception and "已删除" in at.success[0].value
    assert _titles(lib_env) == before
    assert not (uploads_dir(lib_env) / "上海市测试管理办法.docx").exists()


@pytest.mark.parametrize("name, data, message", [
    ("空文件.txt", b"", "文件为空"),
    ("伪装.docx", b"\x7fELF" + bytes(range(256)) * 4, "不是 Word 格式"),
    ("<img src=x onerror=alert(1)>.exe", b"MZ", "不支持的文件类型"),
])
def test_bad_uploads_are_refused_with_a_message(lib_env, name, data, message):
    before = _titles(lib_env)
    at = _upload(_run(lib_env), name, data)
    assert not at.exception
    assert message in at.error[0].value
    assert "<img" not in at.error[0].value  # the name is shown escaped
    assert not [b for b in at.button if b.key == "lib-confirm"]
    assert _titles(lib_env) == before
    assert not uploads_dir(lib_env).exists() or not any(uploads_dir(lib_env).iterdir())


def test_markup_in_an_uploaded_name_is_inert(lib_env):
    at = _upload(_run(lib_env), "<script>alert(1)</script>.txt", "第一段\n违规堆放琉璃瓦片的处理办法。".encode())
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "<script>" not in shown
    at.button(key="lib-confirm").click().run()
    assert not at.exception
    files = [p.name for p in uploads_dir(lib_env).iterdir()]
    assert files == ["script.txt"]


def test_an_interrupted_upload_leaves_nothing(lib_env, monkeypatch):
    from ingestion import pipeline

    before = _titles(lib_env)

    def killed(*args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(pipeline, "chunk_document", killed)
    at = _upload(_run(lib_env), "上海市测试管理办法.docx", regulation_docx())
    at.button(key="lib-confirm").click().run()
    assert at.exception  # the page run was interrupted
    assert _titles(lib_env) == before
    assert not (uploads_dir(lib_env) / "上海市测试管理办法.docx").exists()
    assert [p.name for p in uploads_dir(lib_env).iterdir()] == []


def test_an_officer_cannot_reach_the_upload(lib_env):
    store = UserStore.for_settings(lib_env)
    store.add("chief", PW, "admin")
    store.add("zhang", PW, "officer")
    officer = _run(lib_env, "zhang")
    assert not officer.exception
    assert [t.label for t in officer.tabs] == ["文档列表", "阅读与版本对比", "统计与索引"]
    assert not [b for b in officer.button if b.key in ("lib-confirm", "lib-delete", "lib-reindex")]
    # Even a pending upload planted in the session is not offered to an officer.
    officer = _upload(officer, "上海市测试管理办法.docx", regulation_docx())
    assert not [b for b in officer.button if b.key == "lib-confirm"]
    admin = _run(lib_env, "chief")
    assert [t.label for t in admin.tabs][-2:] == ["上传与删除", "执法问答"]
    assert [b for b in admin.button if b.key == "lib-reindex"]


def test_versions_side_by_side(lib_env):
    at = _run(lib_env)
    at.selectbox(key="lib-read-title").select("上海市住宅物业管理规定").run()
    at.radio(key="lib-read-mode").set_value("版本对比").run()
    assert not at.exception
    summary = " ".join(m.value for m in at.markdown)
    assert "2010\\-12\\-23 → 2020\\-12\\-30**：修改 1 条，新增 1 条，删除 0 条" in summary
    labels = [e.label for e in at.expander]
    assert any("第八十三条" in label or "第83条" in label for label in labels)
    assert any(c.language == "diff" for c in at.code)


def test_version_diff_function():
    from assistant.ui.library_page import version_diff

    old = {"第一条": (None, "第一条 甲。乙。"), "第二条": (None, "第二条 丙。")}
    new = {"第一条": (None, "第一条 甲。丁。"), "第三条": (None, "第三条 戊。")}
    assert [(label, what) for label, what, _, _ in version_diff(old, new)] == [
        ("第一条", "修改"), ("第三条", "新增"), ("第二条", "删除")]
    assert version_diff(old, old) == []


def test_reindex_button_for_admins(lib_env):
    from assistant.accounts.audit import AuditLog

    at = _run(lib_env)
    at.button(key="lib-reindex").click().run()
    assert not at.exception and "索引已更新：8 部文档" in at.success[0].value
    assert [r.action for r in AuditLog.for_settings(lib_env).query()] == ["reindex"]
    shutil.rmtree(uploads_dir(lib_env), ignore_errors=True)
