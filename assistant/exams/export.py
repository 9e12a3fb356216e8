"""Papers out and question banks in: XLSX in the import layout question-bank systems take (题型,
题干, 选项A–E, 答案, 解析, 出处, 难度, 知识点), DOCX for printing (a header for 姓名/单位/得分, the
questions by type, then the answers with 解析), and reading a bank in that XLSX layout back.

The only module of the exam builder that reads or writes files besides the history."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook, load_workbook

from assistant.core.legaltext import cn_numeral
from assistant.core.spreadsheet import unescape_cell, write_text_table
from assistant.exams.models import LETTERS, TYPE_NAMES, TYPE_TITLES, Paper, Question

COLUMNS = ["题型", "题干", *(f"选项{c}" for c in LETTERS), "答案", "解析", "出处", "难度", "知识点"]
def question_row(q: Question) -> list[str]:
    options = [q.options.get(c, "") for c in LETTERS]
    return [TYPE_NAMES[q.type], q.stem, *options, q.answer_text(), q.explanation, q.source.label(),
            q.difficulty, q.knowledge_point]


def write_xlsx(questions: list[Question], target: Path | BinaryIO) -> None:
    wb = Workbook()
    ws = wb.active
    write_text_table(ws, "题库", COLUMNS, (question_row(q) for q in questions),
                     (8, 60, 20, 20, 20, 20, 20, 14, 60, 36, 6, 20))
    ws.freeze_panes = "A2"
    wb.save(target)


def xlsx_bytes(questions: list[Question]) -> bytes:
    out = io.BytesIO()
    write_xlsx(questions, out)
    return out.getvalue()


@dataclass(frozen=True)
class BankRow:
    """One row of an imported bank: its row number in the sheet and its cells by column name."""

    row: int
    cells: dict[str, str]


class BankError(ValueError):
    """A file that cannot be read as a question bank; the message is for the trainer."""


def read_xlsx(source: Path | bytes) -> list[BankRow]:
    """The rows of a bank in the import layout (header on the first row; columns found by name,
    so their order and extra columns do not matter)."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises several types for a broken file
        raise BankError(f"无法读取 Excel 文件（{type(exc).__name__}），请确认是 .xlsx 格式") from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, None) or ()]
    missing = [c for c in ("题型", "题干", "答案", "出处") if c not in header]
    if missing:
        raise BankError(f"表头缺少列：{'、'.join(missing)}（应为 {'、'.join(COLUMNS)}）")
    out = []
    for n, values in enumerate(rows, 2):
        cells = {h: unescape_cell("" if v is None else str(v).strip()) for h, v in zip(header, values) if h}
        if any(cells.values()):
            out.append(BankRow(n, cells))
    wb.close()
    return out




# --- DOCX -----------------------------------------------------------------------------------
def _section_title(n: int, qtype: str, questions: list[Question], points: float) -> str:
    total = points * len(questions)
    return (f"{cn_numeral(n)}、{TYPE_TITLES[qtype]}（共{len(questions)}题，每题{_num(points)}分，"
            f"共{_num(total)}分）")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def write_docx(paper: Paper, target: Path | BinaryIO, with_answers: bool = True) -> None:
    """The paper to print: title, 姓名/单位/得分 line, questions by type (numbered through), then
    on a new page 参考答案与解析."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    title = doc.add_heading(f"{paper.title}（{paper.variant}卷）", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("姓名：____________    单位：____________________    得分：________")
    doc.add_paragraph(f"本卷共 {len(paper.questions)} 题，满分 {_num(paper.total_points())} 分。")
    sections = paper.by_type()
    number = 0
    numbers: dict[str, int] = {}
    for k, (qtype, questions) in enumerate(sections, 1):
        doc.add_heading(_section_title(k, qtype, questions, paper.blueprint.points.get(qtype, 0)), level=2)
        for q in questions:
            number += 1
            numbers[q.id] = number
            stem = q.stem + ("（    ）" if q.type == "judge" else "")
            for i, line in enumerate(stem.split("\n")):
                doc.add_paragraph(f"{number}. {line}" if i == 0 else line)
            for letter, text in q.options.items():
                doc.add_paragraph(f"{letter}. {text}").paragraph_format.left_indent = Pt(18)
            if q.type == "case":
                for _ in range(4):
                    doc.add_paragraph("")
    if with_answers:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading("参考答案与解析", level=1)
        for k, (qtype, questions) in enumerate(sections, 1):
            doc.add_heading(f"{cn_numeral(k)}、{TYPE_TITLES[qtype]}", level=2)
            for q in questions:
                label = "参考答案" if q.type == "case" else "答案"
                doc.add_paragraph(f"{numbers[q.id]}. {label}：{q.answer_text()}")
                doc.add_paragraph(f"解析：{q.explanation}")
                doc.add_paragraph(f"出处：{q.source.label()}　难度：{q.difficulty}　知识点：{q.knowledge_point}")
    doc.save(target)


def docx_bytes(paper: Paper, with_answers: bool = True) -> bytes:
    out = io.BytesIO()
    write_docx(paper, out, with_answers)
    return out.getvalue()
