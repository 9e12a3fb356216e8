"""Process-wide resources for the Streamlit app: the retriever and the background vector build.

The lexical index takes seconds, so the app answers at once; vectors are built in a background
thread of the server process with progress written to the index's status file.
"""
from __future__ import annotations

import threading
import time

import streamlit as st

from assistant.config import Settings
from assistant.index.layout import IndexLayout
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.types import IndexNotReady
from ingestion.pipeline import Indexer, default_roots


class IndexService:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.layout = IndexLayout.of(settings)
        self.error: str | None = None
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._retriever_built_at = 0.0
        self._thread: threading.Thread | None = None

    def ensure_lexical(self) -> None:
        if not self.layout.writable():
            return  # read-only data dir: search what is there, build nothing
        if not self.layout.lexical_ready() or Indexer(self.settings).lexical_stale():
            report = Indexer(self.settings).ingest_lexical(default_roots(self.settings))
            if report.errors and not report.chunks:
                self.error = "；".join(report.errors[:3])

    def start_vectors(self) -> None:
        """Build missing vectors in the background, once per process."""
        with self._lock:
            if self._thread and self._thread.is_alive():
                return
            if self.layout.read_vector_status().ready or not self.layout.writable():
                return
            self._thread = threading.Thread(target=self._build, name="vector-build", daemon=True)
            self._thread.start()

    def _build(self) -> None:
        try:
            Indexer(self.settings).build_vectors()
        except Exception as exc:  # shown in the sidebar; search keeps working lexically
            self.error = f"向量索引构建失败：{exc}"

    @property
    def building(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def retriever(self) -> Retriever | None:
        """Reload once the vectors finish, so the app switches to hybrid search by itself."""
        with self._lock:
            if not self.layout.lexical_ready():
                # The index was deleted (or never built) under a running app: say so rather than
                # answer from what is still in memory.
                self._retriever = None
                self.error = "法规索引不存在或已被删除：请运行 `assistant ingest`，或重启应用以重建索引"
                return None
            status_time = self.layout.read_vector_status().time
            if self._retriever is None or (status_time > self._retriever_built_at and not self.building):
                try:
                    self._retriever = Retriever(self.settings)
                    self._retriever_built_at = time.time()
                    self.error = None
                except IndexNotReady as exc:
                    self.error = str(exc)
                    return None
            return self._retriever


def get_service() -> IndexService:
    settings = Settings()
    return _service(settings.model_dump_json())


@st.cache_resource(show_spinner="正在加载法规索引……")
def _service(settings_json: str) -> IndexService:
    """One service per distinct configuration (keyed by the settings' JSON)."""
    service = IndexService(Settings.model_validate_json(settings_json))
    service.ensure_lexical()
    service.start_vectors()
    return service
