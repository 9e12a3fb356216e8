"""The chunk store: every indexed chunk with its metadata, and the documents it came from.

SQLite because it is one file, transactional (an ingest either lands whole or not at all) and
readable by `show` without loading the search indexes.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from assistant.core.models import Chunk, Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
  id TEXT PRIMARY KEY, root TEXT NOT NULL, hash TEXT NOT NULL,
  law TEXT NOT NULL, article INTEGER, part INTEGER, version TEXT, status TEXT,
  jurisdiction TEXT, level TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_law ON chunks(law, article);
CREATE TABLE IF NOT EXISTS documents (
  root TEXT NOT NULL, path TEXT NOT NULL, title TEXT, version TEXT, status TEXT,
  data TEXT NOT NULL, PRIMARY KEY (root, path));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


class ChunkStore:
    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        if read_only:  # a data dir on a read-only volume, or ASSISTANT_READ_ONLY: never write
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                       timeout=30)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- reading -------------------------------------------------------------------------
    def hashes(self, roots: list[str] | None = None) -> dict[str, str]:
        if roots is None:
            rows = self._db.execute("SELECT id, hash FROM chunks")
        else:
            rows = self._db.execute(
                f"SELECT id, hash FROM chunks WHERE root IN ({','.join('?' * len(roots))})", roots)
        return dict(rows.fetchall())

    def all_chunks(self) -> list[Chunk]:
        rows = self._db.execute("SELECT data FROM chunks ORDER BY id").fetchall()
        return [Chunk(**json.loads(r[0])) for r in rows]

    def level_chunks(self, level: str) -> list[Chunk]:
        """Every chunk of one level (案例: the typical cases), by document and part."""
        rows = self._db.execute("SELECT data FROM chunks WHERE level = ? ORDER BY law, part", (level,)).fetchall()
        return [Chunk(**json.loads(r[0])) for r in rows]

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    def article(self, law: str, article: int, version: str | None = None) -> list[Chunk]:
        sql, args = "SELECT data FROM chunks WHERE law = ? AND article = ?", [law, article]
        if version:
            sql, args = sql + " AND version = ?", [*args, version]
        rows = self._db.execute(sql + " ORDER BY status, version DESC, part", args).fetchall()
        return [Chunk(**json.loads(r[0])) for r in rows]

    def law_chunks(self, law: str, version: str | None) -> list[Chunk]:
        """Every chunk of one version of a law, in article order."""
        sql, args = "SELECT data FROM chunks WHERE law = ?", [law]
        sql, args = (sql + " AND version = ?", [*args, version]) if version else (sql + " AND version IS NULL", args)
        rows = self._db.execute(sql + " ORDER BY article, part", args).fetchall()
        return [Chunk(**json.loads(r[0])) for r in rows]

    def laws(self) -> list[dict]:
        rows = self._db.execute("SELECT data FROM documents ORDER BY title, version").fetchall()
        out = []
        for (data,) in rows:
            d = json.loads(data)
            out.append({k: d[k] for k in ("title", "version", "status", "jurisdiction", "level",
                                          "kind", "path", "replaced_by")} | {"history": d["history"]})
        return out

    def generation(self) -> int:
        """Counts committed changes to the chunks; the search indexes record the one they match."""
        return int(self.get_meta("generation", "0") or 0)

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    # --- writing -------------------------------------------------------------------------
    def replace_root(self, root: str, docs: list[Document], chunks: list[Chunk]) -> tuple[int, int, int]:
        """Make the store hold exactly `chunks` for `root`, in one transaction.
        Returns (added, changed, removed)."""
        old = self.hashes([root])
        new = {c.id: c for c in chunks}
        added = sum(1 for i in new if i not in old)
        changed = sum(1 for i, c in new.items() if i in old and old[i] != c.content_hash)
        removed = [i for i in old if i not in new]
        with self._db:
            if added or changed or removed:
                # In the same transaction as the rows: a search index built for an older
                # generation is stale, and the next ingest rebuilds it even if it was killed.
                self._bump_generation()
            self._db.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in removed])
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(c.id, root, c.content_hash, c.law, c.article, c.part, c.version, c.status,
                  c.jurisdiction, c.level, json.dumps(c.to_dict(), ensure_ascii=False))
                 for c in chunks if c.id not in old or old[c.id] != c.content_hash],
            )
            self._db.execute("DELETE FROM documents WHERE root = ?", (root,))
            self._db.executemany(
                "INSERT INTO documents VALUES (?,?,?,?,?,?)",
                [(root, d.path, d.title, d.version, d.status,
                  json.dumps(_doc_summary(d), ensure_ascii=False)) for d in docs],
            )
        return added, changed, len(removed)

    def _bump_generation(self) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(self.generation() + 1),))

    def remove_root(self, root: str) -> int:
        """Forget a root whose folder is gone (its documents are now held elsewhere)."""
        with self._db:
            n = self._db.execute("DELETE FROM chunks WHERE root = ?", (root,)).rowcount
            self._db.execute("DELETE FROM documents WHERE root = ?", (root,))
            if n:
                self._bump_generation()
        return n

    def document_roots(self) -> dict[tuple[str, str | None], str]:
        """(title, version) → the root that holds it."""
        rows = self._db.execute("SELECT title, version, root FROM documents").fetchall()
        return {(t, v): r for t, v, r in rows}

    def set_meta(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _doc_summary(doc: Document) -> dict:
    d = asdict(doc)
    d.pop("articles"), d.pop("sections")
    d["n_articles"], d["n_sections"] = len(doc.articles), len(doc.sections)
    return d
