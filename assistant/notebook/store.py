"""Notebooks in SQLite (`data_dir/notebooks.sqlite`).

Every operation opens its own connection (assistant.core.sqlitedb): WAL, a busy timeout, and
writes in `BEGIN IMMEDIATE` transactions, so 20 sessions pinning at once each get their own
position and nothing is lost. A notebook belongs to its owner; sharing gives another user
read-only access (the shares table), and every change checks the owner first.
"""
from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

from assistant.core.sqlitedb import StoreUnavailable, connect, write
from assistant.notebook.models import Citation, Entry, NotebookInfo, Source

# Ordered: migration i brings the schema from version i to i + 1. Never edit one that shipped;
# append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE notebooks (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner TEXT NOT NULL,
      created_at REAL NOT NULL, updated_at REAL NOT NULL, UNIQUE (owner, name));
    CREATE TABLE entries (
      id INTEGER PRIMARY KEY,
      notebook_id INTEGER NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
      position INTEGER NOT NULL, kind TEXT NOT NULL, created_at REAL NOT NULL, owner TEXT NOT NULL,
      payload TEXT NOT NULL, citations TEXT NOT NULL);
    CREATE INDEX entries_notebook ON entries (notebook_id, position);
    CREATE TABLE shares (
      notebook_id INTEGER NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
      user TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (notebook_id, user));
    """,
    # 2: the documents a notebook's chat is restricted to (its 来源).
    """
    CREATE TABLE sources (
      notebook_id INTEGER NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
      title TEXT NOT NULL, kind TEXT NOT NULL, position INTEGER NOT NULL,
      PRIMARY KEY (notebook_id, title));
    """,
]

MAX_NAME_CHARS = 80
MAX_SOURCES = 200  # a notebook restricted to more documents than this is not restricted
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class NotebookError(ValueError):
    """A request the store refuses (no such notebook, a name in use …); the message is for the user."""


class ReadOnly(PermissionError):
    """The user may read this notebook (it was shared with them) but not change it."""


def clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise NotebookError("笔记本名称不能为空")
    if len(name) > MAX_NAME_CHARS:
        raise NotebookError(f"笔记本名称过长（最多 {MAX_NAME_CHARS} 字）")
    if _BAD_NAME.search(name):
        raise NotebookError("笔记本名称含有控制字符或无效字符")
    return name


class NotebookStore:
    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def for_settings(cls, settings) -> NotebookStore:
        return cls(settings.data_dir / "notebooks.sqlite")

    def _db(self):
        return connect(self.path, MIGRATIONS)

    # --- notebooks -----------------------------------------------------------------------
    def create(self, name: str, owner: str) -> NotebookInfo:
        name = clean_name(name)
        now = time.time()
        with self._db() as db:
            try:
                with write(db):
                    cur = db.execute("INSERT INTO notebooks (name, owner, created_at, updated_at) VALUES (?,?,?,?)",
                                     (name, owner, now, now))
            except sqlite3.IntegrityError:
                raise NotebookError(f"已有名为「{name}」的笔记本") from None
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"笔记本未能保存：{exc}") from None
            return NotebookInfo(int(cur.lastrowid), name, owner, now, now)

    def list(self, user: str) -> list[NotebookInfo]:
        """The user's own notebooks, then those shared with them (read-only)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT n.id, n.name, n.owner, n.created_at, n.updated_at, "
                "(SELECT COUNT(*) FROM entries e WHERE e.notebook_id = n.id), "
                "(SELECT group_concat(s.user, char(31)) FROM shares s WHERE s.notebook_id = n.id) "
                "FROM notebooks n WHERE n.owner = ? OR n.id IN (SELECT notebook_id FROM shares WHERE user = ?) "
                "ORDER BY n.owner != ?, n.updated_at DESC, n.id DESC", (user, user, user)).fetchall()
        return [_info(r, user) for r in rows]

    def get(self, notebook_id: int, user: str) -> NotebookInfo:
        with self._db() as db:
            row = db.execute(
                "SELECT n.id, n.name, n.owner, n.created_at, n.updated_at, "
                "(SELECT COUNT(*) FROM entries e WHERE e.notebook_id = n.id), "
                "(SELECT group_concat(s.user, char(31)) FROM shares s WHERE s.notebook_id = n.id) "
                "FROM notebooks n WHERE n.id = ?", (notebook_id,)).fetchone()
            if row is None:
                raise NotebookError("笔记本不存在或已被删除")
            info = _info(row, user)
            if info.owner != user and user not in info.shared_with:
                raise NotebookError("笔记本不存在或已被删除")  # not "forbidden": its name stays private
            return info

    def find(self, name: str, user: str) -> NotebookInfo:
        """The user's own notebook of that name, else one of that name shared with them."""
        name = " ".join(str(name or "").split())
        for info in self.list(user):
            if info.name == name:
                return info
        raise NotebookError(f"没有名为「{name}」的笔记本")

    def delete(self, notebook_id: int, user: str) -> None:
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            db.execute("DELETE FROM notebooks WHERE id = ?", (notebook_id,))

    def rename(self, notebook_id: int, name: str, user: str) -> None:
        name = clean_name(name)
        with self._db() as db:
            try:
                with write(db):
                    self._check_owner(db, notebook_id, user)
                    db.execute("UPDATE notebooks SET name = ?, updated_at = ? WHERE id = ?", (name, time.time(), notebook_id))
            except sqlite3.IntegrityError:
                raise NotebookError(f"已有名为「{name}」的笔记本") from None

    # --- sharing -------------------------------------------------------------------------
    def share(self, notebook_id: int, owner: str, reader: str) -> None:
        reader = " ".join(str(reader or "").split())
        if not reader:
            raise NotebookError("请填写要共享给的用户名")
        if reader == owner:
            raise NotebookError("不能共享给自己")
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, owner)
            db.execute("INSERT OR IGNORE INTO shares (notebook_id, user, created_at) VALUES (?,?,?)",
                       (notebook_id, reader, time.time()))

    def unshare(self, notebook_id: int, owner: str, reader: str) -> None:
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, owner)
            db.execute("DELETE FROM shares WHERE notebook_id = ? AND user = ?", (notebook_id, reader))

    # --- entries -------------------------------------------------------------------------
    def add_entry(self, notebook_id: int, user: str, kind: str, payload: dict, citations: list[Citation]) -> Entry:
        now = time.time()
        data = json.dumps(payload, ensure_ascii=False, default=str)
        cites = json.dumps([c.to_json() for c in citations], ensure_ascii=False)
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            # Under the write lock: no other writer can take the same position.
            position = db.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM entries WHERE notebook_id = ?",
                                  (notebook_id,)).fetchone()[0]
            cur = db.execute(
                "INSERT INTO entries (notebook_id, position, kind, created_at, owner, payload, citations) "
                "VALUES (?,?,?,?,?,?,?)", (notebook_id, position, kind, now, user, data, cites))
            db.execute("UPDATE notebooks SET updated_at = ? WHERE id = ?", (now, notebook_id))
        return Entry(int(cur.lastrowid), notebook_id, kind, int(position), now, user, payload, list(citations))

    def entries(self, notebook_id: int, user: str) -> list[Entry]:
        self.get(notebook_id, user)  # may the user read it?
        with self._db() as db:
            rows = db.execute(
                "SELECT id, notebook_id, kind, position, created_at, owner, payload, citations FROM entries "
                "WHERE notebook_id = ? ORDER BY position, id", (notebook_id,)).fetchall()
        return [_entry(r) for r in rows]

    def update_note(self, notebook_id: int, entry_id: int, user: str, payload: dict) -> None:
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            n = db.execute("UPDATE entries SET payload = ? WHERE id = ? AND notebook_id = ? AND kind = 'note'",
                           (json.dumps(payload, ensure_ascii=False), entry_id, notebook_id)).rowcount
            if not n:
                raise NotebookError("笔记不存在或已被删除")
            db.execute("UPDATE notebooks SET updated_at = ? WHERE id = ?", (time.time(), notebook_id))

    def move(self, notebook_id: int, entry_id: int, position: int, user: str) -> None:
        """Put the entry at `position` (0-based, clamped); the others keep their order."""
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            ids = [r[0] for r in db.execute("SELECT id FROM entries WHERE notebook_id = ? ORDER BY position, id",
                                            (notebook_id,))]
            if entry_id not in ids:
                raise NotebookError("条目不存在或已被删除")
            ids.remove(entry_id)
            ids.insert(max(0, min(int(position), len(ids))), entry_id)
            db.executemany("UPDATE entries SET position = ? WHERE id = ?", [(i, e) for i, e in enumerate(ids)])
            db.execute("UPDATE notebooks SET updated_at = ? WHERE id = ?", (time.time(), notebook_id))

    def remove(self, notebook_id: int, entry_id: int, user: str) -> None:
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            n = db.execute("DELETE FROM entries WHERE id = ? AND notebook_id = ?", (entry_id, notebook_id)).rowcount
            if not n:
                raise NotebookError("条目不存在或已被删除")
            ids = [r[0] for r in db.execute("SELECT id FROM entries WHERE notebook_id = ? ORDER BY position, id",
                                            (notebook_id,))]
            db.executemany("UPDATE entries SET position = ? WHERE id = ?", [(i, e) for i, e in enumerate(ids)])
            db.execute("UPDATE notebooks SET updated_at = ? WHERE id = ?", (time.time(), notebook_id))

    # --- sources -------------------------------------------------------------------------
    def set_sources(self, notebook_id: int, user: str, sources: list[Source]) -> None:
        """Replace the notebook's sources (in the order given; duplicates kept once)."""
        unique = list(dict.fromkeys(sources))
        if len(unique) > MAX_SOURCES:
            raise NotebookError(f"来源过多（最多 {MAX_SOURCES} 个）")
        with self._db() as db, write(db):
            self._check_owner(db, notebook_id, user)
            db.execute("DELETE FROM sources WHERE notebook_id = ?", (notebook_id,))
            db.executemany("INSERT OR IGNORE INTO sources (notebook_id, title, kind, position) VALUES (?,?,?,?)",
                           [(notebook_id, s.title, s.kind, i) for i, s in enumerate(unique)])
            db.execute("UPDATE notebooks SET updated_at = ? WHERE id = ?", (time.time(), notebook_id))

    def sources(self, notebook_id: int, user: str) -> list[Source]:
        self.get(notebook_id, user)  # may the user read it?
        with self._db() as db:
            rows = db.execute("SELECT title, kind FROM sources WHERE notebook_id = ? ORDER BY position",
                              (notebook_id,)).fetchall()
        return [Source(title, kind) for title, kind in rows]

    # --- access ----------------------------------------------------------------------------
    @staticmethod
    def _check_owner(db, notebook_id: int, user: str) -> None:
        row = db.execute("SELECT owner FROM notebooks WHERE id = ?", (notebook_id,)).fetchone()
        if row is None:
            raise NotebookError("笔记本不存在或已被删除")
        if row[0] != user:
            shared = db.execute("SELECT 1 FROM shares WHERE notebook_id = ? AND user = ?", (notebook_id, user)).fetchone()
            if shared:
                raise ReadOnly("这是他人共享给您的只读笔记本，不能修改")
            raise NotebookError("笔记本不存在或已被删除")


def _info(row, user: str) -> NotebookInfo:
    shared = tuple(sorted(row[6].split("\x1f"))) if row[6] else ()
    return NotebookInfo(int(row[0]), row[1], row[2], row[3], row[4], int(row[5]), shared, read_only=row[2] != user)


def _entry(row) -> Entry:
    return Entry(int(row[0]), int(row[1]), row[2], int(row[3]), row[4], row[5], json.loads(row[6]),
                 [Citation.from_json(c) for c in json.loads(row[7])])
