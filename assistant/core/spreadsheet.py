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
