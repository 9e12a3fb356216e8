"""Questions used in earlier papers, kept in SQLite under the data dir (`exams/history.sqlite`),
so that a later paper does not repeat them. A paper is recorded only when the trainer says so
(`--record`, 「登记为已使用」): previews and replaced questions do not count as used."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from assistant.config import Settings
from assistant.exams.models import Paper

SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (id INTEGER PRIMARY KEY, ts REAL, title TEXT, variant TEXT, seed INTEGER,
                                   n INTEGER);
CREATE TABLE IF NOT EXISTS used (qid TEXT NOT NULL, paper INTEGER NOT NULL, law TEXT, article INTEGER,
                                 PRIMARY KEY (qid, paper));
"""


class HistoryUnavailable(RuntimeError):
    """The history could not be written (a read-only data dir); the message is for the user."""


def history_path(settings: Settings) -> Path:
    return settings.data_dir / "exams" / "history.sqlite"


class ExamHistory:
    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def of(cls, settings: Settings) -> ExamHistory:
        return cls(history_path(settings))

    def _connect(self, write: bool) -> sqlite3.Connection | None:
        if not write and not self.path.exists():
            return None  # nothing recorded yet: nothing to avoid, and nothing is created by reading
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=30)
            db.executescript(SCHEMA)
            return db
        except (OSError, sqlite3.Error) as exc:
            if write:
                raise HistoryUnavailable(f"试卷记录未能保存：数据目录不可写（{type(exc).__name__}）") from None
            return None

    def _read(self, sql: str) -> list[tuple]:
        db = self._connect(write=False)
        if db is None:
            return []
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def used_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT qid FROM used")}

    def record(self, paper: Paper) -> int:
        """Mark the paper's questions as used; returns the paper's number in the history."""
        db = self._connect(write=True)
        try:
            with db:
                cur = db.execute("INSERT INTO papers (ts, title, variant, seed, n) VALUES (?,?,?,?,?)",
                                 (time.time(), paper.title, paper.variant, paper.seed, len(paper.questions)))
                pid = int(cur.lastrowid)
                db.executemany("INSERT OR IGNORE INTO used VALUES (?,?,?,?)",
                               [(q.id, pid, q.source.law, q.source.article) for q in paper.questions])
            return pid
        except sqlite3.Error as exc:
            raise HistoryUnavailable(f"试卷记录未能保存（{type(exc).__name__}）") from None
        finally:
            db.close()

    def papers(self) -> list[dict]:
        rows = self._read("SELECT id, ts, title, variant, seed, n FROM papers ORDER BY id")
        return [dict(zip(("id", "ts", "title", "variant", "seed", "n"), r)) for r in rows]
