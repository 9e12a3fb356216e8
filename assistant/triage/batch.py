"""Spreadsheets in and out for batch triage, streamed row by row so that memory stays bounded
however many rows a file has."""
from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assistant.core.render import article_label
from assistant.core.spreadsheet import XLSX_CELL_CHARS, clean_xlsx_text
from assistant.triage.fields import mask_personal_data
from assistant.triage.repeats import RepeatStore, matter_labels, parse_when
from assistant.triage.service import Triager, TriageResult

TEXT_COLUMN_GUESSES = ("诉件内容", "诉求内容", "内容", "留言详情", "投诉内容", "问题描述", "text", "content")
DATE_COLUMN_GUESSES = ("受理时间", "来电时间", "诉件时间", "投诉时间", "留言时间", "日期", "时间", "date")
# 重复组诉件数: the group's complaints up to and including this row (earlier spreadsheets too);
# the sheet 重复诉件组 gives each group's size at the end of the file.
RESULT_COLUMNS = ["分类代码", "分类名称", "置信度", "候选分类", "城管执法事项", "承办部门", "派单去向", "法律依据",
                  "所在区", "街镇", "地点", "地址", "时间表述", "重复投诉", "重复组", "重复组诉件数", "涉及商铺",
                  "脱敏内容", "需人工复核", "说明"]
GROUP_COLUMNS = ["重复组", "诉件数", "分类名称", "所在区", "街镇", "地点", "地址"]


class TableError(ValueError):
    """A spreadsheet that cannot be triaged; the message is meant for the user."""


@dataclass
class Table:
    columns: list[str]
    rows: Iterator[list]  # streamed
    encoding_note: str | None = None
    total: int | None = None


def _decode_csv(data: bytes) -> tuple[str, str | None]:
    for encoding, note in (("utf-8-sig", None), ("gb18030", "文件为 GBK/GB18030 编码，已自动转换")):
        try:
            return data.decode(encoding), note
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别 CSV 文件的编码，请另存为 UTF-8 后重试")


