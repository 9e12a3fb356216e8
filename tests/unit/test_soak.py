"""evals/soak.py in miniature: 5 concurrent sessions for 3 s on the tiny library (keyword index,
hashing embedder): asking, triaging and pinning at once loses no notebook entry and raises nothing."""
from __future__ import annotations

from evals.soak import main, soak


def test_concurrent_sessions_lose_nothing(tiny_settings, tiny_authored, tmp_path):
    authored, labels = tiny_authored
    settings = tiny_settings.model_copy(update={"authored_dir": authored, "triage_labels_path": labels})
    report = soak(sessions=5, seconds=3, state_dir=tmp_path / "state", settings=settings)
    assert report.errors == [], report.errors[:3]
    assert report.ok
    assert report.lost_pins == 0 and report.notebook_problems == [] and report.lost_audit_rows == 0
    assert report.asks >= 5 and report.triages == report.asks
    assert report.pins >= 2 * report.asks  # the answer and the triage result, every round
    assert report.audit_rows == report.asks + report.triages + report.pins
    assert 0 < report.answer_p50_ms <= report.answer_p95_ms


def test_soak_command_line(tiny_settings, tiny_authored, tmp_path, monkeypatch, capsys):
    authored, labels = tiny_authored
    monkeypatch.setenv("ASSISTANT_AUTHORED_DIR", str(authored))
    monkeypatch.setenv("ASSISTANT_TRIAGE_LABELS_PATH", str(labels))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tiny_settings.corpus_path))
    monkeypatch.delenv("ASSISTANT_USER_DOCS_PATH", raising=False)
    code = main(["--sessions", "2", "--seconds", "1", "--data-dir", str(tiny_settings.data_dir), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"lost_pins": 0' in out and '"ok": true' in out
