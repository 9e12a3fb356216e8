"""The lay set (evals/lay.jsonl: national law asked the way citizens ask) is checked against the
real regulation texts by evals/check_lay.py: every gold law is a national regulation of the
library, its current version has the gold article, and the key phrase is that article's text.
The checker takes the corpus from the product's setting (ASSISTANT_CORPUS_PATH) and reads it
with its parser."""
from __future__ import annotations

import subprocess
import sys

from assistant.config import REPO_ROOT
from tests.full.conftest import SHARED_CORPUS


def test_lay_set_checks_against_corpus():
    proc = subprocess.run([sys.executable, "evals/check_lay.py"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={"PATH": "", "ASSISTANT_CORPUS_PATH": str(SHARED_CORPUS)})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.stdout.rstrip().splitlines()[-1] == "0 problem(s)"
    assert "by topic (dev/test):" in proc.stdout