def open_table(data: bytes, name: str) -> Table:
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        text, note = _decode_csv(data)
        total = max(text.count("\n") - 1, 0) + (0 if text.endswith("\n") else 1)
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header:
            raise TableError("表格为空，没有表头")
        return Table(unique_columns([h.strip() for h in header]), reader, note, total)
    if suffix in (".xlsx", ".xlsm"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a broken file
            raise TableError(f"无法读取 Excel 文件（{type(exc).__name__}），请确认是 .xlsx 格式") from None
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise TableError("表格为空，没有表头")
        return Table(unique_columns(["" if h is None else str(h).strip() for h in header]), (list(r) for r in rows), None,
                     max((ws.max_row or 1) - 1, 0))
    raise TableError(f"不支持的文件类型 {suffix or '(无扩展名)'}：请上传 .xlsx 或 .csv")


def unique_columns(columns: list[str]) -> list[str]:
    """Header names made unique and non-empty (「内容」「内容(2)」, 「列3」): a table with two
    columns of one name must still be shown, chosen from and written."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(columns):
        name = ILLEGAL_CHARACTERS_RE.sub("", name)[:200] or f"列{i + 1}"
        n = seen.get(name, 0) + 1
        seen[name] = n
        out.append(name if n == 1 else f"{name}({n})")
    return out


def pick_text_column(columns: list[str], wanted: str | None) -> int:
    if wanted:
        if wanted in columns:
            return columns.index(wanted)
        raise TableError(f"表格中没有「{wanted}」列。现有列：{'、'.join(c or '(空)' for c in columns)}")
    for guess in TEXT_COLUMN_GUESSES:
        if guess in columns:
            return columns.index(guess)
    raise TableError(f"请指定诉件内容所在的列。现有列：{'、'.join(c or '(空)' for c in columns)}")


def pick_date_column(columns: list[str], wanted: str | None) -> int | None:
    """The column holding each complaint's date, if any (else the processing time is used)."""
    if wanted:
        if wanted in columns:
            return columns.index(wanted)
        raise TableError(f"表格中没有「{wanted}」列。现有列：{'、'.join(c or '(空)' for c in columns)}")
    return next((columns.index(g) for g in DATE_COLUMN_GUESSES if g in columns), None)


def place_text(r: TriageResult) -> str:
    """地点 as shown: the matched text, with the candidate districts when it is ambiguous."""
    loc = r.fields.location
    if loc.ambiguous:
        return f"{r.fields.place}（{'/'.join(loc.candidates)}）"
    return r.fields.place or ""


def basis_labels(r: TriageResult) -> str:
    return "；".join(article_label(b["law"], b["article"]) for b in r.basis)


def result_cells(r: TriageResult) -> list:
    return [
        r.label or "", r.name or "", round(r.confidence, 3),
        "；".join(f"{c} {s:.2f}" for c, s in r.top),
        "" if r.is_enforcement is None else ("是" if r.is_enforcement else "否"),
        r.department or "", r.route or "", basis_labels(r),
        r.fields.district or "", r.fields.street or "", place_text(r), r.fields.address or "",
        "、".join(r.fields.times), "是" if r.fields.repeat else "否", r.group_id or "",
        r.group_size, "、".join(r.fields.shops), r.masked_text,
        "是" if r.needs_review else "否", r.message or "",
    ]


# Longer text than Excel's cell limit is cut with a note in 说明 (never silently).
_TRUNCATED = "…［超长已截断］"


def safe_cell(value):
    """A value as the output workbook may hold it: personal data masked (the input columns are
    copied, and a phone column is personal data too), characters illegal in XLSX removed, text
    that would run as a formula prefixed with an apostrophe, at most XLSX_CELL_CHARS long."""
    if not isinstance(value, str):
        return value
    value = clean_xlsx_text(mask_personal_data(value))
    if len(value) > XLSX_CELL_CHARS:
        value = value[: XLSX_CELL_CHARS - len(_TRUNCATED)] + _TRUNCATED
    return value


class XlsxWriter:
    """Write-only workbook: rows go to disk as they come."""

    def __init__(self, columns: list[str]):
        self._wb = Workbook(write_only=True)
        self._ws = self._wb.create_sheet("分拣结果")
        self._append(columns + RESULT_COLUMNS)
        # Repeat groups of this file: one small row each (not the complaints), written at save.
        self.groups: dict[str, list] = {}

    def _append(self, values: list, ws=None) -> None:
        ws = ws or self._ws
        cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=safe_cell(v))
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula
            cells.append(cell)
        ws.append(cells)

    def add(self, row: list, result: TriageResult) -> None:
        cells = [("" if v is None else v) for v in row] + result_cells(result)
        if any(isinstance(v, str) and len(v) > XLSX_CELL_CHARS for v in cells):
            cells[-1] = "；".join(filter(None, [cells[-1], f"有单元格超过 {XLSX_CELL_CHARS} 字，已截断"]))
        self._append(cells)
        if result.group_id:
            f = result.fields
            row = [result.group_id, result.group_size, result.name, f.district or "", f.street or "",
                   place_text(result), f.address or ""]
            known = self.groups.setdefault(result.group_id, row)
            # the size grows; the place is the most precise any of the group's rows gave
            known[1] = max(known[1], result.group_size)
            known[3:] = [old or new for old, new in zip(known[3:], row[3:])]

    def largest_groups(self) -> list[list]:
        """Groups of two or more complaints, largest first."""
        return sorted((g for g in self.groups.values() if g[1] > 1), key=lambda g: (-g[1], g[0]))

    def save(self, target) -> None:
        groups = self.largest_groups()
        if groups:
            ws = self._wb.create_sheet("重复诉件组")
            self._append(GROUP_COLUMNS, ws)
            for g in groups:
                self._append(g, ws)
        self._wb.save(target)


def triage_table(triager: Triager, table: Table, column: int, writer: XlsxWriter,
                 max_rows: int | None = None, repeats: RepeatStore | None = None,
                 date_column: int | None = None) -> Iterator[TriageResult]:
    """Triage one column of a streamed table, writing each input row with its result to
    `writer` as results come (only the rows of the batch in flight are held). With `repeats`,
    each row joins its repeat group, dated by `date_column` when given and readable, else by
    the processing time."""
    pending: dict[int, list] = {}

    def pairs():
        for i, row in enumerate(table.rows):
            if max_rows is not None and i >= max_rows:
                break
            pending[i] = row
            yield i, (row[column] if column < len(row) else None)

    now = datetime.now().replace(microsecond=0)
    try:
        for result in triager.triage_many(pairs()):
            row = pending.pop(result.id)
            if repeats is not None:
                when = parse_when(row[date_column]) if date_column is not None and date_column < len(row) else None
                labels = matter_labels(result.top) if result.label else ()
                group = repeats.assign(labels, result.fields, result.masked_text, when or now)
                if group is not None:
                    result.group_id, result.group_size = group.id, group.size
            writer.add(row, result)
            yield result
    finally:
        if repeats is not None:
            repeats.commit()


def repeat_store(settings) -> RepeatStore:
    """The persistent store under the data dir (in memory when the deployment is read-only)."""
    path = None if settings.read_only else settings.data_dir / "triage" / "repeats.sqlite"
    try:
        return RepeatStore(path, settings.repeat_window_days)
    except (OSError, sqlite3.Error):  # a data dir that cannot be written: group within this file only
        return RepeatStore(None, settings.repeat_window_days)
