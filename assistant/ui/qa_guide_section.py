"""法规库 page, 执法问答 tab (admins): export the guide as XLSX; upload a spreadsheet → the
validation report (unknown citations, facts not in the article, duplicates, empty cells) →
confirm the import (all rows, or only the valid ones). The admin check is made again at the
moment of the import (`auth.require_admin`, and `import_guide` itself refuses a non-admin)."""
from __future__ import annotations

import logging

import streamlit as st

from assistant.answering.qa_guide.admin import check_import, export_guide, import_guide
from assistant.answering.qa_guide.check import GuideReport, StoreArticles
from assistant.answering.qa_guide.store import IMPORTED, imported_path, load_all
from assistant.config import Settings
from assistant.core.safetext import escape_markdown
from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore
from assistant.ui import auth

_log = logging.getLogger("assistant.ui")
MAX_PROBLEMS_SHOWN = 200
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _store(settings: Settings) -> ChunkStore | None:
    path = IndexLayout.of(settings).store
    return ChunkStore(path, read_only=True) if path.exists() else None


def _report_table(report: GuideReport) -> list[dict]:
    rows = [{"位置": r.where, "编号": r.id or "（空）", "问题": "；".join(r.problems)} for r in report.rejected]
    return rows[:MAX_PROBLEMS_SHOWN]


def qa_guide_section(settings: Settings) -> None:
    entries = load_all(settings)
    imported = sum(1 for e in entries if e.source == IMPORTED)
    st.caption(f"执法问答共 {len(entries)} 条（内置 {len(entries) - imported}，导入 {imported}）。问答按问题相似度匹配，"
               "在法律问答的答案下方以「执法问答（内部指引，非法律条文）」显示，不作为结论或法律依据。")
    st.download_button("导出执法问答（XLSX）", data=export_guide(settings), file_name="执法问答.xlsx",
                       mime=XLSX_MIME, key="qa-export", icon=":material/download:")
    st.caption(f"导入的表格替换全部已导入条目（{imported_path(settings).name}）；与内置条目完全相同的行跳过，"
               "内置条目的编号不能重复使用。每行：编号、问法1–问法5、回答、出处（《法规全称》第N条[第M款]，一行一个）、"
               "要点（须在所引条文原文和回答中出现的短语，一行一个）。"
               f"至多 {settings.qa_guide_max_rows} 行、{settings.qa_guide_max_mb:g} MB。")
    uploaded = st.file_uploader("导入执法问答（XLSX）", type=["xlsx"], key="qa-upload")
    if uploaded is not None and st.button("检查", key="qa-check", icon=":material/fact_check:"):
        st.session_state["qa_pending"] = {"name": uploaded.name, "data": uploaded.getvalue()}
    pending = st.session_state.get("qa_pending")
    if not pending:
        return
    store = _store(settings)
    if store is None:
        st.error("索引尚未建立，无法核对出处：请先运行 `assistant ingest`。")
        return
    try:
        lookup = StoreArticles(store)
        report = check_import(settings, pending["data"], lookup)
        _show_report(report)
        if report.refused:
            st.session_state.pop("qa_pending", None)
            return
        go, partial, cancel = st.columns(3)
        if cancel.button("取消", key="qa-cancel"):
            st.session_state.pop("qa_pending", None)
            st.rerun()
        choice = None
        if report.all_valid and go.button("确认导入", key="qa-confirm", type="primary"):
            choice = False
        if not report.all_valid and report.valid and partial.button(
                f"仅导入有效的 {len(report.valid)} 条", key="qa-partial"):
            choice = True
        if choice is None:
            return
        if not auth.require_admin("导入执法问答"):  # checked again at the moment of the change
            return
        done = import_guide(settings, pending["data"], lookup, auth.current_user(), partial=choice)
    finally:
        store.close()
    st.session_state.pop("qa_pending", None)
    if done.written is None:
        st.error(escape_markdown("未导入：" + done.summary()))
        return
    auth.record("qa_guide_import", f"{pending['name']}：{done.summary()}")
    st.session_state["lib_notice"] = f"执法问答已导入：{done.summary()}"
    st.rerun()


def _show_report(report: GuideReport) -> None:
    if report.refused:
        st.error(escape_markdown(report.summary()))
        return
    (st.success if report.all_valid else st.warning)(escape_markdown(report.summary()))
    rows = _report_table(report)
    if rows:
        st.dataframe(rows, hide_index=True)
        if len(report.rejected) > len(rows):
            st.caption(f"另有 {len(report.rejected) - len(rows)} 行问题未显示。")
