"""Validation of guide entries against the article texts: every citation must name a law of the
library (its current version) and an article (and 款) it has; every fact must occur verbatim in a
cited article and in the answer; ids and phrasings must not repeat (nor repeat a built-in entry).

Pure: the article texts come from an `ArticleLookup` (the index's chunk store in the app, the
parsed library in the full-tier test)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from assistant.answering.qa_guide.model import GuideCitation, GuideEntry, ParsedEntry, norm_question
from assistant.core.legaltext import ARTICLE_START, ITEM_START

_SPACE = re.compile(r"\s+")
_CONTINUED = re.compile(r"^第[^条\s]+条（续）\s*")


@dataclass(frozen=True)
class ArticleText:
    """The current version of one article: its 款, each with its 项 lines."""

    law: str
    number: int
    version: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


class ArticleLookup(Protocol):
    def has_law(self, law: str) -> bool: ...

    def article(self, law: str, number: int) -> ArticleText | None:
        """The current version of the article, None when the law has no such article."""


def split_paragraphs(body: str) -> tuple[str, ...]:
    """An article body (label removed, one line per 款 or 项) → its 款 with their 项."""
    out: list[str] = []
    for line in (ln.strip() for ln in body.splitlines()):
        if not line:
            continue
        if ITEM_START.match(line) and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return tuple(out)


class StoreArticles:
    """ArticleLookup over the index's chunk store (what the app cites from)."""

    def __init__(self, store):
        self.store = store
        self._laws: set[str] | None = None

    def has_law(self, law: str) -> bool:
        if self._laws is None:
            self._laws = {d["title"] for d in self.store.laws() if d.get("kind", "law") == "law"}
        return law in self._laws

    def article(self, law: str, number: int) -> ArticleText | None:
        chunks = [c for c in self.store.article(law, number)
                  if c.status == "current" and not (c.article_label or "").count("之")]
        if not chunks:
            return None
        version = max((c.version or "" for c in chunks))
        parts = sorted((c for c in chunks if (c.version or "") == version), key=lambda c: c.part)
        text = "\n".join([parts[0].text, *(_CONTINUED.sub("", c.text) for c in parts[1:])])
        lines = text.split("\n")
        if (m := ARTICLE_START.match(lines[0])):
            lines[0] = m.group(4)
        return ArticleText(law, number, version or None, split_paragraphs("\n".join(lines)))


def squeeze(text: str) -> str:
    return _SPACE.sub("", text or "")


@dataclass
class EntryReport:
    where: str  # 第3行 / 第5行 (spreadsheet row) / 编号
    id: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entry: GuideEntry | None = None

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.problems

    def to_json(self) -> dict:
        return {"where": self.where, "id": self.id, "ok": self.ok, "problems": self.problems, "notes": self.notes}


@dataclass
class GuideReport:
    entries: list[EntryReport]
    unchanged_builtin: int = 0  # rows identical to a built-in entry (an exported guide read back)
    refused: str | None = None  # the whole file was refused (not readable, too many rows …)
    written: int | None = None  # entries written by the import (None: nothing written)

    @property
    def valid(self) -> list[GuideEntry]:
        return [r.entry for r in self.entries if r.ok]

    @property
    def rejected(self) -> list[EntryReport]:
        return [r for r in self.entries if not r.ok]

    @property
    def all_valid(self) -> bool:
        return self.refused is None and not self.rejected

    def counts(self) -> dict[str, int]:
        """Problem kind → how many entries have it."""
        kinds = {"未知出处": ("法规库中没有", "条文不存在", "款不存在", "出处无法识别"),
                 "要点不符": ("要点",), "重复": ("重复", "编号相同"), "空白或格式": ("为空", "须为", "过长", "至多", "只能含", "JSON", "字符", "公式")}
        out = {k: 0 for k in kinds}
        for r in self.entries:
            for kind, marks in kinds.items():
                if any(any(m in p for m in marks) for p in r.problems):
                    out[kind] += 1
        return {k: v for k, v in out.items() if v}

    def summary(self) -> str:
        if self.refused:
            return f"未导入：{self.refused}"
        parts = [f"共 {len(self.entries) + self.unchanged_builtin} 条", f"可导入 {len(self.valid)} 条"]
        if self.unchanged_builtin:
            parts.append(f"与内置条目相同 {self.unchanged_builtin} 条（跳过）")
        if self.written is not None:
            parts.append(f"已写入 {self.written} 条")
        if self.rejected:
            parts.append(f"有问题 {len(self.rejected)} 条（" + "，".join(f"{k} {v}" for k, v in self.counts().items()) + "）")
        return "，".join(parts)

    def to_json(self) -> dict:
        return {"summary": self.summary(), "refused": self.refused, "valid": len(self.valid), "written": self.written,
                "unchanged_builtin": self.unchanged_builtin, "counts": self.counts(),
                "entries": [r.to_json() for r in self.entries if r.problems or r.notes]}


