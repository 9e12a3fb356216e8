"""The answer an officer sees: 结论, 处罚幅度与执法主体, 法律依据, cases, caveat; as markdown
(CLI, app, exports) and as the JSON contract of `assistant ask --json`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answering.enforcement import Enforcer
from assistant.answering.glossary import DefinedTerm
from assistant.answering.violation import ViolatedRule
from assistant.core.legaltext import cn_numeral as _cn
from assistant.core.legaltext import shorten
from assistant.core.models import Hit
from assistant.core.render import article_label, chunk_label, version_line, version_text

if TYPE_CHECKING:
    from assistant.answering.qa_guide.match import GuideMatch

GUIDE_TITLE = "执法问答（内部指引，非法律条文）"
# A conduct naming its penalty line is cut (whole phrases, 「等」) to about this many characters.
PENALTY_CONDUCT_CHARS = 60
CAVEAT = ("以上内容依据本地法规库自动整理，仅供执法参考；具体案件请结合事实、证据和最新有效法规判断，"
          "必要时咨询法制部门。")


@dataclass
class Token:
    """A piece of a streamed reply."""

    text: str


@dataclass
class CitationRef:
    law: str
    article: int | None
    version: str | None
    jurisdiction: str | None = None
    status: str | None = None
    heading: str | None = None

    @classmethod
    def of(cls, hit: Hit) -> CitationRef:
        c = hit.chunk
        return cls(c.law, c.article, c.version, c.jurisdiction, c.status, c.heading)

    def label(self) -> str:
        return article_label(self.law, self.article, self.heading)

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
    paragraph: int | None = None  # the 款 it was read from
    # Its fines' conditions name items of the 款 before (「乱扔烟蒂…的」), or the conducts of an item
    # that names them only there (「砍伐二级保护的古树的」).
    item_tiers: bool = False
    # The conduct as its line names it when lines differ: `conduct`, or for 「…。违反规定的，由…」
    # the duty its 款 states (「经批准临时占用道路…设摊经营的，未保持周围市容环境卫生整洁」).
    about: str | None = None
    # 「由本条例第十六条规定的有关部门」 when no one item of that article is about the place asked: the
    # article (「第十六条」) and the departments it names, which share the work.
    shared_among: tuple[str, tuple[str, ...]] | None = None

    def where(self) -> str:
        return self.citation.label() + (f"第{_cn(self.paragraph)}款" if self.paragraph else "")


@dataclass
class Step:
    """One step of a procedure, as the article says it, with its citation."""

    text: str
    citation: CitationRef
    paragraph: int | None = None

    def where(self) -> str:
        return self.citation.label() + (f"第{_cn(self.paragraph)}款" if self.paragraph else "")




# After 「罚款：」 a fine is its amount: 「罚款（条文未规定数额）」 and 「处绿化补偿标准五至十倍的罚款」
# read 「罚款：罚款（…）」「罚款：处…的罚款」 there (issue #8: 「罚款 罚款（未定数额）」).
_FINE_WORDED = re.compile(r"^罚款（(条文未规定数额|数额见本条第[一二三四五六七八九十]+款)）|^处以?(?!罚款)(.+?)的?罚款(?=（|$)")


def fine_after_label(fine: str) -> str:
    """A penalty line's fine as it reads after 「罚款：」."""
    return _FINE_WORDED.sub(lambda m: m.group(1) or m.group(2), fine, count=1)


