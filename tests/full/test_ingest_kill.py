"""Full tier (no ../shared needed, but each case starts a process and builds three indexes).
`kill -9` at each stage of an ingest, then `assistant ingest` again: the index must equal a clean
build of the same corpus (chunk ids and hashes, keyword index rows, vectors, search results).

The ingest runs in a child process that sends itself SIGKILL at the chosen point, which is what
`kill -9` from outside does at that instant, without racing a timer."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.index.layout import IndexLayout
from assistant.index.lexical import LexicalIndex
from assistant.index.store import ChunkStore
from assistant.index.vectorstore import get_collection
from assistant.retrieval.retriever import Retriever
from ingestion.pipeline import ingest
from tests.unit.conftest import tiny_settings_for
from tests.unit.tiny_corpus import BEIJING, FILES, GARBAGE

REPO = Path(__file__).resolve().parents[2]
QUERIES = ["个人混投生活垃圾拒不改正罚多少", "夜间施工噪声", "物业服务企业", "第五十七条"]

# Where the child kills itself: each hook wraps one function of the pipeline.
STAGES = {
    # chunks committed to the store, keyword index not yet rebuilt
    "after_store_commit": ("ingestion.pipeline", "Indexer", "rebuild_lexical", "before"),
    # the word index saved, the character index not yet: the two disagree
    "between_keyword_indexes": ("assistant.index.lexical", "LexicalIndex", "save", "second"),
    # keyword indexes saved, the generation mark not yet written
    "before_generation_mark": ("assistant.index.store", "ChunkStore", "set_meta", "lexical_generation"),
    # the first batch of vectors written, the second not
    "during_vectors": ("ingestion.pipeline", "VectorCache", "embed", "second"),
}

CHILD = textwrap.dedent("""
    import importlib, os, signal, sys
    from assistant.config import Settings
    from ingestion.pipeline import ingest
    module, owner, name, when = sys.argv[1:5]
    target = getattr(importlib.import_module(module), owner)
    original = getattr(target, name)
    calls = []

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def hook(*args, **kwargs):
        calls.append(1)
        if when == "before" or (when == "second" and len(calls) == 2):
            die()
        if when == "lexical_generation" and args[1] == "lexical_generation":
            die()
        return original(*args, **kwargs)

    setattr(target, name, hook if when != "before" else (lambda self, *a, **k: die()))
    ingest(Settings.model_validate_json(os.environ["TEST_SETTINGS"]))
""")


def _write(corpus: Path, files: dict[str, str]) -> None:
    shutil.rmtree(corpus, ignore_errors=True)
    for rel, text in files.items():
        path = corpus / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _changed_files() -> dict[str, str]:
    """The tiny corpus with one article edited and one document removed."""
    files = {p: t for p, t in FILES.items() if BEIJING not in p}
    garbage = next(p for p in files if GARBAGE in p)
    files[garbage] = files[garbage].replace("五十元以上二百元以下", "一百元以上五百元以下")
    assert files[garbage] != FILES[garbage]
    return files


def _snapshot(settings) -> dict:
    layout = IndexLayout.of(settings)
    store = ChunkStore(layout.store)
    chunks = sorted(store.hashes().items())
    store.close()
    retriever = Retriever(settings)
    results = {q: [h.chunk.id for h in retriever.search(q, k=5).hits] for q in QUERIES}
    vectors = sorted(get_collection(settings).get(include=[])["ids"])
    status = layout.read_vector_status()
    return {"chunks": chunks, "lexical": sorted(LexicalIndex.load(layout.bm25).ids),
            "char": sorted(LexicalIndex.load(layout.bm25_char).ids), "results": results,
            "vectors": vectors, "status": (status.state, status.done, status.total)}


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("kill-clean-corpus")
    _write(corpus, _changed_files())
    settings = tiny_settings_for(tmp_path_factory.mktemp("kill-clean-data"), corpus, embed_batch_size=8)
    ingest(settings)
    return _snapshot(settings)


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_killed_ingest_is_completed_by_the_next_one(stage, tmp_path, clean_build):
    corpus = tmp_path / "corpus"
    _write(corpus, FILES)
    settings = tiny_settings_for(tmp_path / "data", corpus, embed_batch_size=2)  # several batches to kill between
    ingest(settings)  # the index before the change
    _write(corpus, _changed_files())
    env = os.environ | {"TEST_SETTINGS": settings.model_dump_json(), "PYTHONPATH": str(REPO)}
    child = subprocess.run([sys.executable, "-c", CHILD, *STAGES[stage]], env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    if stage == "during_vectors":
        assert IndexLayout.of(settings).read_vector_status().state == "interrupted"
    ingest(settings)  # what the user runs next
    assert _snapshot(settings) == clean_build


def test_status_of_a_killed_vector_build_is_interrupted_not_building(tmp_path):
    layout = IndexLayout.of(tiny_settings_for(tmp_path, tmp_path))
    layout.write_vector_status("building", 3, 10)
    assert layout.read_vector_status().state == "building"  # this process is alive
    raw = json.loads(layout.vector_status_file.read_text(encoding="utf-8"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    layout.vector_status_file.write_text(json.dumps(raw | {"pid": int(dead)}), encoding="utf-8")
    assert layout.read_vector_status().state == "interrupted"
