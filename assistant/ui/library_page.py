"""法规库 page: the documents in the index (filter, search), reading a document by chapter and
article, two versions side by side with what changed, upload (parsed, shown for confirmation,
ingested with a progress bar), delete, re-index, statistics and the vector-build state.

Everyone may read; only admins change the library (`auth.require_admin`, checked again at the
moment of each change, not only when the controls are drawn)."""
from __future__ import annotations

import difflib
import json
import logging
import re
import sqlite3
import threading
from pathlib import Path

import streamlit as st

from assistant.config import Settings
from assistant.core.render import stated_in_force_text, status_word, vector_state_text
from assistant.core.safetext import escape_markdown
from assistant.index.layout import IndexLayout
from assistant.index.status import index_status
from assistant.index.store import ChunkStore
from assistant.ui import auth
from assistant.ui.qa_guide_section import qa_guide_section
from ingestion.read import SourceError
from ingestion.uploads import check_upload, save_upload, uploaded_files, uploads_dir

# One library change at a time in this server (two admins uploading at once would both rewrite
# the uploads root); searches are not held up, they read the committed store.
_CHANGE_LOCK = threading.Lock()
_log = logging.getLogger("assistant.ui")
_LABEL = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?\s*")
MAX_DIFFS_SHOWN = 60


# --- reading the index --------------------------------------------------------------------------
def documents(settings: Settings) -> list[dict]:
    """Every document in the index with its article count, source file and root."""
    path = IndexLayout.of(settings).store
    if not path.exists():
        return []
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute("SELECT root, path, title, version, status, data FROM documents "
                          "ORDER BY title, version").fetchall()
    finally:
        db.close()
    uploads = str(uploads_dir(settings).resolve())
    out = []
    for root, rel, title, version, status, data in rows:
        d = json.loads(data)
        out.append({"title": title, "level": d.get("level"), "jurisdiction": d.get("jurisdiction"),
                    "version": version, "status": status, "articles": d.get("n_articles", 0),
                    "sections": d.get("n_sections", 0), "path": rel, "root": root, "kind": d.get("kind"),
                    "uploaded": root == uploads,
                    # An undated text's own 「本条例自…起施行」 (ingestion/lawref.stated_in_force).
                    "in_force_since": next((h["date"] for h in d.get("history") or () if h.get("kind") == "施行"), None)})
    return out


def _table(docs: list[dict]) -> list[dict]:
    return [{"标题": d["title"], "层级": d["level"], "地区": d["jurisdiction"], "版本日期": _version_cell(d),
             "状态": status_word(d["status"], d["version"]), "条数": d["articles"] or d["sections"],
             "来源文件": ("［上传］" if d["uploaded"] else "") + d["path"]} for d in docs]


def _version_cell(doc: dict) -> str:
    """2019-01-31, or 未知 with the 施行 date an undated text states (as citations show it)."""
    if doc["version"]:
        return doc["version"]
    since = doc.get("in_force_since")
    return f"未知{stated_in_force_text(since)}" if since else "未知"


def _filtered(docs: list[dict]) -> list[dict]:
    query = st.text_input("搜索标题", placeholder="例如：生活垃圾", max_chars=100, key="lib-q").strip()
    left, mid, right = st.columns(3)
    levels = left.multiselect("层级", sorted({d["level"] for d in docs if d["level"]}), key="lib-level")
    places = mid.multiselect("地区", sorted({d["jurisdiction"] for d in docs if d["jurisdiction"]}), key="lib-place")
    status = right.selectbox("状态", ["全部", "现行有效", "已修订/废止"], key="lib-status")
    out = [d for d in docs if query in d["title"] or query in d["path"]]
    if levels:
        out = [d for d in out if d["level"] in levels]
    if places:
        out = [d for d in out if d["jurisdiction"] in places]
    if status != "全部":
        out = [d for d in out if (d["status"] == "current") == (status == "现行有效")]
    return out


def article_texts(chunks) -> dict[str, tuple[str | None, str]]:
    """Article (or section) label → (chapter, text), parts joined, in document order."""
    out: dict[str, tuple[str | None, str]] = {}
    for c in chunks:
        label = c.article_label or (f"第{c.article}条" if c.article is not None else c.heading or "正文")
        chapter, text = out.get(label, (c.chapter, ""))
        out[label] = (chapter, (text + "\n" + c.text).strip() if text else c.text)
    return out


