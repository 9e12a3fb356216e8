"""SQLite for stores that several sessions write at once (notebooks, accounts, the audit log).

- One connection per operation (`connect` is a context manager): nothing is shared between
  threads, so Streamlit's script threads and a Jupyter kernel's threads never step on each other.
- WAL journal (readers never wait for a writer) and a busy timeout (a writer waits for another
  instead of failing with "database is locked").
- Autocommit mode: every write happens inside an explicit `BEGIN IMMEDIATE … COMMIT` (`write`),
  which takes the write lock at the start, so a read-then-write (the next position of an entry)
  cannot interleave with another writer's.
- The project's own tiny migrations: a `schema_version` table and an ordered list of SQL scripts;
  script i brings the schema from version i to i + 1, and all pending scripts run in one
  transaction (a crash half-way leaves the previous version, never a partial one).
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 30_000


class StoreUnavailable(RuntimeError):
    """The store could not be opened or written (read-only or missing data dir); for the user."""


def _open(path: Path) -> sqlite3.Connection:
    # Opening can meet "database is locked" without SQLite's busy handler being asked: switching
    # a new file to WAL needs an exclusive lock, and with one connection per operation the last
    # one to close checkpoints and removes the WAL file while another opens. Under load (20
    # sessions creating their first notebooks at once) that failed a session's first pin, so
    # opening is retried, with backoff, for as long as the busy timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.01
    while True:
        try:
            return _try_open(path)
        except sqlite3.OperationalError as exc:
            if ("locked" in str(exc) or "busy" in str(exc)) and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            raise StoreUnavailable(f"无法打开数据文件 {path.name}：{exc}") from None
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"无法打开数据文件 {path.name}：{exc}") from None


def _try_open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                         check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":  # kept in the file once set
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a power cut loses at most the last commit
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def connect(path: Path, migrations: Sequence[str] = ()) -> Iterator[sqlite3.Connection]:
    """A fresh connection for one operation, migrated to the latest schema, closed afterwards."""
    db = _open(path)
    try:
        if migrations:
            migrate(db, migrations)
        yield db
    finally:
        db.close()


@contextmanager
def write(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, holding the write lock from its start."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def schema_version(db: sqlite3.Connection) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite3.Connection, migrations: Sequence[str]) -> int:
    """Apply the scripts the database has not seen yet; returns the version it is at now."""
    if _current(db) >= len(migrations):
        return len(migrations)  # the common case: no write lock taken
    with write(db):
        version = schema_version(db)  # again under the lock: another connection may have migrated
        for i in range(version, len(migrations)):
            for statement in _statements(migrations[i]):
                db.execute(statement)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (i + 1,))
    return len(migrations)


def _current(db: sqlite3.Connection) -> int:
    try:
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.OperationalError:  # no such table yet
        return 0
    return int(row[0] or 0)


def _statements(script: str) -> list[str]:
    """A script split into statements (executescript would commit the open transaction)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out
