import numpy as np

from assistant.retrieval.per_chunk import BestPerChunk


def test_best_entry_per_chunk_matches_ufunc_at():
    rng = np.random.default_rng(0)
    parent = rng.integers(-1, 50, size=400)  # -1: an entry whose chunk is not loaded
    scores = rng.normal(size=400).astype(np.float32)
    expected = np.full(60, -np.inf, dtype=np.float32)
    np.maximum.at(expected, parent[parent >= 0], scores[parent >= 0])
    assert np.array_equal(BestPerChunk(parent, 60)(scores, -np.inf), expected)


def test_chunks_without_entries_get_the_fill_and_empty_input_works():
    best = BestPerChunk(np.array([2, 0, 2]), 4)
    assert best(np.array([1.0, 5.0, 3.0]), 0.0).tolist() == [5.0, 0.0, 3.0, 0.0]
    assert BestPerChunk(np.zeros(0, dtype=np.int64), 3)(np.zeros(0), -1.0).tolist() == [-1.0, -1.0, -1.0]
