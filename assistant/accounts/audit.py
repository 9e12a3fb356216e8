"""The audit log (`data_dir/audit.sqlite`): who asked, triaged, generated or changed what, and when.

Append-only: the table refuses UPDATE and DELETE (triggers), and this module has no call that
changes a row. Details are masked (`mask_personal_data`) before they are stored — a question or
a complaint may quote a phone number — and cut at MAX_DETAIL characters. Admins view, filter and
export it as CSV; cells that a spreadsheet would read as a formula are neutralised.
"""
from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from assistant.core.privacy import mask_personal_data
from assistant.core.spreadsheet import FORMULA_START
from assistant.core.sqlitedb import connect, write

ACTIONS: tuple[str, ...] = ("ask", "triage", "exam", "pin", "note", "export", "upload", "delete", "reindex",
                            "login", "logout", "qa_guide_import")
ACTION_WORDS = {"ask": "提问", "triage": "分拣", "exam": "出题", "pin": "收藏", "note": "笔记", "export": "导出",
                "upload": "上传", "delete": "删除", "reindex": "重建索引", "login": "登录", "logout": "退出",
                "qa_guide_import": "导入执法问答"}
MAX_DETAIL = 2000

MIGRATIONS: list[str] = [
    """
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY, ts REAL NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL,
      action TEXT NOT NULL, detail TEXT NOT NULL);
    CREATE INDEX audit_ts ON audit (ts);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    """,
]


@dataclass(frozen=True)
class AuditRow:
    id: int
    ts: float
    user: str
    role: str
    action: str
    detail: str

    @property
    def time_text(self) -> str:
        return datetime.fromtimestamp(self.ts).strftime("%Y-%m-%d %H:%M:%S")

    def to_json(self) -> dict:
        return {"id": self.id, "time": self.time_text, "user": self.user, "role": self.role,
                "action": self.action, "detail": self.detail}


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> AuditLog:
        return cls(settings.data_dir / "audit.sqlite")

    def record(self, user: str, role: str, action: str, detail: str = "") -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        detail = mask_personal_data(str(detail or "")[:MAX_DETAIL])
        with connect(self.path, MIGRATIONS) as db, write(db):
            db.execute("INSERT INTO audit (ts, user, role, action, detail) VALUES (?,?,?,?,?)",
                       (time.time(), user, role, action, detail))

    def query(self, user: str | None = None, action: str | None = None, since: date | float | None = None,
              until: date | float | None = None, limit: int = 5000) -> list[AuditRow]:
        """Newest first. `since`/`until` are dates (whole days, until inclusive) or Unix times."""
        if not self.path.exists():
            return []
        sql, args = "SELECT id, ts, user, role, action, detail FROM audit WHERE 1=1", []
        if user:
            sql, args = sql + " AND user = ?", [*args, user]
        if action:
            sql, args = sql + " AND action = ?", [*args, action]
        if since is not None:
            sql, args = sql + " AND ts >= ?", [*args, _ts(since)]
        if until is not None:
            sql, args = sql + " AND ts < ?", [*args, _ts(until, end=True)]
        with connect(self.path, MIGRATIONS) as db:
            rows = db.execute(sql + " ORDER BY ts DESC, id DESC LIMIT ?", [*args, int(limit)]).fetchall()
        return [AuditRow(*r) for r in rows]

    def users(self) -> list[str]:
        if not self.path.exists():
            return []
        with connect(self.path, MIGRATIONS) as db:
            return [r[0] for r in db.execute("SELECT DISTINCT user FROM audit ORDER BY user")]


def _ts(value: date | float, end: bool = False) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, date):
        day = value + timedelta(days=1) if end else value
        return datetime(day.year, day.month, day.day).timestamp()
    return float(value)


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (a formula) gets a leading '."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[AuditRow]) -> str:
    """UTF-8 CSV with a BOM (Excel opens it as UTF-8), Chinese headers."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["时间", "用户", "角色", "操作", "详情"])
    for r in rows:
        out.writerow([safe_cell(v) for v in (r.time_text, r.user, r.role, ACTION_WORDS.get(r.action, r.action), r.detail)])
    return "\ufeff" + buf.getvalue()
