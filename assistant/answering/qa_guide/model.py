"""A guide entry and its citations, and the JSONL format of `corpus/qa_guide/*.jsonl`:

    {"id": "lj-geren-hunto", "questions": ["…", "…"], "answer": "…",
     "citations": [{"law": "上海市生活垃圾管理条例", "article": 57, "paragraph": 2}],
     "facts": ["五十元以上二百元以下"]}

`facts` are short strings that occur verbatim in the cited articles and in the answer: they tie
what the answer states to the law (checked by check.py)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.legaltext import cn_numeral, read_number
from assistant.core.render import book_title

# Bounds of one entry (the import refuses what is outside them).
MIN_QUESTIONS, MAX_QUESTIONS = 1, 5
MAX_QUESTION_CHARS = 100
MAX_ANSWER_CHARS = 600
MAX_FACTS = 8
MAX_CITATIONS = 6
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
# 《上海市生活垃圾管理条例》第五十七条第二款 (also 第57条, 第2款)
CITATION_TEXT = re.compile(
    r"《(?P<law>[^》]{1,80})》\s*第\s*(?P<art>[零〇一二两三四五六七八九十百千\d]{1,8})\s*条"
    r"(?:\s*第\s*(?P<para>[零〇一二两三四五六七八九十\d]{1,4})\s*款)?")
# Control characters and lone surrogates (a hostile spreadsheet can carry them; a JSONL line and
# the page cannot).
_BAD_CHARS = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PUNCT = re.compile(r"[\s，。、；：？！,.;:?!“”\"'‘’（）()《》【】\[\]…—\-~～]")


@dataclass(frozen=True)
class GuideCitation:
    law: str  # the title exactly as in the library
    article: int
    paragraph: int | None = None  # 款, 1-based

    def label(self) -> str:
        return f"{book_title(self.law)}第{cn_numeral(self.article)}条" + (
            f"第{cn_numeral(self.paragraph)}款" if self.paragraph else "")

    def to_json(self) -> dict:
        out: dict = {"law": self.law, "article": self.article}
        if self.paragraph:
            out["paragraph"] = self.paragraph
        return out


@dataclass(frozen=True)
class GuideEntry:
    id: str
    questions: tuple[str, ...]
    answer: str
    citations: tuple[GuideCitation, ...]
    facts: tuple[str, ...] = ()
    source: str = "内置"  # "内置" (corpus/qa_guide) or "导入" (data_dir/qa_guide)

    def to_json(self) -> dict:
        return {"id": self.id, "questions": list(self.questions), "answer": self.answer,
                "citations": [c.to_json() for c in self.citations], "facts": list(self.facts)}


@dataclass
class ParsedEntry:
    """An entry as read (possibly with problems), with where it came from (line or row)."""

    where: str
    entry: GuideEntry | None
    problems: list[str] = field(default_factory=list)


def norm_question(text: str) -> str:
    """A phrasing compared for duplicates: punctuation, spaces and case removed."""
    return _PUNCT.sub("", text or "").lower()


def parse_citation_text(text: str) -> GuideCitation | None:
    """「《上海市生活垃圾管理条例》第五十七条第二款」 → a citation (None when not in that form)."""
    m = CITATION_TEXT.fullmatch((text or "").strip())
    if not m:
        return None
    article = read_number(m["art"])
    para = read_number(m["para"]) if m["para"] else None
    if not article or (m["para"] and not para):
        return None
    return GuideCitation(m["law"].strip(), article, para)


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) else None


def entry_from_fields(where: str, id_, questions, answer, citations, facts, source: str) -> ParsedEntry:
    """The one place where raw fields (from JSON or a spreadsheet row) become an entry: empty or
    malformed fields are reported, never guessed."""
    problems: list[str] = []
    id_ = _text(id_) if not isinstance(id_, int) or isinstance(id_, bool) else str(id_)
    if not id_:
        problems.append("编号为空")
    elif not _ID.match(id_):
        problems.append(f"编号「{id_[:40]}」只能含字母、数字和 _ . -（至多 64 个字符）")
    qs = [_text(q) for q in (questions if isinstance(questions, (list, tuple)) else [])]
    if any(q is None for q in qs):
        problems.append("问法须为文字")
    qs = [q for q in qs if q]
    if not qs:
        problems.append("问法为空")
    if len(qs) > MAX_QUESTIONS:
        problems.append(f"问法至多 {MAX_QUESTIONS} 个（现有 {len(qs)} 个）")
    for q in qs:
        if len(q) > MAX_QUESTION_CHARS:
            problems.append(f"问法过长（至多 {MAX_QUESTION_CHARS} 字）：「{q[:20]}…」")
    if len({norm_question(q) for q in qs}) < len(qs):
        problems.append("同一条目内有重复的问法")
    answer = _text(answer)
    if not answer:
        problems.append("回答为空")
    elif len(answer) > MAX_ANSWER_CHARS:
        problems.append(f"回答过长（至多 {MAX_ANSWER_CHARS} 字）")
    cits: list[GuideCitation] = []
    for c in citations if isinstance(citations, (list, tuple)) else []:
        if isinstance(c, GuideCitation):
            cits.append(c)
        elif isinstance(c, dict) and isinstance(c.get("law"), str) and _positive(c.get("article")) \
                and (c.get("paragraph") is None or _positive(c.get("paragraph"))):
            cits.append(GuideCitation(c["law"].strip(), c["article"], c.get("paragraph")))
        elif isinstance(c, str) and (parsed := parse_citation_text(c)):
            cits.append(parsed)
        else:
            problems.append(f"出处无法识别（应写作《法规全称》第N条或第N条第M款）：{str(c)[:60]}")
    if not cits and not any(p.startswith("出处") for p in problems):
        problems.append("出处为空")
    if len(cits) > MAX_CITATIONS:
        problems.append(f"出处至多 {MAX_CITATIONS} 条")
    fs = [_text(f) for f in (facts if isinstance(facts, (list, tuple)) else [])]
    if any(f is None for f in fs):
        problems.append("要点须为文字")
    fs = [f for f in fs if f]
    if not fs:
        problems.append("要点为空（至少一个须在条文原文中出现的短语）")
    if len(fs) > MAX_FACTS:
        problems.append(f"要点至多 {MAX_FACTS} 个")
    texts = [id_ or "", *qs, answer or "", *fs, *(c.law for c in cits)]
    if any(_BAD_CHARS.search(t) for t in texts):
        problems.append("含控制字符或无效字符")
    if problems:
        return ParsedEntry(where, None, problems)
    return ParsedEntry(where, GuideEntry(id_, tuple(qs), answer, tuple(dict.fromkeys(cits)), tuple(fs), source))


def _positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000


KEYS = ("id", "questions", "answer", "citations", "facts")


def parse_jsonl(text: str, source: str = "内置") -> list[ParsedEntry]:
    """Every non-blank line, parsed; a line that is not a JSON object with exactly KEYS is reported."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"第{n}行"
        try:
            obj = json.loads(line)
        except ValueError:
            out.append(ParsedEntry(where, None, ["不是合法的 JSON"]))
            continue
        if not isinstance(obj, dict) or set(obj) != set(KEYS):
            out.append(ParsedEntry(where, None, [f"应为含 {'、'.join(KEYS)} 的 JSON 对象"]))
            continue
        out.append(entry_from_fields(where, *(obj[k] for k in KEYS), source=source))
    return out


def load_jsonl(path: Path, source: str = "内置") -> list[GuideEntry]:
    """The valid entries of one file (a missing file is an empty guide)."""
    if not path.is_file():
        return []
    return [p.entry for p in parse_jsonl(path.read_text(encoding="utf-8"), source) if p.entry]


def dumps_jsonl(entries: list[GuideEntry]) -> str:
    return "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