def _body(text: str) -> str:
    return _LABEL.sub("", text, count=1)


def version_diff(old: dict[str, tuple], new: dict[str, tuple]) -> list[tuple[str, str, str, str]]:
    """(label, what, old text, new text) for every article added, removed or changed; matched by
    article number (an article renumbered in the revision shows as changed)."""
    out = []
    for label in list(dict.fromkeys([*new, *old])):
        a, b = old.get(label, (None, ""))[1], new.get(label, (None, ""))[1]
        if label not in old:
            out.append((label, "新增", "", b))
        elif label not in new:
            out.append((label, "删除", a, ""))
        elif _body(a) != _body(b):
            out.append((label, "修改", a, b))
    return out


def _reader(settings: Settings, docs: list[dict]) -> None:
    titles = sorted({d["title"] for d in docs})
    if not titles:
        st.info("索引中还没有文档。")
        return
    title = st.selectbox("文档", titles, key="lib-read-title")
    versions = sorted({d["version"] for d in docs if d["title"] == title}, key=lambda v: v or "")
    store = ChunkStore(IndexLayout.of(settings).store, read_only=True)
    try:
        if len(versions) > 1:
            st.caption(f"共 {len(versions)} 个版本：" + "、".join(v or "日期未知" for v in versions))
        mode = st.radio("查看", ["阅读", "版本对比"], horizontal=True, key="lib-read-mode") if len(versions) > 1 else "阅读"
        if mode == "阅读":
            version = st.selectbox("版本", versions, index=len(versions) - 1, format_func=lambda v: v or "日期未知",
                                   key="lib-read-version")
            texts = article_texts(store.law_chunks(title, version))
            chapters = list(dict.fromkeys(ch or "（无章节）" for ch, _ in texts.values()))
            chapter = st.selectbox("章", ["全部", *chapters], key="lib-read-chapter") if len(chapters) > 1 else "全部"
            for label, (ch, text) in texts.items():
                if chapter == "全部" or (ch or "（无章节）") == chapter:
                    with st.expander(escape_markdown(f"{label}" + (f" · {ch}" if ch else "")), expanded=len(texts) <= 5):
                        st.text(text)
            return
        left, right = st.columns(2)
        old_v = left.selectbox("旧版本", versions, index=0, format_func=lambda v: v or "日期未知", key="lib-old")
        new_v = right.selectbox("新版本", versions, index=len(versions) - 1, format_func=lambda v: v or "日期未知",
                                key="lib-new")
        changes = version_diff(article_texts(store.law_chunks(title, old_v)), article_texts(store.law_chunks(title, new_v)))
    finally:
        store.close()
    counts = {k: sum(1 for c in changes if c[1] == k) for k in ("修改", "新增", "删除")}
    st.markdown(f"**{escape_markdown(old_v or '日期未知')} → {escape_markdown(new_v or '日期未知')}**："
                f"修改 {counts['修改']} 条，新增 {counts['新增']} 条，删除 {counts['删除']} 条")
    st.caption("按条文序号对齐：修订时重新编号的条文显示为修改。")
    for label, what, a, b in changes[:MAX_DIFFS_SHOWN]:
        with st.expander(escape_markdown(f"{label}（{what}）")):
            c1, c2 = st.columns(2)
            c1.caption(f"旧版 {old_v or ''}")
            c1.text(a or "（无）")
            c2.caption(f"新版 {new_v or ''}")
            c2.text(b or "（无）")
            diff = difflib.unified_diff(_split(a), _split(b), "旧版", "新版", lineterm="", n=0)
            st.code("\n".join(diff), language="diff")
    if len(changes) > MAX_DIFFS_SHOWN:
        st.caption(f"另有 {len(changes) - MAX_DIFFS_SHOWN} 处改动未显示。")


def _split(text: str) -> list[str]:
    """Sentences (。；), so a diff shows which clause changed rather than the whole article."""
    return [s for s in re.split(r"(?<=[。；])", text.replace("\n", "")) if s]


# --- changing the library (admins) --------------------------------------------------------------
def _progress_bar():
    bar = st.progress(0.0, text="准备中……")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"{stage} {done}/{total}")

    return bar, progress


def reingest_uploads(settings: Settings, progress=None):
    """Make the index hold exactly the files in the uploads folder (one transaction)."""
    from ingestion.pipeline import ingest

    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    return ingest(settings, [folder], vectors=False, **({"progress": progress} if progress else {}))


