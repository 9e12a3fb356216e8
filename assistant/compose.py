"""Offline answer composer: a grounded answer built only from retrieved articles (no LLM).

结论 (conduct → consequence), 法律依据 (quoted articles with law, 第N条, version, jurisdiction,
status), 处罚幅度 and 执法主体 read from the article text, related typical cases and a caveat.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.models import Hit
from assistant.penalty import PenaltyClause, extract_penalties, format_fine
from assistant.retrieve import SearchResult

MAX_BASIS = 3
CAVEAT = ("以上内容依据本地法规库自动整理，仅供执法参考；具体案件请结合事实、证据和最新有效法规判断，"
          "必要时咨询法制部门。")


@dataclass
class CitationRef:
    law: str
    article: int | None
    version: str | None
    jurisdiction: str | None = None
    status: str | None = None
    heading: str | None = None

    def label(self) -> str:
        where = f"第{self.article}条" if self.article is not None else (self.heading or "")
        return f"《{self.law}》{where}"

    def to_json(self) -> dict:
        return {"law": self.law, "article": self.article, "version": self.version}


@dataclass
class PenaltySummary:
    citation: CitationRef
    subject: str | None
    conduct: str | None
    department: str | None
    measures: tuple[str, ...]
    fines: list[str]


@dataclass
class Answer:
    question: str
    no_basis: bool
    mode: str  # "offline" | "llm"
    conclusion: str
    basis: list[Hit] = field(default_factory=list)
    penalties: list[PenaltySummary] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    cases: list[Hit] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)  # 「可能相关」 when there is no basis
    caveat: str = CAVEAT
    body: str | None = None  # the LLM's verified reply, in llm mode
    flagged: list[dict] = field(default_factory=list)  # citations removed by verification
    reason: str | None = None

    @property
    def citations(self) -> list[CitationRef]:
        return [cite(h) for h in self.basis]

    def to_json(self) -> dict:
        return {"answer": self.markdown(), "citations": [c.to_json() for c in self.citations],
                "no_basis": self.no_basis, "mode": self.mode}

    def summary_markdown(self) -> str:
        """The answer without the quoted articles (shown separately as expandable sources)."""
        return self.markdown(quote_articles=False)

    def markdown(self, quote_articles: bool = True) -> str:
        if self.no_basis:
            lines = [f"**未找到可靠依据。** {self.conclusion}"]
            if self.related:
                lines.append("\n**可能相关（未经确认，仅供参考）：**")
                lines += [f"- {cite(h).label()}（{h.chunk.version or '版本未知'}）" for h in self.related]
            return "\n".join(lines)
        lines = ["### 结论", self.body or self.conclusion]
        if self.penalties:
            lines.append("\n### 处罚幅度与执法主体")
            for p in self.penalties:
                who = f"{p.subject}：" if p.subject else ""
                parts = [f"执法主体：{p.department}"] if p.department else []
                if p.measures:
                    parts.append("措施：" + "、".join(p.measures))
                if p.fines:
                    parts.append("罚款：" + "；".join(p.fines))
                lines.append(f"- {who}{'；'.join(parts)}（{p.citation.label()}）")
        lines.append("\n### 法律依据")
        for h in self.basis:
            c = cite(h)
            quote = ("\n\n  > " + h.chunk.text.replace("\n", "\n  > ")) if quote_articles else ""
            lines.append(f"- **{c.label()}**（{version_line(h)}）{quote}")
        if self.cases:
            lines.append("\n### 相关典型案例")
            lines += [f"- 《{h.chunk.law}》{h.chunk.heading or ''}" for h in self.cases]
        if self.flagged:
            lines.append("\n> 已删除无法核实的引用：" + "、".join(f["citation"] for f in self.flagged))
        lines.append(f"\n*{self.caveat}*")
        return "\n".join(lines)


def cite(hit: Hit) -> CitationRef:
    c = hit.chunk
    return CitationRef(c.law, c.article, c.version, c.jurisdiction, c.status, c.heading)


def version_line(hit: Hit) -> str:
    c = hit.chunk
    status = "现行有效" if c.status == "current" else "已修订/废止"
    return f"{c.version or '版本日期未知'}版 · {c.jurisdiction} · {c.level} · {status}"


def compose(result: SearchResult, question: str | None = None) -> Answer:
    question = question or result.query
    law_hits = [h for h in result.hits if h.chunk.level != "案例"]
    cases = [h for h in result.hits if h.chunk.level == "案例"]
    if result.no_basis or not law_hits:
        return Answer(question, True, "offline",
                      conclusion=(result.reason or "本地法规库中没有找到能回答这个问题的条文。")
                      + " 建议：写明具体行为、地点或法规名称（如「上海市生活垃圾管理条例」）后再问。",
                      related=result.hits[:3], reason=result.reason)
    basis = _choose_basis(law_hits)
    penalties = _penalties(basis, question)
    departments = list(dict.fromkeys(p.department for p in penalties if p.department))
    return Answer(question, False, "offline", conclusion=_conclusion(basis, penalties, question),
                  basis=basis, penalties=penalties, departments=departments, cases=cases[:2])


def _choose_basis(hits: list[Hit]) -> list[Hit]:
    """Direct citations first; otherwise the top hits whose score is close to the best."""
    direct = [h for h in hits if h.direct]
    if direct:
        return direct[:MAX_BASIS]
    best = hits[0].score
    return [h for h in hits[:MAX_BASIS] if h.score >= 0.6 * best]


def _relevance(clause: PenaltyClause, question: str) -> float:
    """How well a clause fits the question: shared characters of its conduct and subject."""
    target = (clause.conduct or "") + (clause.subject or "")
    shared = sum(1 for ch in set(question) if ch in target and "\u4e00" <= ch <= "\u9fff")
    subject_bonus = 3 if clause.subject and clause.subject in question else 0
    return shared + subject_bonus


def _penalties(basis: list[Hit], question: str) -> list[PenaltySummary]:
    scored: list[tuple[float, int, PenaltySummary]] = []
    for rank, hit in enumerate(basis):
        for clause in extract_penalties(hit.chunk.text):
            summary = PenaltySummary(cite(hit), clause.subject, clause.conduct, clause.department,
                                     clause.measures, [format_fine(f) for f in clause.fines])
            scored.append((_relevance(clause, question) - 2 * rank, rank, summary))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [s for _, _, s in scored[:4]]


def _conclusion(basis: list[Hit], penalties: list[PenaltySummary], question: str) -> str:
    top = basis[0]
    if penalties:
        p = penalties[0]
        conduct = f"{p.subject or ''}{p.conduct or '有该违法行为'}".strip()
        consequence = []
        if p.department:
            consequence.append(f"由{p.department}" + ("、".join(p.measures) if p.measures else "处理"))
        elif p.measures:
            consequence.append("、".join(p.measures))
        if p.fines:
            consequence.append("罚款 " + "；".join(p.fines))
        return f"{_trim(conduct, 80)}的，{'，'.join(consequence)}。（{p.citation.label()}）"
    first = top.chunk.text.split("\n")[0]
    first = first.removeprefix(top.chunk.article_label or "").strip()
    return f"依据{cite(top).label()}：{_trim(first, 160)}"


def _trim(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
