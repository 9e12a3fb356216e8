"""👍 / 👎 feedback on answers, with an optional comment, kept in SQLite.

Questions and comments are written by officers and may quote a complaint: personal data is
masked before anything is stored, and rows older than the retention period are deleted."""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from assistant.core.privacy import mask_personal_data

DAY = 86_400


class FeedbackUnavailable(RuntimeError):
    """Feedback could not be stored (a read-only or deleted data dir); the message is for the user."""


class FeedbackStore:
    def __init__(self, path: Path, retention_days: int = 180):
        self.path = path
        self.retention_days = retention_days
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        """Opened on first use, and again if the file was deleted under a running app."""
        if self._db is not None and self.path.exists():
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            db.execute(
                "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, ts REAL, question TEXT, "
                "answer TEXT, citations TEXT, mode TEXT, rating INTEGER, comment TEXT)")
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackUnavailable(f"反馈未能保存：数据目录不可写（{type(exc).__name__}）") from None
        self._db = db
        return db

    def add(self, question: str, answer: str, citations: list[dict], mode: str, rating: int,
            comment: str | None = None) -> int:
        db = self._connect()
        try:
            with db:
                self._purge(db)
                cur = db.execute(
                    "INSERT INTO feedback (ts, question, answer, citations, mode, rating, comment) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (time.time(), mask_personal_data(question[:4000]), mask_personal_data(answer[:20000]),
                     json.dumps(citations, ensure_ascii=False), mode, int(rating),
                     mask_personal_data((comment or "")[:2000])))
        except sqlite3.Error as exc:
            raise FeedbackUnavailable(f"反馈未能保存：{type(exc).__name__}") from None
        return int(cur.lastrowid)

    def _purge(self, db: sqlite3.Connection) -> None:
        if self.retention_days > 0:
            db.execute("DELETE FROM feedback WHERE ts < ?", (time.time() - self.retention_days * DAY,))

    def all(self) -> list[dict]:
        db = self._connect()
        with db:
            self._purge(db)
        rows = db.execute(
            "SELECT id, ts, question, answer, citations, mode, rating, comment FROM feedback ORDER BY id").fetchall()
        keys = ("id", "ts", "question", "answer", "citations", "mode", "rating", "comment")
        return [dict(zip(keys, r)) | {"citations": json.loads(r[4])} for r in rows]
