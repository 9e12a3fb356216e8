"""A notebook's sources (来源) and chat restricted to them.

The restriction is the retriever's own law filter (`Filters.laws`), so a restricted answer goes
through the same retrieval, composition and citation verification as the chat page — an LLM
reply citing anything outside the sources is flagged as 「未检索到」 like any unretrieved
citation. `outside_sources` is the last guard: nothing cited outside the sources is shown.
"""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.core.render import title_in_book
from assistant.notebook.models import Source
from assistant.notebook.store import NotebookError
from assistant.retrieval.types import Filters

# One title may hold another (《上海市实施〈…〉办法》, or 《》 inside as a reply may write it).
_LAW_NAME = re.compile(r"《((?:[^《》]|《[^《》]*》){2,80})》")


# The team's 执法问答及指引 (shipped and imported) as one source: chosen, a matched entry is shown
# under the answer as on the chat page; not chosen, it is not.
QA_GUIDE = "执法问答及指引"


def sources_from_titles(titles: list[str], library: list[dict]) -> list[Source]:
    """Titles chosen by the user → Sources, each checked against the index's documents: a title
    the index does not hold is refused by name (it may have been deleted meanwhile). Uploaded
    documents (the 内部 jurisdiction) are kind "upload", the rest "law"; QA_GUIDE is the guide."""
    by_title: dict[str, dict] = {}
    for doc in library:
        by_title.setdefault(doc["title"], doc)
    titles = [" ".join(str(t or "").split()) for t in titles]
    unknown = [t for t in titles if t and t != QA_GUIDE and t not in by_title]
    if unknown:
        raise NotebookError("法规库中没有这些文档：" + "、".join(unknown[:5]) + ("……" if len(unknown) > 5 else ""))

    def kind(title: str) -> str:
        if title == QA_GUIDE:
            return "qa_guide"
        return "upload" if by_title[title].get("jurisdiction") == "内部" else "law"

    return [Source(t, kind(t)) for t in dict.fromkeys(titles) if t]


def scope_filters(sources: list[Source], jurisdictions: list[str]) -> Filters:
    """Every version-current text of the chosen documents, whatever their region: the user chose
    them by name, so the default 上海 + 全国 scope does not apply."""
    titles = tuple(s.title for s in sources if s.kind in ("law", "upload"))
    if not titles:
        raise NotebookError("本笔记本还没有选择法规或文档作为来源：请先在「来源」中选择")
    return Filters(jurisdictions=tuple(jurisdictions) or None, laws=titles)


def _named_laws(answer) -> list[str]:
    """Titles named in the answer's own text, as the library writes them."""
    return [title_in_book(name) for name in _LAW_NAME.findall(answer.body or answer.conclusion or "")]


def outside_sources(answer, sources: list[Source]) -> list[str]:
    """Laws the answer cites or names that are not among the sources (should be none)."""
    titles = {s.title for s in sources}
    cited = [h.chunk.law for h in [*answer.basis, *answer.cases]]
    cited += [p.citation.law for p in answer.penalties]
    cited += _named_laws(answer)
    return sorted({law for law in cited if law not in titles})


def restricted(answer, sources: list[Source]):
    """The answer with anything from outside the sources removed; when its 结论 itself rests on
    another document, no answer from the sources at all (no_basis) rather than a stray citation.
    The 执法问答 entry stays only when the guide is one of the sources."""
    if getattr(answer, "guide", None) is not None and not any(s.kind == "qa_guide" for s in sources):
        answer = replace(answer, guide=None)
    outside = set(outside_sources(answer, sources))
    if not outside:
        return answer
    titles = {s.title for s in sources}
    if any(law in outside for law in _named_laws(answer)):
        return replace(answer, no_basis=True, basis=[], penalties=[], cases=[], steps=[], body=None,
                       related=[h for h in answer.related if h.chunk.law in titles],
                       conclusion="所选来源中没有可作依据的条文。可在「来源」中加入相关法规后再问。")
    return replace(answer, basis=[h for h in answer.basis if h.chunk.law in titles],
                   cases=[h for h in answer.cases if h.chunk.law in titles],
                   penalties=[p for p in answer.penalties if p.citation.law in titles],
                   related=[h for h in answer.related if h.chunk.law in titles])
