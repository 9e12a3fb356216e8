"""Users, roles and sessions (`data_dir/accounts.sqlite`).

Passwords are hashed with Argon2id (argon2-cffi, its default parameters: the RFC 9106 low-memory
profile); the hash is upgraded on the next sign-in when the library's defaults change. Session
tokens are random (secrets), given to the browser session only, and stored as their SHA-256, so a
copy of the database signs no one in. A session expires `session_hours` after sign-in.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.core.sqlitedb import connect, write

ROLES: tuple[str, ...] = ("officer", "trainer", "admin")
ROLE_WORDS = {"officer": "执法队员", "trainer": "培训员", "admin": "管理员"}
# The owner of everything when no sign-in is configured (the app and the Python API alike).
LOCAL_USER = "local"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # Argon2 takes any length; this only bounds the work one request asks for
# After this many wrong passwords in a row the account waits LOCK_SECONDS before another try.
MAX_FAILURES = 5
LOCK_SECONDS = 300
_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}$")

MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
      name TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT NOT NULL, created_at REAL NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0, locked_until REAL NOT NULL DEFAULT 0);
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      created_at REAL NOT NULL, expires_at REAL NOT NULL);
    """,
]


class AccountError(ValueError):
    """A refused request (bad name, weak password, wrong password …); the message is for the user."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: float = 0.0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_word(self) -> str:
        return ROLE_WORDS.get(self.role, self.role)


# Single-user mode: no sign-in, every right (as before issue #13).
LOCAL = User(LOCAL_USER, "admin")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError("用户名须为 1–32 个字母、数字、汉字或 _ . -")
    if name == LOCAL_USER:
        raise AccountError(f"「{LOCAL_USER}」是保留名（未启用登录时的本机用户），请换一个")
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"密码过长（最多 {MAX_PASSWORD} 位）")
    return password


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UserStore:
    def __init__(self, path: Path, session_hours: float = 8.0):
        self.path = Path(path)
        self.session_hours = session_hours

    @classmethod
    def for_settings(cls, settings) -> UserStore:
        return cls(settings.data_dir / "accounts.sqlite", settings.session_hours)

    def _db(self):
        return connect(self.path, MIGRATIONS)

    # --- users ---------------------------------------------------------------------------
    def any_users(self) -> bool:
        """False until the first user is added: the app then runs single-user, without sign-in."""
        if not self.path.exists():
            return False
        with self._db() as db:
            return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def add(self, name: str, password: str, role: str = "officer") -> User:
        name = check_name(name)
        if role not in ROLES:
            raise AccountError(f"角色只能是 {'、'.join(ROLES)}")
        hashed = hash_password(check_password(password))
        now = time.time()
        with self._db() as db:
            try:
                with write(db):
                    db.execute("INSERT INTO users (name, role, password, created_at) VALUES (?,?,?,?)",
                               (name, role, hashed, now))
            except sqlite3.IntegrityError:
                raise AccountError(f"用户「{name}」已存在") from None
        return User(name, role, now)

    def list(self) -> list[User]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
        return [User(*r) for r in rows]

    def get(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT name, role, created_at FROM users WHERE name = ?", (name,)).fetchone()
        return User(*row) if row else None

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"角色只能是 {'、'.join(ROLES)}")
        with self._db() as db, write(db):
            if role != "admin":
                self._keep_an_admin(db, name)
            if not db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name)).rowcount:
                raise AccountError(f"没有用户「{name}」")

    def set_password(self, name: str, password: str) -> None:
        hashed = hash_password(check_password(password))
        with self._db() as db, write(db):
            if not db.execute("UPDATE users SET password = ?, failures = 0, locked_until = 0 WHERE name = ?",
                              (hashed, name)).rowcount:
                raise AccountError(f"没有用户「{name}」")
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))  # signed out everywhere

    def remove(self, name: str) -> None:
        with self._db() as db, write(db):
            self._keep_an_admin(db, name)
            if not db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
                raise AccountError(f"没有用户「{name}」")

    @staticmethod
    def _keep_an_admin(db, name: str) -> None:
        admins = [r[0] for r in db.execute("SELECT name FROM users WHERE role = 'admin'")]
        if admins == [name]:
            raise AccountError("这是唯一的管理员：请先指定另一位管理员")

    # --- sign-in and sessions ------------------------------------------------------------
    def sign_in(self, name: str, password: str) -> str:
        """A new session token; AccountError (one message for a wrong name or password)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        wrong = AccountError("用户名或密码不正确")
        name = (name or "").strip()
        password = password or ""
        if len(password) > MAX_PASSWORD:
            raise wrong
        now = time.time()
        with self._db() as db:
            row = db.execute("SELECT password, failures, locked_until FROM users WHERE name = ?", (name,)).fetchone()
        hasher = _hasher()
        if row is None:
            try:  # the same work as for a real user: timing tells nothing about which names exist
                hasher.verify(_DUMMY_HASH(), password)
            except (VerificationError, InvalidHashError):
                pass
            raise wrong
        stored, _, locked_until = row
        if locked_until > now:
            raise AccountError(f"密码错误次数过多，请 {int(locked_until - now) // 60 + 1} 分钟后再试")
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            with self._db() as db, write(db):
                failures = db.execute("SELECT failures FROM users WHERE name = ?", (name,)).fetchone()[0] + 1
                lock = now + LOCK_SECONDS if failures >= MAX_FAILURES else 0
                db.execute("UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                           (0 if lock else failures, lock, name))
            raise wrong from None
        token = secrets.token_urlsafe(32)
        with self._db() as db, write(db):
            if hasher.check_needs_rehash(stored):
                db.execute("UPDATE users SET password = ? WHERE name = ?", (hasher.hash(password), name))
            db.execute("UPDATE users SET failures = 0, locked_until = 0 WHERE name = ?", (name,))
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?,?,?,?)",
                       (_token_hash(token), name, now, now + self.session_hours * 3600))
        return token

    def session_user(self, token: str | None) -> User | None:
        """The signed-in user, or None when the token is unknown, expired or its user removed."""
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.created_at, s.expires_at FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.token_hash = ?", (_token_hash(token),)).fetchone()
        if row is None or row[3] <= time.time():
            return None
        return User(row[0], row[1], row[2])

    def sign_out(self, token: str | None) -> None:
        if token:
            with self._db() as db, write(db):
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


_dummy: list[str] = []


def _DUMMY_HASH() -> str:
    if not _dummy:
        _dummy.append(hash_password(secrets.token_urlsafe(16)))
    return _dummy[0]
