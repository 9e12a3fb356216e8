"""Sidebar shared by the pages: index status, vector-build progress, search filters."""
from __future__ import annotations

import streamlit as st

from assistant.index.status import index_status
from assistant.retrieval.types import Filters
from assistant.ui.state import IndexService


@st.fragment(run_every=3)
def index_status_panel(service: IndexService) -> None:
    info = index_status(service.settings)
    st.caption(f"法规 {info['documents']} 部 · 分块 {info['chunks']} 个")
    vec = info["vectors"]
    total = max(vec["total"] or info["chunks"], 1)
    if info["read_only"]:
        st.caption("只读模式：数据目录不可写，仅使用关键词检索，不保存任何内容")
    elif vec["state"] == "ready":
        adapted = " + 口语适配" if info["query_adapter"] else ""
        st.caption(f"检索模式：关键词 + 语义（{service.settings.embedder}）{adapted}")
    elif vec["state"] == "interrupted" and not service.building:
        st.caption(f"语义向量构建已中断（{vec['done']}/{total}），重启应用或运行 `assistant ingest` 将继续；"
                   "目前使用关键词检索")
    else:
        done = vec["done"]
        speed = vec.get("rate") or 0.0
        eta = f"，约 {(total - done) / speed / 60:.0f} 分钟完成" if speed > 0 and done < total else ""
        core = "核心法规已就绪；" if vec.get("core_done") else ""
        st.progress(min(done / total, 1.0),
                    text=f"语义向量构建中 {done}/{total}（{speed:.0f} 条/秒{eta}）{core}目前使用关键词检索")
    if service.error:
        st.error(service.error)


def filter_controls(retriever) -> Filters:
    regions = [j for j in (retriever.jurisdictions if retriever else ["上海", "全国"]) if j != "内部"]
    chosen = st.multiselect("地区范围", regions, default=[j for j in ("上海", "全国") if j in regions],
                            help="默认只检索上海地方法规和全国性法律法规")
    superseded = st.toggle("包括已修订/废止的旧版本", value=False)
    default = {"上海", "全国"} & set(regions)
    # The default scope stays None so that a question naming another region still finds it.
    jurisdictions = None if not chosen or set(chosen) == default else tuple(chosen) + ("内部",)
    return Filters(jurisdictions=jurisdictions, include_superseded=superseded)
