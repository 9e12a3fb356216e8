"""Repeat complaints: complaints about the same place and the same category within a window form
a group, kept in SQLite so that groups continue across spreadsheets.

Same place = the same normalized address (road and number, lane 弄, or estate) or, without an address,
the same landmark or road name; and districts that do not contradict each other (one of them may
be unknown). Same category = the categories overlap: a complaint the classifier is unsure about
(top probability under UNSURE_BELOW, runner-up at least half of it: 水果摊 占道 between 乱设摊 and
跨门经营) carries both. A street or a district alone is too coarse to say two complaints are about one place,
so complaints located no more precisely are not grouped (group_id None). The window slides: a
complaint joins a group whose latest complaint is at most `window_days` before it (or after it,
for a spreadsheet of older complaints). The same text twice in one group (a spreadsheet uploaded
again) counts once. Only the category, place key, district, street, time and a hash of the text
are stored, never the text."""
from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from assistant.core.legaltext import fold_digits
from assistant.triage.fields import DISTRICTS, Fields
from assistant.triage.places import LANDMARK, ROAD

# Set by hand on evals/repeats.jsonl (the only set with gold groups): pair recall 0.87 with the
# top category alone, see `python -m evals.repeats`.
UNSURE_BELOW = 0.5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL, labels TEXT NOT NULL, place_key TEXT NOT NULL, district TEXT, street TEXT, place TEXT,
    first_at TEXT NOT NULL, last_at TEXT NOT NULL, size INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS groups_key ON groups (place_key, last_at);
CREATE TABLE IF NOT EXISTS complaints (
    group_id INTEGER NOT NULL REFERENCES groups (id), text_hash TEXT NOT NULL, at TEXT NOT NULL,
    added TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS complaints_group ON complaints (group_id, text_hash);
"""
_SPACE = re.compile(r"[\s\u3000·,，、()（）]+")
# Street and district prefixes of an address: 九亭镇沪亭北路99号 and 沪亭北路99号 are one place.
_PREFIX = re.compile(r"^(?:上海市?)?(?:" + "|".join(d.removesuffix("区") for d in DISTRICTS) + r")?区?"
                     r"(?:[\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))?")


@dataclass(frozen=True)
class Group:
    id: str
    size: int


def group_name(row_id: int) -> str:
    return f"G{row_id:06d}"


def place_key(fields: Fields) -> str | None:
    """What makes two complaints "the same place", or None when the complaint is not located
    precisely enough to be grouped."""
    if fields.address:
        key = _PREFIX.sub("", fold_digits(_SPACE.sub("", fields.address)))
        # A 弄 is one estate: 曲阳路800弄5号 and 曲阳路800弄 are the same place.
        key = key[: key.index("弄") + 1] if "弄" in key else key
        if len(key) >= 3:
            return "addr:" + key
    if fields.place and fields.location.kind in (LANDMARK, ROAD):
        return "place:" + fields.place
    return None


def matter_labels(top: list[tuple[str, float]]) -> tuple[str, ...]:
    """The categories a complaint counts as: its top one, and the runner-up when the classifier
    is unsure between the two."""
    if not top:
        return ()
    (first, p1), *rest = top
    if rest and p1 < UNSURE_BELOW and rest[0][1] >= p1 / 2:
        return first, rest[0][0]
    return (first,)


def parse_when(value) -> datetime | None:
    """A date cell as a datetime: Excel dates, 2024-05-01, 2024/5/1 8:30, 2024年5月1日."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]*(\d{1,2})[:：时](\d{1,2}))?", value)
    if not m:
        return None
    y, mo, d, h, mi = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi)
    except ValueError:
        return None


class RepeatStore:
    """Groups kept in SQLite at `path` (None: in memory, for read-only deployments and tests)."""

    def __init__(self, path: Path | None, window_days: int):
        self.window = timedelta(days=window_days)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(":memory:" if path is None else str(path), timeout=30)
        self._db.executescript(_SCHEMA)
        self._pending = 0

    def assign(self, labels: tuple[str, ...], fields: Fields, text: str, when: datetime) -> Group | None:
        """The group of one triaged complaint (created when none fits), or None when it has no
        category or no precise place. labels: matter_labels(result.top), the first the category."""
        key = place_key(fields)
        if not labels or key is None:
            return None
        at = when.isoformat(timespec="seconds")
        lo = (when - self.window).isoformat(timespec="seconds")
        hi = (when + self.window).isoformat(timespec="seconds")
        district = fields.district
        found = None
        for gid, size, known, group_labels in self._db.execute(
                "SELECT id, size, district, labels FROM groups WHERE place_key = ? AND last_at >= ? AND first_at <= ?"
                " ORDER BY last_at DESC", (key, lo, hi)):
            if (known is None or district is None or known == district) and set(labels) & set(group_labels.split("|")):
                found = gid, size
                break
        text_hash = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]
        if found is None:
            cur = self._db.execute(
                "INSERT INTO groups (label, labels, place_key, district, street, place, first_at, last_at, size)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (labels[0], "|".join(labels), key, district, fields.street, fields.place, at, at))
            gid, size = cur.lastrowid, 1
        else:
            gid, size = found
            seen = self._db.execute("SELECT 1 FROM complaints WHERE group_id = ? AND text_hash = ? LIMIT 1",
                                    (gid, text_hash)).fetchone()
            if seen:
                return Group(group_name(gid), size)
            size += 1
            self._db.execute(
                "UPDATE groups SET size = ?, first_at = min(first_at, ?), last_at = max(last_at, ?),"
                " district = coalesce(district, ?), street = coalesce(street, ?) WHERE id = ?",
                (size, at, at, district, fields.street, gid))
        self._db.execute("INSERT INTO complaints VALUES (?, ?, ?, ?)",
                         (gid, text_hash, at, datetime.now().isoformat(timespec="seconds")))
        self._pending += 1
        if self._pending >= 500:
            self.commit()
        return Group(group_name(gid), size)

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self._db.close()