@dataclass
class Answer:
    question: str  # the standalone question that was answered (a follow-up resolved)
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
    intent: str = "penalty"  # penalty / who_enforces / procedure / definition / version
    enforcer: Enforcer | None = None
    steps: list[Step] = field(default_factory=list)  # procedure answers
    conduct: str | None = None  # the conduct of the 结论, carried into follow-ups
    quote: str | None = None  # the matched 款 as written, shown under the 结论
    # 违法依据: the rules the 结论's penalty 款 punishes breaking (「违反本条例第三十一条第二款规定」).
    violated: list[ViolatedRule] = field(default_factory=list)
    # 用语含义: the law's own definitions of terms the answer quotes (answering/glossary.py).
    defined: list[DefinedTerm] = field(default_factory=list)
    # Which of a Shanghai regulation and a national law on the same conduct applies (upper_law.py).
    notes: list[str] = field(default_factory=list)
    # The 执法问答 entry whose phrasing matches the question (answering/qa_guide): shown beside the
    # answer as internal guidance, never as its 结论 or 法律依据; citations checked against the index.
    guide: GuideMatch | None = None

    def case_titles(self) -> list[str]:
        """The typical cases shown (answer.cases holds each case's parts in order)."""
        return list(dict.fromkeys(h.chunk.law for h in self.cases))

    def own_text(self) -> str:
        """What the answer itself states (结论, penalties, steps), without quoted law text."""
        parts = [self.body or self.conclusion]
        parts += [f"{p.department or ''} {'、'.join(p.measures)} {'；'.join(p.fines)}" for p in self.penalties]
        parts += [s.text for s in self.steps]
        return "\n".join(parts)

    def _exercised_by_chengguan(self, department: str) -> bool:
        """The department an answer's 城管 power note is about (城管执法条例第十一条 gives 城管 the
        power the regulation gives it): the penalty line says so too, not only the 结论 (blind
        review D24, D30: 「由城管行使」 above, 「执法主体：市或者区绿化管理部门」 below)."""
        e = self.enforcer
        # power_item is set only when the department named is not 城管 itself (EnforcementTable.enforcer)
        return bool(e and e.chengguan and e.power_item and e.department == department)

    @property
    def citations(self) -> list[CitationRef]:
        return [CitationRef.of(h) for h in self.basis]

    def to_json(self) -> dict:
        out = {"answer": self.markdown(), "citations": [c.to_json() for c in self.citations],
               "no_basis": self.no_basis, "mode": self.mode}
        if self.guide is not None:
            out["guide"] = self.guide.to_json()
        return out

    def summary_markdown(self) -> str:
        """The answer without the quoted articles and the 执法问答 (both shown separately)."""
        return self.markdown(quote_articles=False, with_guide=False)

    def guide_markdown(self) -> str:
        """The matched 执法问答 entry: the guide's phrasing, its answer, its verified citations."""
        g = self.guide
        if g is None:
            return ""
        lines = [f"> 相近问题：「{g.phrasing}」", "", g.entry.answer, "",
                 "出处：" + "；".join(c.label() for c in g.citations)]
        if g.dropped:
            lines.append(f"\n（已删除 {len(g.dropped)} 处在法规库中找不到的出处）")
        lines.append(f"\n*内部执法问答（{g.entry.source}，编号 {g.entry.id}），供参考，不作为法律依据；以上方结论与法律依据为准。*")
        return "\n".join(lines)

    def markdown(self, quote_articles: bool = True, with_guide: bool = True) -> str:
        guide = ["", f"### {GUIDE_TITLE}", self.guide_markdown()] if with_guide and self.guide else []
        if self.no_basis:
            lines = [f"**未找到可靠依据。** {self.conclusion}"]
            if self.related:
                lines.append("\n**可能相关（未经确认，仅供参考）：**")
                lines += [f"- {chunk_label(h.chunk)}（{version_text(h.chunk.version)}）" for h in self.related]
            return "\n".join(lines + guide)
        lines = ["### 结论", self.body or self.conclusion]
        if self.quote and not self.body:
            lines.append("\n> " + self.quote.replace("\n", "\n> "))
        if self.violated:
            lines.append("\n### 违法依据（所违反的规定）")
            lines += [f"- {rule.where()}：{rule.text}" for rule in self.violated]
        if self.steps:
            lines.append("\n### 程序步骤")
            lines += [f"{n}. {s.text}（{s.where()}）" for n, s in enumerate(self.steps, 1)]
        if self.penalties:
            lines.append("\n### 处罚幅度与执法主体")
            # Lines about different conducts (非机动车条例第四十四条第二款: 楼道 → 城管, 疏散通道 →
            # 消防救援机构) each say which conduct they are about; otherwise the department and the
            # amounts would read as tiers of the 结论's conduct.
            named = len({p.about or p.conduct for p in self.penalties if p.about or p.conduct}) > 1
            for p in self.penalties:
                about = p.about or p.conduct
                conduct = f"{shorten(about, PENALTY_CONDUCT_CHARS).rstrip('的')}的" if named and about else ""
                who = "，".join(x for x in (p.subject, conduct) if x)
                who = f"{who}：" if who else ""
                parts = [f"执法主体：{p.department}"] if p.department else []
                if p is self.penalties[0] and p.department and self._exercised_by_chengguan(p.department):
                    # As the 结论 says of the conduct asked (the first line; another 款's conduct may
                    # not be in 城管's power: 特定期间施工 beside 夜间施工): 城管 exercises the power.
                    parts[0] += "（在上海由城管执法部门行使）"
                if p.measures:
                    parts.append("措施：" + "、".join(p.measures))
                if p.fines:
                    parts.append("罚款：" + "；".join(fine_after_label(f) for f in p.fines))
                lines.append(f"- {who}{'；'.join(parts)}（{p.where()}）")
        if self.defined:
            lines.append("\n### 用语含义")
            lines += [f"- {d.text}（{chunk_label(d.chunk)}）" for d in self.defined]
        if self.notes:
            lines.append("\n### 适用说明")
            lines += [f"- {note}" for note in self.notes]
        lines.append("\n### 法律依据")
        for h in self.basis:
            quote = ("\n\n  > " + h.chunk.text.replace("\n", "\n  > ")) if quote_articles else ""
            lines.append(f"- **{chunk_label(h.chunk)}**（{version_line(h.chunk)}）{quote}")
        if self.cases:
            lines.append("\n### 相关典型案例（引用了上述条文）")
            lines += [f"- {title}" for title in self.case_titles()]
        if self.flagged:
            # A count and the reasons, never the removed text: repeating it would show the
            # invented citation (and a real law's name beside it) after all.
            reasons = "、".join(dict.fromkeys(f["problem"] for f in self.flagged if f.get("problem")))
            lines.append(f"\n> 已删除 {len(self.flagged)} 处无法核实的引用" + (f"（{reasons}）" if reasons else ""))
        lines += guide
        lines.append(f"\n*{self.caveat}*")
        return "\n".join(lines)
