"""Documents → chunks: one per article (long ones split by 款), one per case/user-doc section."""
from __future__ import annotations

import json
from pathlib import Path

from assistant.core.legaltext import ITEM_START, referenced_numbers
from assistant.core.models import Article, Chunk, Document

# About 500 tokens of e5 input; longer articles are split so that no part is truncated.
MAX_CHUNK_CHARS = 600
# How much of each referenced article (「违反本条例第二十四条」) is indexed with the one citing it.
CONTEXT_CHARS = 160


def chunk_document(doc: Document) -> list[Chunk]:
    chunks: list[Chunk] = []
    by_number = {a.number: a for a in doc.articles}
    # An undated text: the 施行 date it states (lawref.stated_in_force), shown beside 「版本日期未知」.
    in_force = None if doc.version else next((h.date for h in doc.history if h.kind == "施行"), None)
    for article in doc.articles:
        for part, text in enumerate(_split_article(article)):
            chunks.append(Chunk(
                law=doc.title, article=article.number, part=part, version=doc.version,
                jurisdiction=doc.jurisdiction, level=doc.level, chapter=article.chapter,
                status=doc.status, text=text, source=doc.path, article_label=article.label,
                context=referenced_context(text, article.number, by_number), in_force_since=in_force,
            ))
    for part, section in enumerate(doc.sections):
        for sub, text in enumerate(_split_plain(section.text)):
            chunks.append(Chunk(
                law=doc.title, article=None, part=part * 100 + sub, version=doc.version,
                jurisdiction=doc.jurisdiction, level=doc.level, chapter=None, status=doc.status,
                text=text, source=doc.path, heading=section.heading,
            ))
    return chunks


def referenced_context(text: str, own: int, by_number: dict[int, Article]) -> str | None:
    """The opening of each article that `text` refers to (its own number excluded)."""
    # Only 「本条例第N条」: indexing the openings of the articles referred to without 本条例 too
    # (「违反第四十五条规定」, 21 chunks of 13 laws) moved the diagnostic blind questions' R@5 from
    # 0.699 to 0.695 (the query adapter refitted on the changed vectors; without it, no change).
    numbers = [n for n in referenced_numbers(text, bare=False) if n != own and n in by_number]
    if not numbers:
        return None
    return " ".join(by_number[n].text[:CONTEXT_CHARS] for n in numbers[:3])


def _split_article(article: Article) -> list[str]:
    """Whole article when it fits; else groups of whole 款, each part starting with the
    article header (「第N条（续）」) so that every part still says which article it is."""
    if len(article.text) <= MAX_CHUNK_CHARS:
        return [article.text]
    parts: list[list[str]] = [[]]
    size = 0
    for para in article.paragraphs:
        body = para.full_text
        if parts[-1] and size + len(body) > MAX_CHUNK_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(body)
        size += len(body)
    return [
        f"{article.label}{'' if i == 0 else '（续）'} " + "\n".join(bodies)
        for i, bodies in enumerate(parts)
    ]


def _split_plain(text: str) -> list[str]:
    """Split a long section at paragraph breaks."""
    out, buf = [], ""
    for para in text.split("\n"):
        if buf and len(buf) + len(para) > MAX_CHUNK_CHARS:
            out.append(buf)
            buf = ""
        buf = f"{buf}\n{para}" if buf else para
    if buf:
        out.append(buf)
    return out


def index_entries(chunk: Chunk, phrases: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(entry id, text) rows that stand for a chunk in the search indexes: the whole chunk,
    plus one short view per 款 and per 项 when it has several, plus the team's colloquial
    phrasings of the article (corpus/article_paraphrases.jsonl). A question usually matches one
    item of a list article (「（六）占用道路、广场从事经营性车辆清洗活动」), or is worded the way
    people talk (「洗车店占道洗车」); as short entries these are found where the whole long article
    would be outranked."""
    entries = [(chunk.id, chunk.index_text)]
    entries += [(f"{chunk.id}#p{n}", phrase) for n, phrase in enumerate(phrases, 1)]
    lines = chunk.text.split("\n")
    if chunk.article is None or len(lines) < 2:
        return entries
    where = f"{chunk.law} {chunk.article_label}"
    lead = ""
    for n, line in enumerate(lines, 1):
        if ITEM_START.match(line):
            view = f"{where} {lead[:80]}{line}"
        else:
            lead = line.removeprefix(chunk.article_label or "").strip()
            view = f"{where} {lead}"
        entries.append((f"{chunk.id}#{n}", view))
    return entries


def load_paraphrases(*paths: Path) -> dict[tuple[str, int], list[str]]:
    """(law, article) → colloquial phrasings, for the current version of that article, from
    every given file (an article may have phrasings in several; each phrasing counted once)."""
    out: dict[tuple[str, int], list[str]] = {}
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                phrases = out.setdefault((row["law"], int(row["article"])), [])
                phrases += [p for p in row.get("phrases") or [] if p not in phrases]
    return out


def phrases_for(chunk: Chunk, paraphrases: dict[tuple[str, int], list[str]]) -> list[str]:
    if chunk.article is None or chunk.part != 0 or chunk.status != "current":
        return []
    return paraphrases.get((chunk.law, chunk.article), [])
