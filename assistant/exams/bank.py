"""Validation of an existing question bank (rows in the XLSX import layout): every 出处 is looked
up in the library (unknown law or article reported), the key is checked against the cited text
with the same self-check as generated questions, and duplicate stems are reported."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.legaltext import read_number
from assistant.exams.check import (
    NEAR_DUP_JACCARD,
    REASON_TEXT,
    UNVERIFIABLE,
    check_question,
    shingles,
)
from assistant.exams.export import BankRow
from assistant.exams.library import Library
from assistant.exams.models import LETTERS, Question, Source
from assistant.exams.scope import ScopeError, resolve_law
from assistant.exams.values import jaccard, norm

TYPE_WORDS = {
    "single": ("单选", "单选题", "单项选择", "单项选择题"),
    "multi": ("多选", "多选题", "多项选择", "多项选择题", "不定项选择题"),
    "judge": ("判断", "判断题", "是非题"),
    "blank": ("填空", "填空题"),
    "case": ("案例", "案例分析", "案例分析题", "简答题", "论述题"),
}
TRUE_WORDS = ("正确", "对", "√", "是", "T", "TRUE", "Y")
FALSE_WORDS = ("错误", "错", "×", "否", "F", "FALSE", "N")
CITATION = re.compile(
    r"《(?P<law>(?:[^《》]|《[^《》]*》)+)》\s*第\s*(?P<art>[零〇一二两三四五六七八九十百千\d]+)\s*条"
    r"(?:之[一二三四五六七八九十]+)?"
    r"(?:第(?P<para>[零〇一二两三四五六七八九十\d]+)款)?"
    r"(?:第[（(]?(?P<item>[零〇一二两三四五六七八九十\d]+)[)）]?项)?"
    r"(?:\s*[（(](?P<ver>\d{4}-\d{2}-\d{2})版?[)）])?"
)


@dataclass
class RowReport:
    row: int
    stem: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"row": self.row, "stem": self.stem[:80], "ok": self.ok, "problems": self.problems, "notes": self.notes}


@dataclass
class BankReport:
    rows: list[RowReport]
    counts: dict[str, int] = field(default_factory=dict)  # problem kind → rows

    def to_json(self) -> dict:
        return {"total": len(self.rows), "ok": sum(r.ok for r in self.rows),
                "with_problems": sum(not r.ok for r in self.rows), "counts": dict(self.counts),
                "rows": [r.to_json() for r in self.rows if r.problems or r.notes]}


def qtype_of(word: str) -> str | None:
    word = word.strip()
    return next((t for t, words in TYPE_WORDS.items() if word in words or word == t), None)


def _answer(qtype: str, raw: str) -> str | bool | None:
    raw = raw.strip()
    if qtype in ("single", "multi"):
        letters = "".join(sorted(set(re.sub(r"[^A-Ea-e]", "", raw).upper())))
        return letters or None
    if qtype == "judge":
        up = raw.upper()
        return True if up in TRUE_WORDS else False if up in FALSE_WORDS else None
    return raw or None


def parse_row(row: BankRow, library: Library, aliases: Path | None) -> tuple[Question | None, str | None, list[str]]:
    """(question, the cited article's text, problems) for one row."""
    cells = row.cells
    qtype = qtype_of(cells.get("题型", ""))
    if qtype is None:
        return None, None, [f"题型无法识别：「{cells.get('题型', '')}」"]
    m = CITATION.search(cells.get("出处", ""))
    if not m:
        return None, None, ["出处无法识别（应写作《法规全称》第N条）"]
    try:
        law = resolve_law(m["law"], library, aliases)
    except ScopeError:
        return None, None, [f"出处的法规在法规库中不存在：《{m['law']}》"]
    number = read_number(m["art"])
    version = m["ver"] or library.current_version(law)
    article = library.article(law, number or 0, version) if number else None
    if article is None:
        return None, None, [f"出处的条文不存在：《{law}》第{m['art']}条" + (f"（{m['ver']}版）" if m["ver"] else "")]
    answer = _answer(qtype, cells.get("答案", ""))
    if answer is None:
        return None, None, ["答案缺失或无法识别"]
    options = {c: cells[f"选项{c}"] for c in LETTERS if cells.get(f"选项{c}")}
    para, item = (read_number(m[g]) if m[g] else None for g in ("para", "item"))
    source = Source(law, article.number, article.version, para, item)
    q = Question(qtype, cells.get("题干", ""), options, answer, cells.get("解析", ""), source,
                 cells.get("难度", ""), cells.get("知识点", ""))
    return q, article.text, []


def validate_bank(rows: list[BankRow], library: Library, aliases: Path | None = None) -> BankReport:
    reports: list[RowReport] = []
    counts: dict[str, int] = {}
    seen: list[tuple[int, str, frozenset]] = []
    for row in rows:
        report = RowReport(row.row, row.cells.get("题干", ""))
        q, text, problems = parse_row(row, library, aliases)
        report.problems += problems
        for p in problems:
            kind = "citation" if "出处" in p else "format"
            counts[kind] = counts.get(kind, 0) + 1
        if q is not None:
            current = library.current_version(q.source.law)
            if q.source.version != current and library.has_current(q.source.law):
                report.problems.append(f"出处为旧版本（{q.source.version}），现行版本为 {current}")
                counts["superseded"] = counts.get("superseded", 0) + 1
            reasons = check_question(q, text, current, allow_superseded=True,
                                     law_text=library.law_text(q.source.law, q.source.version))
            for r in reasons:
                (report.notes if r == UNVERIFIABLE else report.problems).append(REASON_TEXT[r])
                counts[r] = counts.get(r, 0) + 1
        body = frozenset(shingles(report.stem))
        for other_row, other_stem, other in seen:
            if norm(other_stem) == norm(report.stem) or jaccard(body, other) >= NEAR_DUP_JACCARD:
                report.problems.append(f"与第{other_row}行题干重复或近似")
                counts["duplicate"] = counts.get("duplicate", 0) + 1
                break
        seen.append((row.row, report.stem, body))
        reports.append(report)
    return BankReport(reports, counts)
