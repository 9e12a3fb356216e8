"""The bench's external anchor (china-law-mcp, the `bench` extra) over an export of the tiny index."""
from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("china_law_mcp")
pytest.importorskip("rank_bm25")

from evals.anchor import AnchorSearch, export_sqlite
from tests.unit.tiny_corpus import GARBAGE, PROPERTY


def test_export_writes_current_articles_in_its_schema(tiny_settings, tmp_path):
    counts = export_sqlite(tiny_settings, tmp_path / "laws.db")
    db = sqlite3.connect(tmp_path / "laws.db")
    rows = db.execute("SELECT law_name, level, status, article_no, article_no_arabic, article_text "
                      "FROM articles").fetchall()
    assert counts == {"laws": db.execute("SELECT COUNT(*) FROM laws").fetchone()[0], "articles": len(rows)}
    by_key = {(r[0], r[4]): r for r in rows}
    assert len(by_key) == len(rows)  # one row per article: the superseded 物业 version is left out
    _, level, status, no, arabic, text = by_key[(GARBAGE, 57)]
    assert (level, status, no, arabic) == ("地方性法规", "现行有效", "第五十七条", 57)
    assert text.startswith("单位违反本条例") and "处五十元以上二百元以下罚款" in text  # label stripped
    assert "二万元以上二十万元以下" in by_key[(PROPERTY, 83)][5]


def test_anchor_finds_the_garbage_penalty(tiny_settings, tmp_path):
    with AnchorSearch(tiny_settings, workdir=tmp_path) as anchor:
        assert anchor.index.parent == tmp_path and anchor.index.exists()
        hits, ms = anchor.timed("个人混投生活垃圾拒不改正罚多少", top_k=6)
    assert ms > 0
    assert (GARBAGE, 57) in [(h["law_name"], h["article_no_arabic"]) for h in hits]
