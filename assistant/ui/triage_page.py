"""诉件分拣 page: one complaint → a result card; a spreadsheet → progress, table, charts, XLSX."""
from __future__ import annotations

import io
import zlib
from collections import Counter

import pandas as pd
import streamlit as st

from assistant.config import Settings
from assistant.core.safetext import escape_markdown
from assistant.triage.batch import (
    GROUP_COLUMNS,
    RESULT_COLUMNS,
    TableError,
    XlsxWriter,
    basis_labels,
    open_table,
    pick_date_column,
    pick_text_column,
    place_text,
    repeat_store,
    result_cells,
    triage_table,
)
from assistant.triage.service import Triager
from assistant.ui import auth
from assistant.ui.notebook_widgets import pin_button

MAX_UPLOAD_ROWS = 50_000


@st.cache_resource(show_spinner="正在加载分拣模型……")
def _triager(settings_json: str) -> Triager:
    return Triager(Settings.model_validate_json(settings_json))


def get_triager() -> Triager:
    return _triager(Settings().model_dump_json())


def result_card(result) -> None:
    with st.container(border=True):
        if result.label is None:
            st.warning(escape_markdown(result.message or "无法分拣"))
            return
        badge = "城管执法事项" if result.is_enforcement else "非城管执法事项"
        st.markdown(f"**{result.name}**（`{result.label}`） · {badge} · 置信度 {result.confidence:.0%}")
        if result.needs_review:
            st.warning("置信度较低或内容异常，建议人工复核。" + escape_markdown(result.message or ""))
        elif result.message:
            st.info(escape_markdown(result.message))
        st.markdown(f"**承办部门**：{escape_markdown(result.department)}")
        if result.route and result.route != result.department:
            st.markdown(f"**派单去向**：{escape_markdown(result.route)}")
        if result.basis:
            st.markdown("**法律依据**：" + escape_markdown(basis_labels(result)))
        f = result.fields
        facts = {"所在区": f.district, "街镇": f.street, "地点": place_text(result), "地址": f.address,
                 "时间": "、".join(f.times), "涉及商铺": "、".join(f.shops), "重复投诉": "是" if f.repeat else "否"}
        # Everything here comes from the complaint: shown as text, never as markdown.
        st.caption(" · ".join(f"{k}：{escape_markdown(v)}" for k, v in facts.items() if v))
        st.caption("候选分类：" + "；".join(f"{c} {s:.0%}" for c, s in result.top))
        st.text(result.masked_text[:2000])


def _single(triager: Triager) -> None:
    text = st.text_area("诉件内容", height=140, max_chars=20_000,
                        placeholder="例如：浦东新区某路口每天晚上都有流动摊贩摆摊卖烧烤，油烟大，多次投诉没人管")
    if st.button("分拣", type="primary", disabled=not text.strip()):
        # Kept across reruns, so that the result can still be pinned to a notebook.
        st.session_state["triage_single"] = triager.triage(text)
        auth.record("triage", text[:200])
    result = st.session_state.get("triage_single")
    if result is not None:
        result_card(result)
        pin_button(result, key=f"triage-{zlib.crc32(result.masked_text.encode())}")


