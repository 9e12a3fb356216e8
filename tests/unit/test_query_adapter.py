"""The query adapter: its fit, its file, its place in the vector build and in hybrid ranking."""
from __future__ import annotations

import numpy as np

from assistant.index.query_adapter import QueryAdapter, fit_query_adapter


def _unit_rows(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_the_fit_learns_a_map_that_the_pairs_follow():
    rng = np.random.default_rng(0)
    d = 16
    true_map = np.eye(d) + 0.5 * rng.normal(size=(d, d))
    queries = _unit_rows(rng.normal(size=(400, d)))
    targets = _unit_rows(queries @ true_map)
    adapter = QueryAdapter(fit_query_adapter(queries, targets, ridge=1e-3))
    unseen = _unit_rows(rng.normal(size=(20, d)))
    want = _unit_rows(unseen @ true_map)
    got = np.stack([adapter.apply(v) for v in unseen])
    assert np.min(np.sum(got * want, axis=1)) > 0.99
    # Without the map, the same queries are far from their targets: the fit did the work.
    assert np.mean(np.sum(unseen * want, axis=1)) < 0.9


def test_a_strong_ridge_keeps_the_identity():
    rng = np.random.default_rng(1)
    queries, targets = rng.normal(size=(50, 8)), rng.normal(size=(50, 8))
    adapter = QueryAdapter(fit_query_adapter(queries, targets, ridge=1e9))
    v = rng.normal(size=8)
    assert np.allclose(adapter.apply(v), v / np.linalg.norm(v), atol=1e-4)


def test_the_file_round_trips_and_another_size_is_refused(tmp_path):
    matrix = np.arange(9, dtype=np.float32).reshape(3, 3)
    path = tmp_path / "index" / "query-adapter-m.npy"
    QueryAdapter(matrix).save(path)
    assert np.array_equal(QueryAdapter.load(path, 3).matrix, matrix)
    assert QueryAdapter.load(path, 4) is None  # fitted for vectors of another size
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    path.unlink()
    assert QueryAdapter.load(path, 3) is None and QueryAdapter.mtime(path) == 0.0


def test_query_vectors_are_cached_apart_from_passages(tmp_path):
    from assistant.index.vector_cache import VectorCache

    calls: list[tuple[str, str]] = []

    class Counting:
        def embed_passages(self, texts):
            calls.extend(("passage", t) for t in texts)
            return np.ones((len(texts), 4), np.float32)

        def embed_queries(self, texts):
            calls.extend(("query", t) for t in texts)
            return np.full((len(texts), 4), 2.0, np.float32)

    cache = VectorCache(tmp_path / "v.sqlite", "m")
    assert cache.embed_queries(Counting(), ["乱扔垃圾"])[0][0] == 2.0
    assert cache.embed(Counting(), ["乱扔垃圾"])[0][0] == 1.0  # the same text as a passage: its own vector
    assert cache.embed_queries(Counting(), ["乱扔垃圾", "乱扔垃圾"]).shape == (2, 4)
    assert calls == [("query", "乱扔垃圾"), ("passage", "乱扔垃圾")]  # the third call embedded nothing


def _phrasings(authored, tiny_settings):
    """The repository's authored files, with phrasings for the tiny library's articles."""
    import json
    import shutil

    shutil.copytree(tiny_settings.authored_dir, authored, ignore=shutil.ignore_patterns("article_paraphrases*"))
    rows = [{"law": "上海市生活垃圾管理条例", "article": 58, "phrases": ["路边乱倒垃圾", "在小区里烧垃圾"]},
            {"law": "上海市生活垃圾管理条例", "article": 57, "phrases": ["垃圾不分类扔"]}]
    (authored / "article_paraphrases_test.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return authored


def test_the_vector_build_fits_the_adapter_and_hybrid_search_uses_it(tiny_settings, tmp_path):
    from assistant.index.dense import DenseMatrix
    from assistant.retrieval.retriever import Retriever
    from ingestion.pipeline import Indexer

    settings = tiny_settings.model_copy(update={"authored_dir": _phrasings(tmp_path / "authored", tiny_settings),
                                                "query_adapter_min_pairs": 3})
    indexer = Indexer(settings)
    matrix = DenseMatrix.load(settings.index_dir)
    kept = indexer.layout.query_adapter
    before = kept.read_bytes() if kept.exists() else None  # the session build's (repository phrasings)
    try:
        assert indexer.fit_query_adapter(matrix) == 3
        assert kept.exists() and kept.name.startswith("query-adapter-hashing")
        retriever = Retriever(settings)
        seen: list[int] = []
        fuse = retriever._fuse
        retriever._fuse = lambda plan, found, rrf_k: seen.append(len(found.adapted)) or fuse(plan, found, rrf_k)
        assert retriever.search("乱倒垃圾").hits and seen[-1] > 0
        assert retriever.search("乱倒垃圾", adapted=False).hits and seen[-1] == 0
        assert retriever.search("乱倒垃圾", mode="dense").hits and seen[-1] == 0  # one side alone stays plain
        off = Retriever(settings.model_copy(update={"query_adapter_weight": 0.0}))
        off._fuse = lambda plan, found, rrf_k: seen.append(len(found.adapted)) or fuse(plan, found, rrf_k)
        assert off.search("乱倒垃圾").hits and seen[-1] == 0
        assert "口语查询适配：已拟合" in _status_output(settings)
        # Too few phrasings (a small user library): no adapter, and search ranks without one.
        few = Indexer(settings.model_copy(update={"query_adapter_min_pairs": 4}))
        assert few.fit_query_adapter(matrix) == 0 and not kept.exists()
        assert "口语查询适配：未拟合" in _status_output(settings)
    finally:  # the session's index stays as other tests know it
        kept.unlink(missing_ok=True)
        if before is not None:
            kept.write_bytes(before)


def _status_output(settings) -> str:
    from click.testing import CliRunner

    from assistant.cli import cli

    out = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_path),
                                   "status"], env={"ASSISTANT_EMBEDDER": settings.embedder})
    assert out.exit_code == 0, out.output
    return out.output
