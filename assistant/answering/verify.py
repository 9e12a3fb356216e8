"""Check every citation in a generated reply against the index and the retrieved set.

A citation is kept only when the law and article exist in the index, in a current version, in a
jurisdiction the search allowed, and among the articles actually retrieved for this question."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.legaltext import ARTICLE_REF, cn_int
from assistant.core.models import Hit
from assistant.index.store import ChunkStore
from assistant.retrieval.lawnames import LawNames

BRACKETED = re.compile(r"《([^《》]{2,60})》\s*(?:的)?\s*" + ARTICLE_REF.pattern)
SENTENCE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?\n]?")


@dataclass(frozen=True)
class CheckedCitation:
    raw: str
    law: str | None
    article: int
    ok: bool
    problem: str | None  # 不存在 / 已被修订或废止 / 其他地区 / 未在检索结果中


def find_citations(text: str, names: LawNames) -> list[tuple[str, str | None, str, int]]:
    """(raw, resolved title or None, law as written, article) for every 《X》第N条 or X第N条."""
    found: list[tuple[str, str | None, str, int]] = []
    spans = []
    for m in BRACKETED.finditer(text):
        written = m.group(1).strip()
        found.append((m.group(0), names.names.get(written) or _fuzzy(written, names), written, cn_int(m.group(2))))
        spans.append(m.span())
    for cit in names.citations(text):
        if cit.law and not any(cit.raw in raw for raw, *_ in found):
            found.append((f"{cit.law_raw}{cit.raw}", cit.law, cit.law_raw or cit.law, cit.article))
    return found


def _fuzzy(written: str, names: LawNames) -> str | None:
    """《中华人民共和国噪声污染防治法》 vs 《噪声污染防治法》: strip the usual prefixes."""
    for prefix in ("中华人民共和国", "上海市"):
        short = written.removeprefix(prefix)
        if short in names.names:
            return names.names[short]
    return None


def check(text: str, names: LawNames, store: ChunkStore, retrieved: list[Hit],
          allowed_jurisdictions: set[str] | None) -> list[CheckedCitation]:
    retrieved_keys = {(h.chunk.law, h.chunk.article) for h in retrieved}
    out = []
    for raw, law, written, article in find_citations(text, names):
        problem = None
        chunks = store.article(law, article) if law else []
        if not law or not chunks:
            problem = "索引中不存在该条文"
        elif not any(c.status == "current" for c in chunks):
            problem = "该条文已被修订或废止"
        elif allowed_jurisdictions and not any(c.jurisdiction in allowed_jurisdictions for c in chunks):
            problem = "该条文属于其他地区"
        elif (law, article) not in retrieved_keys:
            problem = "该条文不在本次检索到的依据中"
        out.append(CheckedCitation(raw, law or written, article, problem is None, problem))
    return out


def remove_flagged(text: str, flagged: list[CheckedCitation]) -> str:
    """Drop every sentence that carries a flagged citation."""
    if not flagged:
        return text
    kept = []
    for sentence in SENTENCE.findall(text):
        if sentence and not any(f.raw in sentence for f in flagged):
            kept.append(sentence)
    return "".join(kept).strip()
