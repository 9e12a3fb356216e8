#!/usr/bin/env bash
# Set up (with test extras) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; }; then
  # Real-browser tests need Debian's Chromium and a CJK font (else every character is a box).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei >/dev/null
fi
bash scripts/setup.sh st,test
. .venv/bin/activate
python -m pytest -q "$@"
