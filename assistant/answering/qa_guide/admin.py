"""What admins do with the guide: export it, check a spreadsheet (the report shown before
anything is written) and import it. The import replaces the imported guide
(`data_dir/qa_guide/imported.jsonl`) with the file's entries: rows identical to a built-in entry
are skipped, so an exported guide can be edited and imported back whole. It writes only when
every row is valid, or, when asked (`partial=True`), the valid rows while the report lists the
rest. Only admins import (checked here, at the moment of the change, not only by the page)."""
from __future__ import annotations

from assistant.accounts.users import User
from assistant.answering.qa_guide.check import ArticleLookup, GuideReport, validate
from assistant.answering.qa_guide.store import load_all, load_builtin, write_imported
from assistant.answering.qa_guide.xlsx import GuideFileError, export_xlsx, read_xlsx


def export_guide(settings) -> bytes:
    """Built-in and imported entries, one a row (来源 says which)."""
    return export_xlsx(load_all(settings))


def check_import(settings, data: bytes, lookup: ArticleLookup) -> GuideReport:
    """The report on a spreadsheet, nothing written."""
    try:
        parsed = read_xlsx(data, settings.qa_guide_max_rows, int(settings.qa_guide_max_mb * 1_000_000))
    except GuideFileError as exc:
        return GuideReport([], refused=str(exc))
    if not parsed:
        return GuideReport([], refused="表中没有条目（第 1 行为表头，条目从第 2 行起）")
    return validate(parsed, lookup, load_builtin(settings))


def import_guide(settings, data: bytes, lookup: ArticleLookup, user: User, partial: bool = False) -> GuideReport:
    """Check, then write when allowed: all rows valid, or `partial` and at least one valid row."""
    if not user.is_admin:
        raise PermissionError(f"只有管理员可以导入执法问答（当前用户：{user.name}）")
    report = check_import(settings, data, lookup)
    if report.refused or not (report.all_valid or (partial and report.valid)):
        return report
    write_imported(settings, report.valid)
    report.written = len(report.valid)
    return report
