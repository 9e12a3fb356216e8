#!/usr/bin/env bash
# Set up and start the app on the default corpus (../shared/corpus unless ASSISTANT_CORPUS_PATH).
# The keyword index is built in seconds before the app starts; semantic vectors are built in
# the background by the app, with progress in its sidebar.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
assistant ingest --lexical-only
exec streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port "${PORT:-8501}" --server.headless true
