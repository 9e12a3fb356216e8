"""Issue #13: concurrent sessions over HTTP on loopback — `python -m evals.soak_http`, short and
small here (the figure for 20 sessions × 2 minutes on the full library is the eval's own):
20 sessions through Streamlit's websocket protocol and 2 in real Chromium pages, each on the
small real index for 20 s. Every session signs in, asks, pins, triages and pins again through the
pages; nothing may fail and no confirmed pin may be missing from its notebook."""
from __future__ import annotations

import pytest

from evals.soak_http import soak_http

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("client, sessions", [("ws", 20), ("browser", 2)])
def test_concurrent_sessions_lose_nothing(built, client, sessions):
    report = soak_http(sessions, 20, built.data_dir, built.corpus_path, built.cache_dir,
                       progress=lambda m: None, client=client)
    assert report.errors == []
    assert report.asks >= sessions  # every session got at least one answer
    assert report.pins_confirmed >= sessions and report.lost_pins == 0 and report.notebook_problems == []
    assert report.pins_stored >= report.pins_confirmed
    assert report.answer_p95_s == report.answer_p95_s  # a number, not NaN