def check_citations(entry: GuideEntry, lookup: ArticleLookup) -> list[str]:
    """Problems of one entry's citations and facts against the article texts."""
    problems: list[str] = []
    texts: list[str] = []
    for c in entry.citations:
        problems += _check_citation(c, lookup, texts)
    if len(texts) == len(entry.citations):  # facts are judged only when every citation was found
        cited = squeeze("\n".join(texts))
        for fact in entry.facts:
            if squeeze(fact) not in cited:
                problems.append(f"要点「{fact[:30]}」未在所引条文中出现")
    answer = squeeze(entry.answer)
    for fact in entry.facts:
        if squeeze(fact) not in answer:
            problems.append(f"要点「{fact[:30]}」未在回答中出现")
    return problems


def _check_citation(c: GuideCitation, lookup: ArticleLookup, texts: list[str]) -> list[str]:
    if not lookup.has_law(c.law):
        return [f"出处《{c.law[:40]}》在法规库中没有（须与法规库中的标题完全一致）"]
    article = lookup.article(c.law, c.article)
    if article is None:
        return [f"出处条文不存在：{c.label()}（现行版本）"]
    if c.paragraph and c.paragraph > len(article.paragraphs):
        return [f"出处的款不存在：{c.label()}（该条共 {len(article.paragraphs)} 款）"]
    texts.append(article.paragraphs[c.paragraph - 1] if c.paragraph else article.text)
    return []


def validate(parsed: Iterable[ParsedEntry], lookup: ArticleLookup,
             builtin: Iterable[GuideEntry] = ()) -> GuideReport:
    """A report on every parsed entry. An entry identical to a built-in one (an exported guide
    read back) is skipped and counted; one that reuses a built-in id or phrasing is a problem."""
    builtin = list(builtin)
    by_id = {e.id: e for e in builtin}
    phrasing_owner = {norm_question(q): e.id for e in builtin for q in e.questions}
    reports: list[EntryReport] = []
    seen_ids: dict[str, str] = {}
    seen_q: dict[str, str] = {}
    unchanged = 0
    for p in parsed:
        e = p.entry
        if e is not None and e.id in by_id and _same(e, by_id[e.id]):
            unchanged += 1
            continue
        report = EntryReport(p.where, e.id if e else "", list(p.problems), entry=e)
        reports.append(report)
        if e is None:
            continue
        if e.id in by_id:
            report.problems.append(f"编号「{e.id}」与内置条目编号相同（内置条目在 corpus/qa_guide 中修改）")
        elif e.id in seen_ids:
            report.problems.append(f"编号「{e.id}」重复（另见{seen_ids[e.id]}）")
        seen_ids.setdefault(e.id, p.where)
        for q in e.questions:
            key = norm_question(q)
            owner = phrasing_owner.get(key)
            if owner is not None and owner != e.id:
                report.problems.append(f"问法「{q[:30]}」与内置条目 {owner} 重复")
            elif key in seen_q:
                report.problems.append(f"问法「{q[:30]}」重复（另见{seen_q[key]}）")
            seen_q.setdefault(key, p.where)
        report.problems += check_citations(e, lookup)
    return GuideReport(reports, unchanged)


def _same(a: GuideEntry, b: GuideEntry) -> bool:
    return a.to_json() == b.to_json()
