"""Cold start: from `bash scripts/start.sh` in a fresh data dir to a cited answer.

    python -m evals.coldstart [--port 8599] [--timeout 300]

With the venv present (the command's own setup step then only checks it), the clock starts when
start.sh is launched with an empty data dir. Reported, each from that moment:
- index_s: the keyword index is built (start.sh's `assistant ingest --lexical-only` has returned,
  seen as the app's health endpoint answering);
- app_s: the Streamlit server answers /_stcore/health;
- answer_s: the first cited answer from the same data dir (`assistant ask --json`, a separate
  process loading the index as the app does; its citations must be non-empty).
The app's background vector build is running meanwhile, as it would for a user.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from assistant.config import REPO_ROOT

QUESTION = "跨门营业怎么罚？"


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="coldstart-"))
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "PORT": str(args.port)}
    env.pop("ASSISTANT_CACHE_PATH", None)  # nothing shared with an earlier build
    t0 = time.perf_counter()
    app = subprocess.Popen(["bash", "scripts/start.sh"], cwd=REPO_ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    out: dict = {"question": QUESTION}
    try:
        while not _healthy(args.port):
            if app.poll() is not None or time.perf_counter() - t0 > args.timeout:
                raise SystemExit(f"the app did not start (exit {app.returncode})")
            time.sleep(0.25)
        out["app_s"] = round(time.perf_counter() - t0, 1)
        ask = subprocess.run(["assistant", "ask", QUESTION, "--json"], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=args.timeout)
        answer = json.loads(ask.stdout)
        out["answer_s"] = round(time.perf_counter() - t0, 1)
        out["citations"] = [f"{c['law']}第{c['article']}条" for c in answer["citations"]]
        out["ok"] = bool(answer["citations"]) and not answer["no_basis"]
    finally:
        os.killpg(app.pid, 15)
        app.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
