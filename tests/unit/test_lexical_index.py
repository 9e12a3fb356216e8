"""The keyword index answers which question tokens an entry contains from its postings, the same
set that segmenting the entry's text again gives."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.index.lexical import LexicalIndex, _sorted_within_columns

ENTRIES = [["跨门", "营业", "罚款"], ["渣土", "运输", "罚款", "罚款"], ["绿化", "树木"], []]


@pytest.fixture(scope="module")
def index():
    return LexicalIndex.build([f"c{i}" for i in range(len(ENTRIES))], ENTRIES)


@pytest.mark.parametrize("sorted_postings", [True, False])
def test_tokens_in_agrees_with_the_entry_tokens(index, sorted_postings):
    index._sorted_postings = sorted_postings  # bisection, and the plain scan for other layouts
    asked = ["罚款", "渣土", "树木", "跨门", "没有的词"]
    for row, tokens in enumerate(ENTRIES):
        assert index.tokens_in(asked, row) == set(asked) & set(tokens)


def test_postings_order_is_checked():
    assert _sorted_within_columns(np.array([0, 2, 5, 1, 3]), np.array([0, 3, 5]))
    assert not _sorted_within_columns(np.array([2, 0, 5, 1, 3]), np.array([0, 3, 5]))
