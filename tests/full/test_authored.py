"""The team's authored content is checked against the real regulation texts by its checkers:
every legal term, alias, article and basis they name must exist in the corpus. The checkers take
the corpus from the product's setting (ASSISTANT_CORPUS_PATH) and read it with its parser."""
from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.config import REPO_ROOT
from tests.full.conftest import SHARED_CORPUS

CHECKERS = [
    ["corpus/check_lexicon.py"],
    ["corpus/check_paraphrases.py"],
    ["corpus/check_out_of_scope.py"],
    ["corpus/check_triage.py"],
    ["evals/check_qa.py"],
    ["evals/check_review.py"],
    ["evals/check_sets.py"],
    ["evals/check_blind.py"],
]


@pytest.mark.parametrize("command", CHECKERS, ids=lambda c: c[0])
def test_authored_content_checks_against_corpus(command):
    proc = subprocess.run([sys.executable, *command], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300, env={"PATH": "", "ASSISTANT_CORPUS_PATH": str(SHARED_CORPUS)})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "0 problem" in proc.stdout or "problems: 0" in proc.stdout
