"""Offline answer composer: a grounded answer built only from retrieved articles (no LLM).

结论 (conduct → consequence), 法律依据 (quoted articles with law, 第N条, version, jurisdiction,
status), 处罚幅度 and 执法主体 read from the article text, related typical cases and a caveat.
"""
from __future__ import annotations

from assistant.answering.answer import Answer, CitationRef, PenaltySummary
from assistant.answering.penalty import PenaltyClause, extract_penalties, format_fine
from assistant.config import Settings
from assistant.core.models import Hit
from assistant.core.render import chunk_label
from assistant.retrieval.types import SearchResult

# Penalty clauses are ranked by characters shared with the question; a clause whose subject
# (单位, 个人) is named in the question gains SUBJECT_MATCH, and each rank further down the
# basis costs RANK_COST (both set by hand with the composer, checked on the dev half).
SUBJECT_MATCH = 3
RANK_COST = 2
# The 结论 quotes at most this much of the conduct, or of an article's first paragraph.
CONDUCT_CHARS = 80
FIRST_SENTENCE_CHARS = 160


def compose(result: SearchResult, question: str | None = None, settings: Settings | None = None) -> Answer:
    settings = settings or Settings()
    question = question or result.query
    law_hits = [h for h in result.hits if h.chunk.level != "案例"]
    cases = [h for h in result.hits if h.chunk.level == "案例"]
    if result.no_basis or not law_hits:
        return Answer(question, True, "offline",
                      conclusion=(result.reason or "本地法规库中没有找到能回答这个问题的条文。")
                      + " 建议：写明具体行为、地点或法规名称（如「上海市生活垃圾管理条例」）后再问。",
                      related=result.hits[:3], reason=result.reason)
    basis = _choose_basis(law_hits, settings)
    penalties = _penalties(basis, question, settings.max_penalties)
    departments = list(dict.fromkeys(p.department for p in penalties if p.department))
    return Answer(question, False, "offline", conclusion=_conclusion(basis, penalties, question),
                  basis=basis, penalties=penalties, departments=departments, cases=cases[:2])


def _choose_basis(hits: list[Hit], settings: Settings) -> list[Hit]:
    """Direct citations first; otherwise the top hits whose score is close to the best."""
    direct = [h for h in hits if h.direct]
    if direct:
        return direct[: settings.max_basis]
    best = hits[0].score
    return [h for h in hits[: settings.max_basis] if h.score >= settings.basis_score_ratio * best]


def _relevance(clause: PenaltyClause, question: str) -> float:
    """How well a clause fits the question: shared characters of its conduct and subject."""
    target = (clause.conduct or "") + (clause.subject or "")
    shared = sum(1 for ch in set(question) if ch in target and "\u4e00" <= ch <= "\u9fff")
    subject_bonus = SUBJECT_MATCH if clause.subject and clause.subject in question else 0
    return shared + subject_bonus


def _penalties(basis: list[Hit], question: str, limit: int) -> list[PenaltySummary]:
    scored: list[tuple[float, int, PenaltySummary]] = []
    for rank, hit in enumerate(basis):
        for clause in extract_penalties(hit.chunk.text):
            summary = PenaltySummary(CitationRef.of(hit), clause.subject, clause.conduct, clause.department,
                                     clause.measures, [format_fine(f) for f in clause.fines])
            scored.append((_relevance(clause, question) - RANK_COST * rank, rank, summary))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [s for _, _, s in scored[:limit]]


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
        return f"{_trim(conduct, CONDUCT_CHARS)}的，{'，'.join(consequence)}。（{p.citation.label()}）"
    first = top.chunk.text.split("\n")[0]
    first = first.removeprefix(top.chunk.article_label or "").strip()
    return f"依据{chunk_label(top.chunk)}：{_trim(first, FIRST_SENTENCE_CHARS)}"


def _trim(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
