"""Where the index lives under the data dir, and the vector-build status file.

Every reader and writer of the index goes through this one description, so that a file name
or the status file's fallback is decided in one place."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from assistant.config import Settings
from assistant.index.embedders import model_slug

# "interrupted": the status says building but the process that wrote it is gone (killed);
# the next ingest resumes where it stopped.
VectorState = Literal["missing", "building", "interrupted", "stale", "ready"]


@dataclass(frozen=True)
class VectorStatus:
    state: VectorState
    done: int = 0
    total: int = 0
    time: float = 0.0
    pid: int = 0  # the building process
    generation: int = -1  # the chunk store generation the vectors were built for
    rate: float = 0.0  # entries embedded per second in this build
    core_done: bool = False  # the core regulations' entries (embedded first) are all in

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def to_dict(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total, "time": self.time, "pid": self.pid,
                "generation": self.generation, "rate": round(self.rate, 1), "core_done": self.core_done}


MISSING = VectorStatus("missing")


@dataclass(frozen=True)
class IndexLayout:
    root: Path  # the index dir
    store: Path  # chunks and documents (SQLite)
    bm25: Path  # BM25 over jieba tokens
    bm25_char: Path  # BM25 over character bigrams
    chroma: Path  # the embedded Chroma database
    vector_status_file: Path  # one per embedding model: vectors of two models never mix
    query_adapter: Path  # fitted on one model's vectors, so one per model too (query_adapter.py)

    @classmethod
    def of(cls, settings: Settings) -> IndexLayout:
        root = settings.index_dir
        return cls(root=root, store=root / "store.sqlite", bm25=root / "bm25", bm25_char=root / "bm25-char",
                   chroma=root / "chroma",
                   vector_status_file=root / f"vectors-{model_slug(settings.embedder)}.json",
                   query_adapter=root / f"query-adapter-{model_slug(settings.embedder)}.npy")

    def writable(self) -> bool:
        """Whether this process may write the index (False on a read-only volume or directory)."""
        probe = self.root if self.root.exists() else self.root.parent
        return os.access(probe, os.W_OK)

    def lexical_ready(self) -> bool:
        return self.store.exists() and self.bm25.exists() and self.bm25_char.exists()

    def read_vector_status(self) -> VectorStatus:
        try:
            raw = json.loads(self.vector_status_file.read_text(encoding="utf-8"))
            status = VectorStatus(raw["state"], int(raw.get("done", 0)), int(raw.get("total", 0)),
                                  float(raw.get("time", 0.0)), int(raw.get("pid", 0)),
                                  int(raw.get("generation", -1)), float(raw.get("rate", 0.0)),
                                  bool(raw.get("core_done", False)))
        except (OSError, ValueError, KeyError, TypeError):
            return MISSING
        if status.state == "building" and not _alive(status.pid):
            return replace(status, state="interrupted")
        return status

    def write_vector_status(self, state: VectorState, done: int, total: int, generation: int = -1,
                            rate: float = 0.0, core_done: bool = False) -> None:
        """Write beside, then rename: a reader never sees half a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        status = VectorStatus(state, done, total, time.time(), os.getpid(), generation, rate, core_done)
        tmp = self.vector_status_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(status.to_dict()), encoding="utf-8")
        tmp.replace(self.vector_status_file)


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (signal 0 checks without sending)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True