def _refresh_vectors(settings: Settings) -> None:
    """Vectors for what changed are built in the app's background thread (only where a vector
    build has run before: a keyword-only setup stays keyword-only)."""
    if IndexLayout.of(settings).vector_status_file.exists():
        from assistant.ui.state import get_service

        get_service().start_vectors()


def _upload_section(settings: Settings) -> None:
    limit = settings.upload_max_mb
    st.caption(f"支持 .txt .md .docx .pdf，单个文件不超过 {limit:g} MB。按「第一条」「第二条」分条的文件"
               "（含 LawRefBook 格式的 .md）按条文入库、按条引用；含「基本案情」「处理结果/典型意义」的典型案例按案例入库，"
               "显示在引用同一条文的答案下；其他文件按标题分段入库（层级「内部文件」）。")
    uploaded = st.file_uploader("选择文件", type=["txt", "md", "docx", "pdf"], key="lib-upload")
    if uploaded is not None and st.button("解析", key="lib-parse", icon=":material/plagiarism:"):
        st.session_state["lib_pending"] = {"name": uploaded.name, "data": uploaded.getvalue()}
    pending = st.session_state.get("lib_pending")
    if not pending:
        return
    try:
        preview = check_upload(pending["name"], pending["data"], int(limit * 1_000_000))
    except SourceError as exc:
        st.error(escape_markdown(str(exc)))
        st.session_state.pop("lib_pending", None)
        return
    doc = preview.document
    with st.container(border=True):
        st.markdown(f"**待入库：{escape_markdown(doc.title)}**")
        st.caption(escape_markdown(f"文件 {preview.name} · {preview.size / 1000:.0f} KB · {doc.level} · "
                                   f"{doc.jurisdiction} · 版本 {doc.version or '日期未知'} · "
                                   + (f"{len(doc.articles)} 条" if doc.articles else f"{len(doc.sections)} 段")))
        for w in preview.warnings:
            st.warning(escape_markdown(w))
        if (uploads_dir(settings) / preview.name).exists():
            st.warning(escape_markdown(f"已有同名上传文件「{preview.name}」：确认后将替换它"))
        for unit in (doc.articles[:5] or doc.sections[:5]):
            st.text((unit.text if hasattr(unit, "paragraphs") else f"{unit.heading}\n{unit.text}")[:500])
        go, cancel = st.columns(2)
        if cancel.button("取消", key="lib-cancel"):
            st.session_state.pop("lib_pending", None)
            st.rerun()
        if go.button("确认入库", key="lib-confirm", type="primary"):
            if not auth.require_admin("上传文档"):  # checked again at the moment of the change
                return
            _ingest_upload(settings, preview, pending["data"])


def _ingest_upload(settings: Settings, preview, data: bytes) -> None:
    bar, progress = _progress_bar()
    with _CHANGE_LOCK:
        existing = uploads_dir(settings) / preview.name
        replaced = existing.read_bytes() if existing.is_file() else None  # the upload of the same name it replaces
        path = save_upload(settings, preview, data)
        try:
            report = reingest_uploads(settings, progress)
        except BaseException:  # an error, or the run stopped
            # The chunk store replaces the folder's rows in one transaction, but a stop after that
            # commit (while the search index is rebuilt) would leave the document in the store with
            # its file gone: put the folder back as it was and re-ingest it before giving up.
            if replaced is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(replaced)
            try:
                reingest_uploads(settings)
            except Exception:  # noqa: BLE001 — the original failure is the one to report
                _log.exception("re-ingest after a failed upload failed")
            raise
        held = ChunkStore(IndexLayout.of(settings).store, read_only=True)
        try:
            indexed = (preview.document.title, preview.document.version) in held.document_roots()
        finally:
            held.close()
        if not indexed:
            path.unlink(missing_ok=True)
            reingest_uploads(settings)
    bar.empty()
    st.session_state.pop("lib_pending", None)
    problems = [m for m in report.errors + report.warnings if preview.name in m or "相同" in m]
    if not indexed:
        st.error(escape_markdown("未入库：" + ("；".join(problems) or "文档未能解析")))
        return
    auth.record("upload", f"{preview.name}（{preview.document.title}，{preview.units} 条/段）")
    _refresh_vectors(settings)
    st.session_state["lib_notice"] = (f"已入库：{preview.document.title}（{preview.units} 条/段），"
                                      "关键词检索立即可用" + ("；语义向量在后台更新" if IndexLayout.of(settings).vector_status_file.exists() else ""))
    st.rerun()


