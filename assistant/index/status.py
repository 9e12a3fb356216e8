"""What the index holds right now, for `assistant status` and the app's sidebar."""
from __future__ import annotations

from assistant.config import Settings
from assistant.index.layout import IndexLayout
from assistant.index.store import ChunkStore


def index_status(settings: Settings) -> dict:
    layout = IndexLayout.of(settings)
    laws, chunks = [], 0
    if layout.store.exists():
        store = ChunkStore(layout.store, read_only=settings.read_only or not layout.writable())
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
        "vectors": layout.read_vector_status().to_dict(),
        # Fitted at the end of a vector build when the library has enough phrased articles.
        "query_adapter": layout.query_adapter.exists(),
        "read_only": settings.read_only or not layout.writable(),
    }