def _batch(triager: Triager) -> None:
    upload = st.file_uploader("上传诉件表格（.xlsx 或 .csv）", type=["xlsx", "csv"])
    if upload is None:
        return
    data = upload.getvalue()
    try:
        preview = open_table(data, upload.name)
    except TableError as exc:
        st.error(str(exc))
        return
    if preview.encoding_note:
        st.info(preview.encoding_note)
    head = [r for _, r in zip(range(10), preview.rows)]
    width = len(preview.columns)
    st.caption(f"共 {preview.total} 行，预览前 {len(head)} 行")
    st.dataframe(pd.DataFrame([(list(r) + [None] * width)[:width] for r in head],
                              columns=[c or f"列{i + 1}" for i, c in enumerate(preview.columns)]), hide_index=True)
    try:
        default = pick_text_column(preview.columns, None)
    except TableError:
        default = 0
    column = st.selectbox("诉件内容所在列", preview.columns, index=default)
    no_date = "（无，按处理时间）"
    guessed = pick_date_column(preview.columns, None)
    date_choice = st.selectbox("诉件日期所在列（用于归并重复投诉）", [no_date, *preview.columns],
                               index=0 if guessed is None else guessed + 1)
    if not st.button("开始分拣", type="primary"):
        return
    table = open_table(data, upload.name)
    col = table.columns.index(column)
    date_col = None if date_choice == no_date else table.columns.index(date_choice)
    writer = XlsxWriter(table.columns)
    bar = st.progress(0.0, text="分拣中……")
    total = max(table.total or 1, 1)
    records = []
    repeats = repeat_store(triager.settings)
    try:
        for n, result in enumerate(triage_table(triager, table, col, writer, MAX_UPLOAD_ROWS, repeats, date_col), 1):
            records.append(dict(zip(RESULT_COLUMNS, result_cells(result))))
            if n % 50 == 0 or n == total:
                bar.progress(min(n / total, 1.0), text=f"分拣中…… {n}/{total}")
    finally:
        repeats.close()
    bar.progress(1.0, text=f"完成：{len(records)} 条")
    if (table.total or 0) > MAX_UPLOAD_ROWS:
        st.warning(f"表格超过 {MAX_UPLOAD_ROWS} 行，只处理了前 {MAX_UPLOAD_ROWS} 行；更大的表格请用命令行 assistant triage")
    out = io.BytesIO()
    writer.save(out)
    groups = pd.DataFrame(writer.largest_groups(), columns=GROUP_COLUMNS)
    df = pd.DataFrame(records, columns=RESULT_COLUMNS)
    df["重复组诉件数"] = df["重复组诉件数"].astype("Int64")  # empty for rows not grouped
    st.session_state["triage_results"] = (df, out.getvalue(), upload.name, groups)
    auth.record("triage", f"{upload.name}：{len(records)} 条")


def _places(df: pd.DataFrame) -> None:
    """Counts by district and by 区·街镇 (no map: a bar chart reads the same on any screen)."""
    left, right = st.columns(2)
    with left:
        st.markdown("**按区**")
        st.bar_chart(df["所在区"].replace("", "未识别").value_counts(), horizontal=True)
    with right:
        st.markdown("**按街镇（前 20）**")
        located = df[df["街镇"] != ""]
        if located.empty:
            st.caption("没有识别到街镇")
        else:
            st.bar_chart((located["所在区"] + "·" + located["街镇"]).value_counts().head(20), horizontal=True)


def _groups(groups: pd.DataFrame) -> None:
    st.markdown("**重复投诉**（同一地点、同一类别，按组内诉件数从多到少）")
    if groups.empty:
        st.caption("本表没有重复投诉组")
        return
    st.caption(f"共 {len(groups)} 组，最大一组 {int(groups['诉件数'].iloc[0])} 条（含此前批次）")
    st.dataframe(groups, hide_index=True, height=min(36 * (len(groups) + 1), 320))


def _results() -> None:
    if "triage_results" not in st.session_state:
        return
    df, xlsx, name, groups = st.session_state["triage_results"]
    review = df[df["需人工复核"] == "是"]
    c1, c2, c3 = st.columns(3)
    c1.metric("诉件总数", len(df))
    c2.metric("城管执法事项", int((df["城管执法事项"] == "是").sum()))
    c3.metric("需人工复核", len(review))
    left, right = st.columns(2)
    with left:
        st.markdown("**按分类**")
        st.bar_chart(df["分类名称"].replace("", "（空）").value_counts(), horizontal=True)
    with right:
        st.markdown("**是否城管执法事项**")
        st.bar_chart(pd.Series(Counter(df["城管执法事项"].replace("", "（空）"))))
    _places(df)
    _groups(groups)
    st.markdown("**分拣结果**（需人工复核的行标在“需人工复核”列）")
    only_review = st.toggle("只看需人工复核", value=False)
    st.dataframe(review if only_review else df, hide_index=True, height=360)
    st.download_button("下载分拣结果（XLSX）", xlsx, file_name=name.rsplit(".", 1)[0] + "_分拣结果.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary")


def page() -> None:
    st.title("诉件分拣")
    st.caption("把 12345 诉件分到 21 类执法事项，识别所在区与街镇并派往区城管执法局及街镇中队，给出法律依据，"
               "归并重复投诉；手机号、身份证号、车牌自动脱敏。")
    triager = get_triager()
    single, batch = st.tabs(["单条分拣", "批量分拣（表格）"])
    with single:
        _single(triager)
    with batch:
        _batch(triager)
        _results()
