"""👍 / 👎 feedback on answers, with an optional comment, kept in SQLite."""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path


class FeedbackStore:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, ts REAL, question TEXT, "
            "answer TEXT, citations TEXT, mode TEXT, rating INTEGER, comment TEXT)")

    def add(self, question: str, answer: str, citations: list[dict], mode: str, rating: int,
            comment: str | None = None) -> int:
        with self._db:
            cur = self._db.execute(
                "INSERT INTO feedback (ts, question, answer, citations, mode, rating, comment) VALUES (?,?,?,?,?,?,?)",
                (time.time(), question[:4000], answer[:20000], json.dumps(citations, ensure_ascii=False), mode,
                 int(rating), (comment or "")[:2000]))
        return int(cur.lastrowid)

    def all(self) -> list[dict]:
        rows = self._db.execute(
            "SELECT id, ts, question, answer, citations, mode, rating, comment FROM feedback ORDER BY id").fetchall()
        keys = ("id", "ts", "question", "answer", "citations", "mode", "rating", "comment")
        return [dict(zip(keys, r)) | {"citations": json.loads(r[4])} for r in rows]
