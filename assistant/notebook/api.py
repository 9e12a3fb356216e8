"""`Notebook`: the Python front door to notebooks (Jupyter, scripts), the same store as the app.

    from assistant import Notebook
    nb = Notebook.create("培训素材")
    nb.pin(answer)             # an Answer, a Hit, a TriageResult (or a list of them), a question set, a str
    nb.add_note("**要点**：先责令改正，拒不改正的再罚款")
    nb.export("培训素材.docx")  # or .md
    Notebook.open("培训素材"); Notebook.list()
    nb.set_sources(["上海市生活垃圾管理条例"]); nb.ask("混投垃圾谁来管？")  # chat on its sources only

Without a user, notebooks belong to the single local user — the owner the app uses when no
sign-in is configured, so notebooks made here appear in the app's 笔记本 page too.
"""
from __future__ import annotations

from pathlib import Path

from assistant.accounts.users import LOCAL_USER
from assistant.config import Settings
from assistant.notebook import convert
from assistant.notebook import export as _export
from assistant.notebook.models import Citation, Entry, NotebookInfo, Source
from assistant.notebook.sources import restricted, scope_filters, sources_from_titles
from assistant.notebook.store import NotebookError, NotebookStore, ReadOnly


class Notebook:
    """One notebook, as seen by one user (its owner, or a reader it was shared with)."""

    def __init__(self, store: NotebookStore, info: NotebookInfo, user: str, settings: Settings | None = None):
        self._store = store
        self._info = info
        self.user = user
        self._settings = settings

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, name: str, *, user: str = LOCAL_USER, settings: Settings | None = None,
               exist_ok: bool = False) -> Notebook:
        """A new notebook; with exist_ok=True an existing one of that name is opened instead
        (re-running a Jupyter cell)."""
        settings = settings or Settings()
        store = NotebookStore.for_settings(settings)
        try:
            info = store.create(name, user)
        except NotebookError:
            if not exist_ok:
                raise
            info = store.find(name, user)
        return cls(store, info, user, settings)

    @classmethod
    def open(cls, name: str, *, user: str = LOCAL_USER, settings: Settings | None = None) -> Notebook:
        settings = settings or Settings()
        store = NotebookStore.for_settings(settings)
        return cls(store, store.find(name, user), user, settings)

    @classmethod
    def list(cls, *, user: str = LOCAL_USER, settings: Settings | None = None) -> list[Notebook]:
        """The user's notebooks (newest change first), then those shared with them."""
        settings = settings or Settings()
        store = NotebookStore.for_settings(settings)
        return [cls(store, info, user, settings) for info in store.list(user)]

    # --- reading -------------------------------------------------------------------------
    def refresh(self) -> Notebook:
        self._info = self._store.get(self._info.id, self.user)
        return self

    @property
    def id(self) -> int:
        return self._info.id

    @property
    def name(self) -> str:
        return self._info.name

    @property
    def owner(self) -> str:
        return self._info.owner

    @property
    def read_only(self) -> bool:
        return self._info.read_only

    @property
    def info(self) -> NotebookInfo:
        return self._info

    @property
    def entries(self) -> list[Entry]:
        return self._store.entries(self._info.id, self.user)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        ro = "，只读" if self.read_only else ""
        return f"Notebook({self.name!r}，{len(self)} 条{ro})"

    # --- changing ------------------------------------------------------------------------
    def pin(self, obj) -> Entry:
        """Add an answer, a search hit, a triage result (or a list of them), a question set or a
        markdown note at the end of the notebook."""
        kind, payload, citations = convert.to_entry(obj)
        return self._store.add_entry(self._info.id, self.user, kind, payload, self._with_versions(citations))

    def add_note(self, text: str) -> Entry:
        kind, payload, citations = convert.note(text)
        return self._store.add_entry(self._info.id, self.user, kind, payload, citations)

    def edit_note(self, entry_id: int, text: str) -> None:
        _, payload, _ = convert.note(text)
        self._store.update_note(self._info.id, entry_id, self.user, payload)

    def move(self, entry_id: int, position: int) -> None:
        """Put an entry at `position` (0 = first)."""
        self._store.move(self._info.id, entry_id, position, self.user)

    def remove(self, entry_id: int) -> None:
        self._store.remove(self._info.id, entry_id, self.user)

    def share(self, reader: str) -> None:
        """Let another user read (not change) this notebook."""
        self._store.share(self._info.id, self.user, reader)
        self.refresh()

    def unshare(self, reader: str) -> None:
        self._store.unshare(self._info.id, self.user, reader)
        self.refresh()

    def rename(self, name: str) -> None:
        self._store.rename(self._info.id, name, self.user)
        self.refresh()

    def delete(self) -> None:
        self._store.delete(self._info.id, self.user)

    # --- sources and restricted chat ------------------------------------------------------
    @property
    def sources(self) -> list[Source]:
        return self._store.sources(self._info.id, self.user)

    def set_sources(self, titles: list[str], *, library: list[dict] | None = None) -> list[Source]:
        """Restrict this notebook's chat to these documents (titles as in the 法规库); an empty
        list removes the restriction. `library` is the index's document list (read from the
        index when not given); a title it does not hold is refused by name."""
        if library is None:
            library = self._library()
        sources = sources_from_titles(list(titles), library)
        self._store.set_sources(self._info.id, self.user, sources)
        return sources

    def ask(self, question: str, history: list | None = None, *, assistant):
        """An answer from this notebook's sources only, through the same retrieval, composition
        and citation checks as the chat page, by `assistant` (an `Assistant`; the front door's
        `assistant.Notebook` makes one when none is given). Not pinned: `nb.pin(answer)` if wanted."""
        sources = self.sources
        filters = scope_filters(sources, list(assistant.retriever.jurisdictions))
        return restricted(assistant.ask(question, history, filters=filters), sources)

    def _library(self) -> list[dict]:
        from assistant.index.layout import IndexLayout
        from assistant.index.store import ChunkStore

        path = IndexLayout.of(self._settings or Settings()).store
        if not path.exists():
            raise NotebookError("法规索引尚未建立，无法选择来源")
        store = ChunkStore(path, read_only=True)
        try:
            return store.laws()
        finally:
            store.close()

    # --- export --------------------------------------------------------------------------
    def to_markdown(self) -> str:
        return _export.to_markdown(self.refresh().info, self.entries, self.sources)

    def to_docx_bytes(self) -> bytes:
        return _export.to_docx_bytes(self.refresh().info, self.entries, self.sources)

    def export(self, path: str | Path) -> Path:
        """Write the notebook to `path`: .docx (Word) or .md (Markdown), chosen by the suffix."""
        _export.format_for(path)  # a wrong suffix fails before anything is read
        return _export.export(self.refresh().info, self.entries, path, self.sources)

    # --- helpers -------------------------------------------------------------------------
    def _with_versions(self, citations: list[Citation]) -> list[Citation]:
        """A citation without a version (a triage category's basis names law and article only)
        gets the version of the current text in the index, when there is one."""
        if all(c.version for c in citations) or self._settings is None:
            return citations
        from assistant.index.layout import IndexLayout
        from assistant.index.store import ChunkStore

        path = IndexLayout.of(self._settings).store
        if not path.exists():
            return citations
        store = ChunkStore(path, read_only=True)
        try:
            out = []
            for c in citations:
                if c.version is None and c.article is not None:
                    found = [ch for ch in store.article(c.law, c.article) if ch.status == "current" and ch.version]
                    c = Citation(c.law, c.article, found[0].version) if found else c
                out.append(c)
            return out
        finally:
            store.close()


__all__ = ["Notebook", "NotebookError", "ReadOnly"]
