"""Functions of the front door that take default settings (an edge: it may use ingestion)."""
from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.index.status import index_status as _index_status
from assistant.notebook.api import Notebook as _Notebook
from ingestion.pipeline import IngestReport, Progress, no_progress
from ingestion.pipeline import ingest as _ingest


def ingest(paths: list[Path | str] | None = None, *, settings: Settings | None = None,
           vectors: bool = True, progress: Progress = no_progress) -> IngestReport:
    """Build or update the index from the configured library (or `paths`). Only what changed
    is re-parsed and re-embedded. `vectors=False` stops after the keyword index (seconds)."""
    return _ingest(settings or Settings(), [Path(p) for p in paths] if paths else None,
                   vectors=vectors, progress=progress)


def index_status(settings: Settings | None = None) -> dict:
    """Documents, chunks and vector-build progress of the configured index."""
    return _index_status(settings or Settings())


class Notebook(_Notebook):
    """`assistant.Notebook`: a notebook whose `ask` builds an `Assistant` on the notebook's
    settings when none is given (the notebook layer itself does not reach into answering)."""

    def ask(self, question: str, history: list | None = None, *, assistant=None):
        if assistant is None:
            from assistant.answering.assistant import Assistant

            assistant = Assistant(self._settings or Settings())
        return super().ask(question, history, assistant=assistant)
