#!/usr/bin/env bash
# Set up (with test extras) and run the whole test suite: the fast tier, then the full tier.
# Arguments, if any, go to pytest instead (e.g. bash scripts/test.sh -m "not slow").
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; }; then
  # Real-browser tests need Debian's Chromium and a CJK font (else every character is a box).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
fi
bash scripts/setup.sh st,test,bench
. .venv/bin/activate
if [ $# -gt 0 ]; then exec python -m pytest -q "$@"; fi
# Fast tier first (seconds, no ../shared, no model), then the full tier.
python -m pytest -q -m "not slow" tests
python -m pytest -q -m slow tests
