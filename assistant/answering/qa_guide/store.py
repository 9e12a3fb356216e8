"""Where guides live and how they are loaded: every `*.jsonl` under `corpus/qa_guide/` (shipped
with the code, 「内置」) and the one imported guide `data_dir/qa_guide/imported.jsonl` (written by
an admin's XLSX import, 「导入」). An imported entry never replaces a built-in one (the import
refuses a built-in id), so the two sets are simply put side by side.

`GuideCatalog.entries()` re-reads the files when one of them changed (a stat per call), so an
import shows in the running app's next answer."""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from assistant.answering.qa_guide.model import GuideEntry, dumps_jsonl, load_jsonl

BUILTIN = "内置"
IMPORTED = "导入"


def builtin_dir(settings) -> Path:
    return settings.authored_dir / "qa_guide"


def imported_path(settings) -> Path:
    return settings.data_dir / "qa_guide" / "imported.jsonl"


def builtin_files(settings) -> list[Path]:
    folder = builtin_dir(settings)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def load_builtin(settings) -> list[GuideEntry]:
    return [e for f in builtin_files(settings) for e in load_jsonl(f, BUILTIN)]


def load_imported(settings) -> list[GuideEntry]:
    return load_jsonl(imported_path(settings), IMPORTED)


def load_all(settings) -> list[GuideEntry]:
    """Built-in entries first, then imported ones whose id and phrasings do not clash with them."""
    builtin = load_builtin(settings)
    ids = {e.id for e in builtin}
    return builtin + [e for e in load_imported(settings) if e.id not in ids]


def write_imported(settings, entries: list[GuideEntry]) -> Path:
    """Replace the imported guide in one step (a temporary file renamed over it), so a reader
    never sees half a file."""
    path = imported_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".imported-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps_jsonl(entries))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class GuideCatalog:
    """The loaded guide, reloaded when a file changes (size and mtime of each file)."""

    def __init__(self, settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._entries: list[GuideEntry] = []

    def _current_stamp(self) -> tuple:
        files = [*builtin_files(self.settings), imported_path(self.settings)]
        out = []
        for f in files:
            try:
                st = f.stat()
                out.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(f), None, None))
        return tuple(out)

    def entries(self) -> tuple[list[GuideEntry], bool]:
        """(entries, changed since the last call)."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp == self._stamp:
                return self._entries, False
            self._entries = load_all(self.settings)
            self._stamp = stamp
            return self._entries, True
