"""The Python front door: pinned public names, defaults, and the README's example as written."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import assistant
from assistant.config import REPO_ROOT

PUBLIC = ["Answer", "Assistant", "ExamBuilder", "Filters", "IndexNotReady", "Notebook", "Retriever", "SearchResult",
          "Settings", "TriageResult", "Triager", "Turn", "index_status", "ingest"]


def test_public_names_are_pinned_and_resolve():
    assert sorted(assistant.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(assistant, name) is not None
    assert set(PUBLIC) <= set(dir(assistant))


def test_unknown_name_is_an_attribute_error():
    try:
        assistant.NotAThing  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_defaults_need_no_arguments(tiny_settings, tiny_authored, monkeypatch):
    """Assistant() and Triager() with no arguments read the environment's settings."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tiny_settings.data_dir))
    monkeypatch.setenv("ASSISTANT_CORPUS_PATH", str(tiny_settings.corpus_path))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hashing")
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    a = assistant.Assistant()
    assert a.settings.data_dir == tiny_settings.data_dir and a.mode == "offline"
    answer = a.ask("个人垃圾混投拒不改正罚多少？")
    assert isinstance(answer, assistant.Answer) and not answer.no_basis
    assert answer.citations[0].label() == "《上海市生活垃圾管理条例》第57条"
    monkeypatch.setenv("ASSISTANT_AUTHORED_DIR", str(tiny_authored[0]))
    monkeypatch.setenv("ASSISTANT_TRIAGE_LABELS_PATH", str(tiny_authored[1]))
    triager = assistant.Triager()
    assert triager.settings.authored_dir == tiny_authored[0]
    assert triager.triage("路边摊占了人行道").label == "street_vending"


def readme_python_example() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs_as_written(tmp_path, tiny_corpus, tiny_authored):
    """Run on the tiny library and taxonomy (the full tier runs it on the real ones)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {"ASSISTANT_CORPUS_PATH": str(tiny_corpus), "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
            "ASSISTANT_EMBEDDER": "hashing", "ASSISTANT_AUTHORED_DIR": str(tiny_authored[0]),
            "ASSISTANT_TRIAGE_LABELS_PATH": str(tiny_authored[1])}
    proc = subprocess.run([sys.executable, "-c", readme_python_example()], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "8 部法规" in out
    assert "《上海市生活垃圾管理条例》第57条 2019-01-31" in out
    assert "('上海市生活垃圾管理条例', 22)" in out
    assert "street_vending 城管执法部门" in out
