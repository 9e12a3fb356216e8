"""Places on real and team data (issue #11): the TipDM messages from another province never get a
Shanghai district; the team's place set is well formed (evals/check_places.py) and meets its
targets on both halves; repeat grouping on the constructed batch."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from assistant.config import REPO_ROOT
from assistant.triage.places import resolve
from evals.places import load_set, score
from tests.full.conftest import SHARED_CORPUS

TIPDM = SHARED_CORPUS.parent / "external" / "tipdm2020"


@pytest.mark.parametrize("name,count", [("full_fujian3_msgs.csv", 4326), ("full_fujian4_msgs_with_replies.csv", 2816)])
def test_tipdm_messages_never_get_a_shanghai_district(name, count):
    with (TIPDM / name).open(encoding="utf-8") as f:
        texts = [f"{r['留言主题']}。{r['留言详情']}" for r in csv.DictReader(f)]
    assert len(texts) == count
    located = [(p.district, t[:60]) for t in texts if (p := resolve(t)).district]
    assert located == []


def test_place_and_repeat_sets_are_well_formed():
    proc = subprocess.run([sys.executable, "evals/check_places.py"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.stdout.rstrip().splitlines()[-1] == "0 problem(s), 0 note(s)"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_place_set_targets(split):
    s = score([r for r in load_set() if r["split"] == split])
    (d_ok, d_n), (s_ok, s_n), (n_ok, n_n) = s["district"], s["street"], s["no_place"]
    assert d_ok / d_n >= 0.90 and s_ok / s_n >= 0.80
    assert n_ok == n_n and s["ambiguous"][0] == s["ambiguous"][1]  # no place, or several districts: never a guess


def test_repeat_grouping_on_the_constructed_batch():
    from evals.repeats import run

    precision, recall = run()
    assert precision >= 0.9 and recall >= 0.9
