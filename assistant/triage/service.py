"""Triage one complaint or many: category, confidence, department and route, legal basis, fields
(with the place), masking."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from assistant.config import Settings
from assistant.index.tokenize import get_tokenizer
from assistant.triage.classifier import MAX_CHARS, TfidfLogistic, prepare
from assistant.triage.fields import Fields, extract_fields, mask_personal_data
from assistant.triage.places import PLACES_DIR
from assistant.triage.routing import route
from assistant.triage.taxonomy import (
    Category,
    load_contract_codes,
    load_examples,
    load_taxonomy,
)

# Confidence under which a row is flagged for a person to check. Chosen by 5-fold cross-validation
# on the train split (dev untouched): rows at or above it were 95 % right, about a third fall below.
REVIEW_BELOW = 0.3
_CJK = re.compile(r"[\u4e00-\u9fff]")
_log = logging.getLogger("assistant.triage")


@dataclass
class TriageResult:
    id: object
    label: str | None
    name: str | None
    confidence: float
    top: list[tuple[str, float]]
    is_enforcement: bool | None
    department: str | None
    basis: list[dict]
    fields: Fields
    masked_text: str
    needs_review: bool
    message: str | None = None
    # The unit the complaint goes to: the district's 城管执法局 and the street's 中队 for 城管
    # matters (assistant.triage.routing), the department otherwise.
    route: str | None = None
    # Repeat group (assistant.triage.repeats), set by the spreadsheet path; size counts the
    # group's complaints up to and including this one, earlier batches too.
    group_id: str | None = None
    group_size: int | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "confidence": round(self.confidence, 4),
                "top": [[c, round(s, 4)] for c, s in self.top], "is_enforcement": self.is_enforcement,
                "department": self.department, "route": self.route, "basis": self.basis,
                "fields": self.fields.to_json(), "masked_text": self.masked_text, "needs_review": self.needs_review,
                "message": self.message, "group_id": self.group_id, "group_size": self.group_size}


@dataclass(frozen=True)
class RowError:
    """An input row that could not be read (a JSONL line that is not JSON, say). It passes
    through triage in its place, so outputs stay in input order with the error explicit."""

    line: int
    error: str
    id: object = None

    def to_json(self) -> dict:
        return {"id": self.id, "line": self.line, "error": self.error, "label": None}


@dataclass
class Triager:
    """Classifies complaints. With no arguments it uses the default settings."""

    settings: Settings = field(default_factory=Settings)
    taxonomy: dict[str, Category] = field(init=False)

    def __post_init__(self):
        triage_dir = self.settings.authored_dir / "triage"
        self.taxonomy = load_taxonomy(triage_dir / "taxonomy.yaml")
        places = self.settings.authored_dir / "places"
        self.places_dir = places if (places / "streets.tsv").exists() else PLACES_DIR
        contract = self.settings.triage_labels_path
        if contract.exists():
            missing = set(load_contract_codes(contract)) ^ set(self.taxonomy)
            if missing:
                raise ValueError(f"分类体系与合同标签不一致：{sorted(missing)}")
        texts, labels = training_data(self.taxonomy, triage_dir / "complaints.jsonl")
        tokenizer = get_tokenizer(self.settings.authored_dir, self.settings.cache_dir)
        self.model = TfidfLogistic(tokenizer.tokenize).fit([prepare(t) for t in texts], labels)

    def triage(self, text, id=None) -> TriageResult:
        return next(self.triage_many([(id, text)]))

    def triage_many(self, rows: Iterable[tuple[object, object] | RowError],
                    batch: int = 256) -> Iterator[TriageResult | RowError]:
        """rows: (id, text) pairs, or RowError for unreadable input, which comes out as it went
        in. Results come out in order, computed batch by batch so a large spreadsheet never
        sits in memory twice."""
        buf: list[tuple[object, object] | RowError] = []
        for row in rows:
            buf.append(row)
            if len(buf) >= batch:
                yield from self._batch(buf)
                buf = []
        if buf:
            yield from self._batch(buf)

    def _batch(self, rows: list[tuple[object, object] | RowError]) -> list[TriageResult | RowError]:
        try:
            return self._classify(rows)
        except Exception:  # noqa: BLE001 — one bad row must not take its batch down: retry alone
            if len(rows) == 1:
                row = rows[0]
                _log.exception("row %s failed", getattr(row, "id", None) if isinstance(row, RowError) else row[0])
                return [row if isinstance(row, RowError) else TriageResult(
                    row[0], None, None, 0.0, [], None, None, [], Fields(), "", True, "该行无法分拣（内部错误，已记录）")]
            return [r for row in rows for r in self._batch([row])]

    def _classify(self, rows: list[tuple[object, object] | RowError]) -> list[TriageResult | RowError]:
        texts = ["" if isinstance(row, RowError) else _cell_text(row[1]) for row in rows]
        ok = [i for i, t in enumerate(texts) if t.strip()]
        probs = self.model.predict_proba([prepare(texts[i]) for i in ok]) if ok else np.zeros((0, 0))
        row_probs = dict(zip(ok, probs))
        return [row if isinstance(row, RowError) else self._result(row[0], texts[i], row_probs.get(i))
                for i, row in enumerate(rows)]

    def _result(self, rid, text: str, probs) -> TriageResult:
        text, messages = clean_text(text)
        masked = mask_personal_data(text)
        if probs is None:
            return TriageResult(rid, None, None, 0.0, [], None, None, [], Fields(), masked, True,
                                "；".join(["诉件内容为空", *messages]))
        order = np.argsort(-probs)
        classes = self.model.classes_
        top = [(classes[j], float(probs[j])) for j in order[:3]]
        code, confidence = top[0]
        cat = self.taxonomy[code]
        if len(text) > MAX_CHARS:
            messages.append(f"内容过长（{len(text)} 字），仅依据前 {MAX_CHARS} 字分类")
        cjk_share = len(_CJK.findall(text)) / max(len(text.strip()), 1)
        if cjk_share < 0.2:
            messages.append("诉件基本不是中文，分类结果仅供参考")
        fields = extract_fields(text, self.places_dir)
        if fields.note:
            messages.append(fields.note)
        needs_review = confidence < REVIEW_BELOW or cjk_share < 0.2 or bool(messages)
        return TriageResult(
            rid, code, cat.name, confidence, top, cat.is_enforcement, cat.department,
            [{"law": law, "article": art} for law, art in cat.bases], fields, masked,
            needs_review, "；".join(messages) or None, route(cat, fields.location))


# Control characters other than tab and newline: invisible, and illegal in an XLSX cell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HTML_TAG = re.compile(r"<\s*(?:script|img|iframe|svg|a|style|object|embed|link|meta)\b", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@")


def _cell_text(value) -> str:
    """A spreadsheet cell as text: empty for None and NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def clean_text(text: str) -> tuple[str, list[str]]:
    """Complaint text with control characters removed, and notes on what looked hostile
    (the row is then flagged for review, never dropped)."""
    notes = []
    if _SURROGATE.search(text):  # half of a UTF-16 pair: cannot be written to any file
        text = _SURROGATE.sub("\ufffd", text)
        notes.append("内容含无效字符，已替换")
    if _HTML_TAG.search(text):
        notes.append("内容含 HTML 标签，已按文字处理")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
        notes.append("内容含控制字符，已替换为空格")
    if text.lstrip().startswith(FORMULA_START):
        notes.append("内容以公式符号开头，已按文字处理")
    return text, notes


def training_data(taxonomy: dict[str, Category], complaints_path) -> tuple[list[str], list[str]]:
    """Authored complaints of the train split, plus each category's expressions and name."""
    pairs = load_examples(complaints_path, "train")
    for code, cat in taxonomy.items():
        pairs += [(e, code) for e in cat.expressions]
        pairs.append((f"{cat.name}：{cat.description}", code))
    return [t for t, _ in pairs], [c for _, c in pairs]
