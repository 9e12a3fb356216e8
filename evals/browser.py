"""The app on loopback and Debian's Chromium, shared by the browser tests and the HTTP soak.

Chromium is the distribution's package (`apt-get install chromium`), driven by Playwright with
`executable_path`; `playwright install` (a download) is never used. Streamlit listens on
127.0.0.1 only and sends no usage statistics.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from assistant.config import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 # Many pages at once (the HTTP soak): none of them counts as a background tab
                 # whose timers and rendering Chromium would slow down.
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]


class AppDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    """Poll url until it answers; raise early if the server process exits."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if proc.poll() is not None:
                raise AppDidNotStart(f"{what} exited early (status {proc.returncode})") from None
            time.sleep(0.3)
    proc.kill()
    raise AppDidNotStart(f"{what} did not start within {timeout:.0f} s")


@contextmanager
def running_app(env: dict[str, str], timeout: float = 60, log: Path | None = None):
    """A Streamlit server of streamlit_app.py on a free loopback port; yields (url, process)."""
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 — closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"), "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/_stcore/health", proc, "streamlit", timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def app_process_env(data_dir: Path, corpus_path: Path | None = None, cache_path: Path | None = None) -> dict[str, str]:
    """This process's environment for an app on `data_dir` (no LLM unless configured by the caller)."""
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_LLM_BASE_URL"}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    if corpus_path:
        env["ASSISTANT_CORPUS_PATH"] = str(corpus_path)
    if cache_path:
        env["ASSISTANT_CACHE_PATH"] = str(cache_path)
    return env
