"""题库生成 page: scope and blueprint → a paper whose every key is checked against its article;
preview with keys shown or hidden, replace one question, DOCX/XLSX download, coverage chart."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.config import Settings
from assistant.core.safetext import escape_markdown
from assistant.exams.builder import ExamBuilder
from assistant.exams.check import REASON_TEXT
from assistant.exams.export import docx_bytes, xlsx_bytes
from assistant.exams.history import HistoryUnavailable
from assistant.exams.models import (
    DEFAULT_POINTS,
    QTYPES,
    TYPE_NAMES,
    Blueprint,
    Paper,
    Scope,
)
from assistant.exams.scope import ScopeError
from assistant.retrieval.types import IndexNotReady
from assistant.ui import auth
from assistant.ui.notebook_widgets import pin_button

DEFAULT_LAW = "上海市生活垃圾管理条例"
DEFAULT_COUNTS = {"single": 5, "multi": 3, "judge": 5, "blank": 5, "case": 2}
MAX_PER_TYPE = 50
MIXES = {"标准（易3 中5 难2）": {"易": 0.3, "中": 0.5, "难": 0.2}, "偏易（易6 中3 难1）": {"易": 0.6, "中": 0.3, "难": 0.1},
         "偏难（易1 中4 难5）": {"易": 0.1, "中": 0.4, "难": 0.5}}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_resource(show_spinner="正在读取法规库……")
def _builder(settings_json: str) -> ExamBuilder:
    return ExamBuilder(Settings.model_validate_json(settings_json))


def _scope_and_blueprint(builder: ExamBuilder) -> tuple[Scope, Blueprint, int, bool, bool, bool]:
    laws = builder.laws()
    default = [DEFAULT_LAW] if DEFAULT_LAW in laws else laws[:1]
    chosen = st.multiselect("法规", laws, default=default, key="exam-laws",
                            help="可多选；只给主题时按主题在核心法规中选条文")
    topic = st.text_input("主题（可选）", key="exam-topic", max_chars=40, placeholder="如：垃圾分类、违法建筑")
    st.markdown("**题型与题数**")
    columns = st.columns(len(QTYPES))
    counts = {t: int(col.number_input(TYPE_NAMES[t], 0, MAX_PER_TYPE, DEFAULT_COUNTS[t], key=f"exam-n-{t}"))
              for col, t in zip(columns, QTYPES)}
    left, mid, right = st.columns(3)
    mix = MIXES[left.selectbox("难度", list(MIXES), key="exam-mix")]
    seed = int(mid.number_input("随机种子", 1, 1_000_000, 1, key="exam-seed", help="相同范围、题量与种子得到相同试卷"))
    with right:
        avoid = st.toggle("避开已登记试卷用过的题", value=True, key="exam-avoid")
        ab = st.toggle("同时生成 B 卷", value=False, key="exam-ab")
        llm = bool(builder.settings.llm_base_url and builder.settings.llm_model) and st.toggle(
            "用大模型改写案例情节", value=False, key="exam-llm", help="改写后的情节同样经过自检，不合格则保留原情节")
    counts = {t: n for t, n in counts.items() if n > 0}
    blueprint = Blueprint(counts, {t: DEFAULT_POINTS[t] for t in counts}, mix)
    return Scope(tuple(chosen), topic.strip() or None), blueprint, seed, avoid, ab, llm


def _generate(builder: ExamBuilder, scope: Scope, blueprint: Blueprint, seed: int, avoid: bool, ab: bool,
              llm: bool) -> None:
    bar = st.progress(0.0, text="准备出题……")

    def progress(stage: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=stage)

    try:
        kw = {"avoid_used": avoid, "use_llm": llm, "progress": progress}
        papers = list(builder.ab_papers(scope, blueprint, seed, **kw)) if ab else [builder.paper(scope, blueprint, seed, **kw)]
    except ScopeError as exc:
        bar.empty()
        st.error(str(exc))
        return
    auth.record("exam", f"{'、'.join(scope.laws or ()) or scope.topic or ''} {sum(blueprint.counts.values())}题 seed={seed}"[:200])
    st.session_state["exam"] = {"papers": papers, "scope": scope, "avoid": avoid}


def _question(builder: ExamBuilder, paper: Paper, i: int, show: bool) -> None:
    q = paper.questions[i]
    with st.container(border=True):
        head, button = st.columns([12, 2])
        stem = escape_markdown(q.stem).replace("\n", "  \n")
        head.markdown(f"**{i + 1}.【{TYPE_NAMES[q.type]}】** {stem}" + ("（    ）" if q.type == "judge" else ""))
        if button.button("换一题", key=f"exam-replace-{paper.variant}-{i}", help="换一道同题型的题"):
            state = st.session_state["exam"]
            others = [x for p in state["papers"] if p is not paper for x in p.questions]  # A/B stay disjoint
            new = builder.replace(paper, i, state["scope"], state["avoid"], others)
            state["papers"] = [new if p is paper else p for p in state["papers"]]
            st.rerun()
        for letter, text in q.options.items():
            st.markdown(f"{letter}. {escape_markdown(text)}")
        if show:
            st.markdown(f"**答案**：{escape_markdown(q.answer_text())}")
            st.caption(escape_markdown(f"解析：{q.explanation}"))
        st.caption(escape_markdown(f"{q.source.label()} · 难度 {q.difficulty} · {q.knowledge_point}"))


def _coverage(paper: Paper) -> None:
    cov = paper.coverage()
    left, right = st.columns(2)
    with left:
        st.markdown("**知识点覆盖**")
        st.bar_chart(pd.Series(cov["knowledge_points"], name="题数").sort_values(), horizontal=True)
    with right:
        st.markdown("**法规覆盖**")
        st.dataframe(pd.DataFrame({"法规": list(cov["laws"]), "题数": list(cov["laws"].values())}), hide_index=True)


def _paper(builder: ExamBuilder, paper: Paper, show: bool) -> None:
    s = paper.stats
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("题数", len(paper.questions))
    c2.metric("满分", f"{paper.total_points():g}")
    c3.metric("候选题", s.generated)
    c4.metric("自检剔除", sum(s.dropped.values()))
    short = [f"{TYPE_NAMES[t]} {v['selected']}/{v['requested']}" for t, v in s.per_type.items()
             if v["selected"] < v["requested"]]
    if short:
        st.warning("所选范围内可用的题不够：" + "、".join(short) + "。可扩大法规范围或减少题量。")
    if s.dropped:
        st.caption("剔除原因：" + "；".join(f"{REASON_TEXT.get(r.removeprefix('llm:'), r)} {n} 题"
                                          for r, n in s.dropped.items()))
    d1, d2, d3 = st.columns(3)
    name = f"{paper.title}_{paper.variant}卷"
    d1.download_button("下载 Word 试卷（DOCX）", docx_bytes(paper), file_name=f"{name}.docx", mime=DOCX_MIME,
                       key=f"exam-docx-{paper.variant}", type="primary")
    d2.download_button("下载题库表格（XLSX）", xlsx_bytes(paper.questions), file_name=f"{name}.xlsx", mime=XLSX_MIME,
                       key=f"exam-xlsx-{paper.variant}")
    with d3:
        pin_button(paper, key=f"exam-pin-{paper.variant}-{paper.seed}")
    if d3.button("登记为已使用", key=f"exam-record-{paper.variant}", help="以后生成的试卷将避开本卷的题"):
        try:
            builder.record(paper)
            st.success("已登记：以后的试卷将避开这些题。")
        except HistoryUnavailable as exc:
            st.error(str(exc))
    _coverage(paper)
    for i in range(len(paper.questions)):
        _question(builder, paper, i, show)


def page() -> None:
    st.title("题库生成")
    st.caption("从法规条文出单选、多选、判断、填空与案例分析题；每道题的答案都对照所引条文核对，"
               "干扰项来自其他条文且经核对不成立，不合格的题不会出现。")
    try:
        builder = _builder(Settings().model_dump_json())
    except IndexNotReady as exc:
        st.error(str(exc))
        return
    scope, blueprint, seed, avoid, ab, llm = _scope_and_blueprint(builder)
    if st.button("生成试卷", type="primary", key="exam-generate", disabled=not blueprint.counts):
        _generate(builder, scope, blueprint, seed, avoid, ab, llm)
    state = st.session_state.get("exam")
    if not state:
        return
    show = st.toggle("显示答案与解析", value=False, key="exam-show")
    papers = state["papers"]
    tabs = st.tabs([f"{p.variant}卷" for p in papers]) if len(papers) > 1 else [st.container()]
    for tab, paper in zip(tabs, papers):
        with tab:
            _paper(builder, paper, show)
