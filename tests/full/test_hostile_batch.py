"""Full tier (no ../shared needed, but slow): a 10,000-row spreadsheet with hostile cells, and a
read-only data dir used by another user through the real CLI process."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.triage.batch import Table, XlsxWriter, triage_table
from assistant.triage.service import Triager
from tests.unit.conftest import (  # noqa: F401 — the tiny library's fixtures, used here too
    tiny_authored,
    tiny_corpus,
    tiny_settings,
    tiny_settings_for,
)

REPO = Path(__file__).resolve().parents[2]


def test_ten_thousand_rows_with_one_percent_hostile_cells(tiny_authored, tmp_path):
    settings = tiny_settings_for(tmp_path, tmp_path).model_copy(
        update={"authored_dir": tiny_authored[0], "triage_labels_path": tiny_authored[1]})
    hostile = ["控制\x00字符\x1b[31m", "占" * 100_000, "=1+1", "@SUM(A1)", "\udc80", "<img src=x onerror=alert(1)>"]
    rows = [[i, hostile[i // 100 % len(hostile)] if i % 100 == 7 else f"第{i}号 路边摊占道经营"] for i in range(10_000)]

    table = Table(["编号", "内容"], iter(rows), None, len(rows))
    writer = XlsxWriter(table.columns)
    started = time.perf_counter()
    results = list(triage_table(Triager(settings), table, 1, writer))
    seconds = time.perf_counter() - started
    assert [r.id for r in results] == list(range(10_000))  # every row accounted for, in order
    flagged = [r for r in results if r.id % 100 == 7]
    assert all(r.needs_review for r in flagged), [r.message for r in flagged if not r.needs_review][:3]
    out = io.BytesIO()
    writer.save(out)
    written = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True).active.iter_rows(values_only=True))
    assert len(written) == 10_001 and [r[0] for r in written[1:]] == list(range(10_000))
    print(f"10,000 rows (100 hostile) triaged and written in {seconds:.1f} s")


def _as_unprivileged(cmd: list[str], env: dict) -> subprocess.CompletedProcess:
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + cmd, env=env, capture_output=True, text=True, timeout=300, cwd="/")


def test_read_only_data_dir_searches_and_answers_without_writing(tiny_settings):
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no way to make a directory read-only")
    root = Path(tempfile.mkdtemp(prefix="ro-index-"))
    data = root / "data"
    shutil.copytree(tiny_settings.data_dir, data)
    before = {p: p.stat().st_mtime_ns for p in data.rglob("*")}
    for p in [root, *root.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    env = {"PATH": os.environ["PATH"], "HOME": str(root), "PYTHONPATH": str(REPO),
           "ASSISTANT_DATA_DIR": str(data), "ASSISTANT_CORPUS_PATH": str(tiny_settings.corpus_path),
           "ASSISTANT_EMBEDDER": "hashing", "ASSISTANT_USER_DOCS_PATH": ""}
    try:
        for args in (["search", "个人混投生活垃圾", "--json"], ["ask", "个人垃圾混投拒不改正罚多少？", "--json"],
                     ["status", "--json"]):
            done = _as_unprivileged([sys.executable, "-m", "assistant.cli", *args], env)
            assert done.returncode == 0, done.stderr[-1500:]
            out = json.loads(done.stdout)
            if args[0] == "search":
                # dense ranking needs the vector snapshot (Chroma itself cannot open read-only)
                snapshot = (data / "index" / "dense.npy").exists()
                assert out["hits"] and out["mode"] == ("hybrid" if snapshot else "lexical")
            if args[0] == "ask":
                assert out["citations"] and not out["no_basis"]
            if args[0] == "status":
                assert out["read_only"] is True and out["documents"] == 8
        assert {p: p.stat().st_mtime_ns for p in data.rglob("*")} == before
    finally:
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(root)


