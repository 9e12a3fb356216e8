"""The shipped 执法问答 (corpus/qa_guide/*.jsonl) against the real library: every citation names
a law of the library, an article and 款 its current version has, and every fact occurs verbatim
in the cited text (and in the entry's answer); 2–5 phrasings, none copied from evals/*.jsonl.
The checks are the product's own (the XLSX import applies them too), run by
corpus/check_qa_guide.py on articles read with ingestion's parser."""
from __future__ import annotations

import os
import subprocess
import sys

from assistant.config import REPO_ROOT
from tests.full.conftest import SHARED_CORPUS


def test_every_shipped_entry_is_backed_by_the_article_text():
    env = {"PATH": os.environ.get("PATH", ""), "ASSISTANT_CORPUS_PATH": str(SHARED_CORPUS),
           "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run([sys.executable, "corpus/check_qa_guide.py"], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 problem(s)" in proc.stdout
    entries = int(proc.stdout.rsplit(" entries", 1)[0].split()[-1])
    assert entries >= 40


def test_the_checker_catches_a_wrong_fact(tmp_path):
    """The check must fail on a fact the article does not state, or the test above proves nothing."""
    guide = (REPO_ROOT / "corpus" / "qa_guide" / "guide.jsonl").read_text(encoding="utf-8").splitlines()
    first = guide[0].replace("五十元以上二百元以下", "五十元以上三百元以下")
    assert first != guide[0]
    (tmp_path / "guide.jsonl").write_text(first + "\n", encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "ASSISTANT_CORPUS_PATH": str(SHARED_CORPUS),
           "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run([sys.executable, "corpus/check_qa_guide.py", "--dir", str(tmp_path)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1
    assert "未在所引条文中出现" in proc.stdout
