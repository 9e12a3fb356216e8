"""The dependency direction is one-way: core ← ingestion, retrieval, answering, triage ← edges.

Every import in the product code (including imports inside functions) is read from the source
and checked against the layer table below; an upward import fails with the offending line."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT

# (module prefix, layer, group). Lower layers never import higher ones; modules of one layer
# import each other only within their own group.
LAYERS = [
    ("assistant.config", 0, "core"),
    ("assistant.core", 0, "core"),
    ("assistant.index", 1, "index"),
    ("ingestion", 2, "ingestion"),
    ("assistant.retrieval", 2, "retrieval"),
    ("assistant.triage", 2, "triage"),
    ("assistant.feedback", 2, "feedback"),
    ("assistant.accounts", 2, "accounts"),
    ("assistant.answering", 3, "answering"),
    ("assistant.exams", 3, "exams"),
    ("assistant.notebook", 3, "notebook"),
    ("assistant.cli", 4, "edge"),
    ("assistant.ui", 4, "edge"),
    ("assistant._front", 4, "edge"),
    ("assistant", 4, "edge"),  # the package's __init__: the front door
]


def layer_of(module: str) -> tuple[int, str] | None:
    for prefix, layer, group in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return layer, group
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def product_files() -> list[Path]:
    return sorted(p for pkg in ("assistant", "ingestion") for p in (REPO_ROOT / pkg).rglob("*.py"))


def violations(files: list[Path]) -> list[str]:
    out = []
    for path in files:
        importer = module_name(path)
        own = layer_of(importer)
        assert own is not None, f"{importer} has no layer: add it to LAYERS"
        for line, imported in imports_of(path):
            target = layer_of(imported)
            if target is None:
                continue  # third-party or standard library
            upward = target[0] > own[0]
            sideways = target[0] == own[0] and target[1] != own[1] and own[1] != "edge"
            if upward or sideways:
                out.append(f"{path.relative_to(REPO_ROOT)}:{line} ({own[1]}) imports {imported} ({target[1]})")
    return out


def test_no_upward_or_sideways_import():
    files = product_files()
    assert len(files) > 30
    assert violations(files) == []


def test_the_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The walker itself must fail on a violation, or the test above proves nothing."""
    bad = REPO_ROOT / "assistant" / "core" / "_probe_upward.py"
    bad.write_text("def f():\n    from ingestion.pipeline import ingest\n", encoding="utf-8")
    try:
        assert violations([bad]) == ["assistant/core/_probe_upward.py:2 (core) imports ingestion.pipeline (ingestion)"]
    finally:
        bad.unlink()


@pytest.mark.parametrize("module", ["assistant.core.models", "assistant.core.legaltext", "assistant.index.store"])
def test_core_imports_load_nothing_heavy(module):
    """Importing the core (through the lazy front door) must not pull in the heavy parts."""
    import subprocess
    import sys

    code = (f"import sys, {module}\n"
            "heavy = [m for m in ('chromadb', 'langchain_core', 'sklearn', 'streamlit', 'ingestion') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
