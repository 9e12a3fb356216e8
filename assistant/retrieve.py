"""Hybrid retrieval: BM25 + dense (Chroma) fused by RRF, with filters, direct citation lookup,
colloquial→legal expansion and a calibrated "no basis" decision."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from assistant.citations import LawNames
from assistant.config import Settings
from assistant.embeddings import embed_query_array, load_embedder
from assistant.lexical import LexicalIndex
from assistant.models import Chunk, Citation, Hit
from assistant.scope import ScopeLexicon
from assistant.store import ChunkStore
from assistant.synonyms import Synonyms
from assistant.textproc import char_bigrams, get_tokenizer, normalize
from assistant.vectorstore import chroma_client, get_collection

PENALTY_INTENT = re.compile(r"罚|处罚|后果|怎么处理|如何处理|处理措施|法律责任|责任")
YEAR = re.compile(r"(19|20)\d{2}")
DATE_PREFIX = re.compile(r"^(\d{4})")


@dataclass
class Filters:
    jurisdictions: tuple[str, ...] | None = None  # None: the default scope (上海 + 全国 + 内部)
    levels: tuple[str, ...] | None = None
    include_superseded: bool = False
    laws: tuple[str, ...] | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    no_basis: bool
    mode: str  # "hybrid" or "lexical"
    citations: list[Citation] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    reason: str | None = None
    signals: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"query": self.query, "no_basis": self.no_basis,
                "hits": [h.to_json() for h in self.hits], "mode": self.mode,
                "reason": self.reason}


class IndexNotReady(RuntimeError):
    pass


class Retriever:
    def __init__(self, settings: Settings):
        self.settings = settings
        store_path = settings.index_dir / "store.sqlite"
        lexical_path = settings.index_dir / "bm25"
        char_path = settings.index_dir / "bm25-char"
        if not store_path.exists() or not lexical_path.exists() or not char_path.exists():
            raise IndexNotReady("索引尚未建立：请先运行 `assistant ingest`")
        self.store = ChunkStore(store_path)
        self.lexical = LexicalIndex.load(lexical_path)
        self.char_lexical = LexicalIndex.load(char_path)
        if self.char_lexical.ids != self.lexical.ids:
            raise IndexNotReady("索引不一致：请重新运行 `assistant ingest`")
        # Index rows are entries (a chunk, or a 款/项 view of it, id "chunk#n"); results are
        # reported per chunk.
        self.chunks: list[Chunk] = self.store.all_chunks()
        self.pos = {c.id: i for i, c in enumerate(self.chunks)}
        try:
            self._entry_parent = np.array([self.pos[_parent(e)] for e in self.lexical.ids], dtype=np.int64)
        except KeyError:
            raise IndexNotReady("索引不一致：请重新运行 `assistant ingest`") from None
        self._jur = np.array([c.jurisdiction for c in self.chunks], dtype=object)
        self._level = np.array([c.level for c in self.chunks], dtype=object)
        self._current = np.array([c.status == "current" for c in self.chunks], dtype=bool)
        self._law = np.array([c.law for c in self.chunks], dtype=object)
        self._has_fine = np.array(["罚款" in c.text for c in self.chunks], dtype=bool)
        self._year = np.array([(c.version or "")[:4] for c in self.chunks], dtype=object)
        self.jurisdictions = sorted(set(self._jur))
        self.tokenizer = get_tokenizer(settings.authored_dir, settings.cache_dir)
        self.names = LawNames(sorted(set(self._law)), settings.authored_dir / "law_aliases.tsv")
        self.synonyms = Synonyms(settings.authored_dir / "synonyms.tsv")
        self.scope = ScopeLexicon(settings.authored_dir / "out_of_scope.tsv")
        self._df = self._doc_freq()
        self._embedder = None
        self._collection = None

    # --- index state ---------------------------------------------------------------------
    def _doc_freq(self) -> dict[str, int]:
        vocab = self.lexical._retriever.vocab_dict  # token → column
        scores = self.lexical._retriever.scores
        counts = np.diff(np.asarray(scores["indptr"]))
        return {tok: int(counts[col]) for tok, col in vocab.items() if col < len(counts)}

    def vectors_ready(self) -> bool:
        from ingestion.pipeline import Indexer  # local import: ingestion depends on assistant

        status = Indexer.status_for(self.settings)
        return status.get("state") == "ready" and status.get("total") == len(self.lexical.ids)

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = load_embedder(self.settings.embedder)
        return self._embedder

    @property
    def collection(self):
        if self._collection is None:
            self._collection = get_collection(chroma_client(self.settings), self.settings)
        return self._collection

    # --- public --------------------------------------------------------------------------
    def show(self, law: str, article: int, version: str | None = None) -> list[Chunk]:
        title = self.names.names.get(law, law)
        return self.store.article(title, article, version)

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               mode: str | None = None) -> SearchResult:
        """mode: None picks "hybrid" when vectors are built, else "lexical"; "lexical" and
        "dense" use one side only (for evaluation)."""
        k = k or self.settings.default_k
        filters = filters or Filters()
        text = normalize(query)[:2000]
        if not text:
            return SearchResult(query, [], True, "lexical", reason="问题为空")
        if mode is None:
            mode = "hybrid" if self.vectors_ready() else "lexical"
        use_dense = mode in ("hybrid", "dense")
        use_lexical = mode in ("hybrid", "lexical")

        mentions = self.names.mentions(text)
        citations = self.names.citations(text)
        mentioned_laws = {m.title for m in mentions}
        mask, boost_year = self._mask(text, filters, mentioned_laws)

        # 1. Explicit citations are looked up directly and lead the list.
        direct: list[Hit] = []
        for cit in citations:
            if cit.law:
                rows = [i for i, c in enumerate(self.chunks)
                        if c.law == cit.law and c.article == cit.article and (mask[i] or not filters.laws)]
                rows = [i for i in rows if self._current[i] or filters.include_superseded or boost_year]
                direct.extend(Hit(self.chunks[i], 1.0, direct=True) for i in rows)
        if citations and all(c.law for c in citations) and not direct:
            return SearchResult(query, [], True, mode, citations,
                                reason="引用的条文在索引中不存在（请核对法规名称和条号）")

        # 2. Lexical and dense candidate lists.
        expansions = self.synonyms.expand(text)
        q_tokens = self.tokenizer.tokenize(text)
        pool = self.settings.candidate_pool
        lex_rank: list[int] = []
        char_rank: list[int] = []
        if use_lexical:
            exp_tokens = [t for t in self.tokenizer.tokenize(" ".join(expansions)) if t not in q_tokens]
            lex_rank = self._lexical_rank(self.lexical, q_tokens, exp_tokens, mask, pool)
            if self.settings.char_weight:
                char_rank = self._lexical_rank(self.char_lexical, char_bigrams(text),
                                               char_bigrams(" ".join(expansions)), mask, pool)

        dense_rank: list[int] = []
        dense_sim: dict[int, float] = {}
        if use_dense:
            dense_text = f"{text} {' '.join(expansions)}" if self.settings.dense_expansion and expansions else text
            dense_rank, dense_sim = self._dense(dense_text, filters, mask, pool)

        # 3. Reciprocal-rank fusion plus domain priors.
        cfg = self.settings
        rrf_k = cfg.rrf_k
        fused: dict[int, float] = {}
        for rank, i in enumerate(lex_rank):
            fused[i] = fused.get(i, 0.0) + cfg.lexical_weight / (rrf_k + rank + 1)
        for rank, i in enumerate(dense_rank):
            fused[i] = fused.get(i, 0.0) + cfg.dense_weight / (rrf_k + rank + 1)
        for rank, i in enumerate(char_rank):
            fused[i] = fused.get(i, 0.0) + cfg.char_weight / (rrf_k + rank + 1)
        bonus = 1.0 / (rrf_k + 1)
        penalty_intent = bool(PENALTY_INTENT.search(text))
        bare_articles = {c.article for c in citations if not c.law}
        for i in fused:
            chunk = self.chunks[i]
            if chunk.law in mentioned_laws:
                fused[i] += cfg.law_mention_bonus * bonus
            if penalty_intent and self._has_fine[i]:
                fused[i] += cfg.penalty_bonus * bonus
            if bare_articles and chunk.article in bare_articles:
                fused[i] += 2 * bonus
            if boost_year and self._year[i] in boost_year:
                fused[i] += bonus
        ranked = sorted(fused, key=lambda i: -fused[i])
        seen = {h.chunk.id for h in direct}
        hits = list(direct)
        for i in ranked:
            if len(hits) >= k:
                break
            if self.chunks[i].id in seen:
                continue
            hits.append(Hit(self.chunks[i], fused[i], bm25_rank=_rank(lex_rank, i),
                            dense_rank=_rank(dense_rank, i), dense_score=dense_sim.get(i)))
        hits = hits[:k]

        # 4. Is there a basis at all?
        signals = self._signals(q_tokens, hits, dense_sim)
        no_basis, reason = False, None
        if not hits:
            no_basis, reason = True, "没有检索到相关条文"
        elif not direct:
            outside = self.scope.match(text)
            if outside and not any(outside.term in h.chunk.text for h in hits):
                no_basis = True
                reason = f"问题涉及{outside.area}，不在本法规库收录范围内。{outside.referral}"
                signals["out_of_scope"] = outside.term
            elif self._below_threshold(signals, use_dense):
                no_basis = True
                reason = "检索结果与问题的相关度低于阈值，未找到可靠依据"
        return SearchResult(query, hits, no_basis, mode, citations, expansions, reason, signals)

    # --- internals -----------------------------------------------------------------------
    def _mask(self, text: str, filters: Filters, mentioned_laws: set[str]):
        if filters.jurisdictions:
            jurisdictions = set(filters.jurisdictions)
        else:
            jurisdictions = set(self.settings.default_jurisdictions) | {"内部"}
            asked = [j for j in self.jurisdictions if j not in jurisdictions and j in text]
            asked += [self._jur[self.pos_of_law(t)] for t in mentioned_laws if self.pos_of_law(t) is not None]
            extra = {j for j in asked if j not in jurisdictions}
            if extra:  # a question about another region is answered from that region's law
                jurisdictions = extra | {"全国"}
        mask = np.isin(self._jur, list(jurisdictions))
        if filters.levels:
            mask &= np.isin(self._level, list(filters.levels))
        if filters.laws:
            mask &= np.isin(self._law, list(filters.laws))
        years = {y.group(0) for y in YEAR.finditer(text)}
        boost_year = {y for y in years if np.any((self._year == y) & ~self._current)}
        if not filters.include_superseded and not boost_year:
            mask &= self._current
        return mask, boost_year

    def _lexical_rank(self, index: LexicalIndex, tokens, expansion_tokens, mask, pool) -> list[int]:
        """Chunk positions by their best entry's BM25 score (expansions weighted down)."""
        scores = index.scores(tokens)
        if expansion_tokens and self.settings.expansion_weight:
            scores = scores + self.settings.expansion_weight * index.scores(expansion_tokens)
        per_chunk = np.zeros(len(self.chunks), dtype=np.float32)
        np.maximum.at(per_chunk, self._entry_parent, scores)
        per_chunk = np.where(mask, per_chunk, 0.0)
        top = np.argsort(-per_chunk)[:pool]
        return [int(i) for i in top if per_chunk[i] > 0]

    def pos_of_law(self, title: str) -> int | None:
        idx = np.flatnonzero(self._law == title)
        return int(idx[0]) if len(idx) else None

    def _dense(self, text, filters, mask, pool):
        vector = embed_query_array(self.embedder, text)
        allowed_j = sorted(set(self._jur[mask]))
        where: dict = {"jurisdiction": {"$in": allowed_j}} if allowed_j else {}
        if not mask.any():
            return [], {}
        clauses = [where] if where else []
        if np.all(self._current[mask]):
            clauses.append({"status": "current"})
        if filters.levels:
            clauses.append({"level": {"$in": list(filters.levels)}})
        if filters.laws:
            clauses.append({"law": {"$in": list(filters.laws)}})
        where = {"$and": clauses} if len(clauses) > 1 else (clauses[0] if clauses else None)
        # Several entries of one chunk may come back; ask for more and keep each chunk's best.
        res = self.collection.query(query_embeddings=[vector], n_results=min(3 * pool, len(self.lexical.ids)),
                                    where=where, include=["distances"])
        ranked, sims = [], {}
        for eid, dist in zip(res["ids"][0], res["distances"][0]):
            i = self.pos.get(_parent(eid))
            if i is not None and mask[i] and i not in sims:
                ranked.append(i)
                sims[i] = 1.0 - float(dist)
        return ranked[:pool], sims

    def _idf(self, token: str) -> float:
        n = max(len(self.lexical.ids), 1)
        return math.log(1 + n / (1 + self._df.get(token, 0)))

    def _signals(self, q_tokens, hits, dense_sim) -> dict:
        content = [t for t in dict.fromkeys(q_tokens)]
        if not hits or not content:
            return {"coverage": 0.0, "dense": 0.0}
        top_tokens = set()
        for h in hits[:3]:
            top_tokens.update(self.tokenizer.tokenize(h.chunk.index_text))
        total = sum(self._idf(t) for t in content)
        covered = sum(self._idf(t) for t in content if t in top_tokens)
        best_dense = max((h.dense_score or 0.0) for h in hits)
        return {"coverage": covered / total if total else 0.0, "dense": best_dense}

    def _below_threshold(self, signals: dict, use_dense: bool) -> bool:
        s = self.settings
        if signals["coverage"] < s.no_basis_min_coverage:
            return True
        return use_dense and signals["dense"] < s.dense_threshold


def _parent(entry_id: str) -> str:
    return entry_id.split("#", 1)[0]


def _rank(ranked: list[int], i: int) -> int | None:
    try:
        return ranked.index(i) + 1
    except ValueError:
        return None
