#!/usr/bin/env bash
# Create .venv and install the project. Usage: bash scripts/setup.sh [extras]
#   extras: "" (app only, light) or "st,test" (adds sentence-transformers + torch 2.13.0 and test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  pip install -q --upgrade pip
  if [[ "$extras" == *st* ]]; then
    # sentence-transformers needs torch; only this exact CPU build is available offline here.
    pip install -q torch==2.13.0
  fi
  if [ -n "$extras" ]; then pip install -q -e ".[$extras]"; else pip install -q -e .; fi
  touch "$stamp"
fi
