"""The guide as a spreadsheet for admins: one entry per row (编号, 问法1–问法5, 回答, 出处, 要点,
来源), exported for review and imported back after editing.

Export neutralises every cell a spreadsheet program would run (=, +, -, @ at the start: an
apostrophe is put before it and the cell is stored as text). Import reads the first sheet with
its header on row 1 (columns found by name), refuses a file that is not a readable XLSX, larger
than `qa_guide_max_mb` or longer than `qa_guide_max_rows` rows, and turns each row into an entry
or a list of problems (check.py then checks citations, facts and duplicates)."""
from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook, load_workbook

from assistant.answering.qa_guide.model import (
    MAX_QUESTIONS,
    GuideEntry,
    ParsedEntry,
    entry_from_fields,
)
from assistant.core.spreadsheet import unescape_cell, write_text_table

SHEET = "执法问答"
QUESTION_COLUMNS = [f"问法{i}" for i in range(1, MAX_QUESTIONS + 1)]
COLUMNS = ["编号", *QUESTION_COLUMNS, "回答", "出处", "要点", "来源"]
REQUIRED = ("编号", "问法1", "回答", "出处", "要点")
# Several citations or facts in one cell: one a line (also ；or ;).
_LIST_SEP = re.compile(r"[\n；;]+")


class GuideFileError(ValueError):
    """A file refused as a whole; the message is for the admin."""


def entry_row(e: GuideEntry) -> list[str]:
    questions = list(e.questions[:MAX_QUESTIONS]) + [""] * (MAX_QUESTIONS - len(e.questions[:MAX_QUESTIONS]))
    return [e.id, *questions, e.answer, "\n".join(c.label() for c in e.citations), "\n".join(e.facts), e.source]


def export_xlsx(entries: list[GuideEntry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    write_text_table(ws, SHEET, COLUMNS, (entry_row(e) for e in entries), (22, 28, 28, 28, 28, 28, 60, 40, 36, 8))
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value) -> tuple[str, str | None]:
    """(text, problem): a formula left in a cell is refused, not evaluated or kept."""
    if value is None:
        return "", None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if unescape_cell(text) != text:
        return unescape_cell(text), None  # what export_xlsx wrote: text, not a formula
    if text.startswith(("=", "@")):
        return "", f"单元格含公式或命令（以「{text[0]}」开头），已拒绝"
    return text, None


def read_xlsx(data: bytes, max_rows: int = 2000, max_bytes: int = 5_000_000) -> list[ParsedEntry]:
    """Every non-empty row of the first sheet as an entry or its problems. Raises GuideFileError
    for a file that is refused as a whole."""
    if not data:
        raise GuideFileError("文件为空")
    if len(data) > max_bytes:
        raise GuideFileError(f"文件过大（{len(data) / 1e6:.1f} MB，上限 {max_bytes / 1e6:g} MB）")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise GuideFileError("不是 .xlsx 文件（无法读取）")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises several types for a broken file
        raise GuideFileError(f"无法读取 Excel 文件（{type(exc).__name__}），请确认是 .xlsx 格式") from None
    try:
        return _rows(wb, max_rows)
    finally:
        wb.close()


def _rows(wb, max_rows: int) -> list[ParsedEntry]:
    if not wb.worksheets:
        raise GuideFileError("文件中没有工作表")
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, None) or ()]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GuideFileError(f"表头缺少列：{'、'.join(missing)}（应为 {'、'.join(COLUMNS)}）")
    out: list[ParsedEntry] = []
    seen = 0
    for n, values in enumerate(rows, 2):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        seen += 1
        if seen > max_rows:
            raise GuideFileError(f"行数超过 {max_rows} 行，拒绝导入（请分批导入）")
        cells: dict[str, str] = {}
        problems: list[str] = []
        for h, v in zip(header, values):
            if h in COLUMNS:
                text, problem = _cell(v)
                cells[h] = text
                if problem:
                    problems.append(f"{h}：{problem}")
        questions = [cells[c] for c in QUESTION_COLUMNS if cells.get(c)]
        citations = [c.strip() for c in _LIST_SEP.split(cells.get("出处", "")) if c.strip()]
        facts = [f.strip() for f in _LIST_SEP.split(cells.get("要点", "")) if f.strip()]
        parsed = entry_from_fields(f"第{n}行", cells.get("编号", ""), questions, cells.get("回答", ""),
                                   citations, facts, source="导入")
        if problems:
            parsed = ParsedEntry(parsed.where, None, problems + parsed.problems)
        out.append(parsed)
    return out
