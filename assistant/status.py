"""What the index holds right now, for `assistant status` and the app's sidebar."""
from __future__ import annotations

from assistant.config import Settings
from assistant.store import ChunkStore


def index_status(settings: Settings) -> dict:
    from ingestion.pipeline import Indexer

    store_path = settings.index_dir / "store.sqlite"
    laws, chunks = [], 0
    if store_path.exists():
        store = ChunkStore(store_path)
        laws, chunks = store.laws(), store.count()
        store.close()
    return {
        "corpus_path": str(settings.corpus_path),
        "data_dir": str(settings.data_dir),
        "embedder": settings.embedder,
        "chroma_mode": settings.chroma_mode,
        "documents": len(laws),
        "chunks": chunks,
        "laws": laws,
        "vectors": Indexer.status_for(settings),
    }