def _delete_section(settings: Settings) -> None:
    files = uploaded_files(settings)
    if not files:
        st.caption("尚无上传的文档。法规库原始文件为只读，不能在此删除。")
        return
    name = st.selectbox("删除上传的文档", [p.name for p in files], key="lib-del-name")
    sure = st.checkbox("确认删除（从索引中移除，不可恢复）", key="lib-del-sure")
    if st.button("删除", key="lib-delete", icon=":material/delete:", disabled=not sure):
        if not auth.require_admin("删除文档"):
            return
        with _CHANGE_LOCK:
            (uploads_dir(settings) / Path(name).name).unlink(missing_ok=True)
            reingest_uploads(settings)
        auth.record("delete", f"上传文档 {name}")
        _refresh_vectors(settings)
        st.session_state["lib_notice"] = f"已删除：{name}"
        st.rerun()


def _stats(settings: Settings, docs: list[dict], admin: bool) -> None:
    info = index_status(settings)
    vec = info["vectors"]
    a, b, c, d = st.columns(4)
    a.metric("文档", info["documents"])
    b.metric("条文分块", info["chunks"])
    c.metric("上传文档", sum(1 for x in docs if x["uploaded"]))
    d.metric("语义向量", vector_state_text(vec["state"]), f"{vec['done']}/{vec['total']}" if vec["total"] else None,
             delta_color="off")
    if vec["state"] in ("building", "stale", "interrupted") and vec["total"]:
        st.progress(min(vec["done"] / max(vec["total"], 1), 1.0), text=f"向量 {vec['done']}/{vec['total']}")
    by_level: dict[str, int] = {}
    for x in docs:
        by_level[x["level"] or "未知"] = by_level.get(x["level"] or "未知", 0) + 1
    st.caption("按层级：" + "，".join(f"{escape_markdown(k)} {v}" for k, v in sorted(by_level.items(), key=lambda kv: -kv[1])))
    st.caption(escape_markdown(f"嵌入模型：{info['embedder']} · 数据目录：{info['data_dir']}"
                               + (" · 只读" if info["read_only"] else "")))
    if admin and st.button("重建索引", key="lib-reindex", icon=":material/refresh:",
                           help="重新读取法规库与上传文档；只处理有变化的文件"):
        if not auth.require_admin("重建索引"):
            return
        from ingestion.pipeline import default_roots, ingest

        bar, progress = _progress_bar()
        with _CHANGE_LOCK:
            roots = [r.path for r in default_roots(settings)]
            if uploads_dir(settings).is_dir():
                roots.append(uploads_dir(settings))
            report = ingest(settings, roots, vectors=False, progress=progress)
        bar.empty()
        auth.record("reindex", f"{report.documents} 部文档，新增 {report.added}，修改 {report.changed}，删除 {report.removed}")
        _refresh_vectors(settings)
        st.session_state["lib_notice"] = (f"索引已更新：{report.documents} 部文档（新增 {report.added}、修改 {report.changed}、"
                                          f"删除 {report.removed} 个分块）")
        st.rerun()


def page() -> None:
    user = auth.current_user()
    settings = Settings()
    st.title("法规库")
    st.caption("法规与上传文档的目录：筛选、阅读、版本对比；管理员可上传、删除和重建索引。")
    if notice := st.session_state.pop("lib_notice", None):
        st.success(escape_markdown(notice))
    try:
        docs = documents(settings)
    except sqlite3.Error as exc:
        st.error(escape_markdown(f"索引无法读取：{exc}"))
        docs = []
    if not docs:
        st.info("索引中还没有文档：运行 `assistant ingest`，或由管理员上传文档。")
    admin = auth.can_change_library(user)
    names = ["文档列表", "阅读与版本对比", "统计与索引"] + (["上传与删除", "执法问答"] if admin else [])
    tabs = st.tabs(names)
    with tabs[0]:
        shown = _filtered(docs)
        st.caption(f"共 {len(shown)} / {len(docs)} 部")
        if shown:
            st.dataframe(_table(shown), hide_index=True)
    with tabs[1]:
        if docs:
            _reader(settings, docs)
    with tabs[2]:
        _stats(settings, docs, admin)
    if admin:
        with tabs[3]:
            _upload_section(settings)
            st.divider()
            _delete_section(settings)
        with tabs[4]:
            qa_guide_section(settings)
