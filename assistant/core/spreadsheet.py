"""Cells for the workbooks and CSV files the app writes (exam papers, 执法问答, triage results,
the audit log): text a spreadsheet program shows and never runs."""
from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Starts a spreadsheet program would run as a formula (or a DDE command).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_CHARS = 32_767  # Excel's limit for one cell
SURROGATE = re.compile(r"[\ud800-\udfff]")  # half a UTF-16 pair: no file encoding can hold it


def clean_xlsx_text(value: str) -> str:
    """Characters illegal in XLSX and lone surrogates replaced; a formula-like start prefixed with
    an apostrophe (shown, never run)."""
    value = SURROGATE.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub(" ", value))
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_cell(value):
    """A value as a workbook may hold it: text cleaned (clean_xlsx_text), at most Excel's cell length."""
    if not isinstance(value, str):
        return value
    return clean_xlsx_text(value)[:XLSX_CELL_CHARS]


def write_text_table(ws, title: str, columns, rows, widths=()) -> None:
    """A worksheet of a bold header row and one row per item, every value through safe_cell and
    every text stored as text (never a formula, whatever it starts with), wrapped at the top."""
    from openpyxl.styles import Alignment, Font

    ws.title = title
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, width in enumerate(widths):
        ws.column_dimensions[ws.cell(row=1, column=n + 1).column_letter].width = width


def unescape_cell(text: str) -> str:
    """Undo clean_xlsx_text's apostrophe: a workbook written here and read back is unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text
