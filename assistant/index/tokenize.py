"""Chinese tokenisation for BM25: jieba with the team's legal dictionary and stopwords."""
from __future__ import annotations

import hashlib
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

import jieba

from assistant.core.legaltext import normalize

_TOKEN_OK = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z]")

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[0-9a-z]+")
# jieba's own block pattern (jieba.re_han_default): text between these runs is never one token.
_JIEBA_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
# Distinct runs kept (about 60 MB at most; the library has ~400k distinct runs).
RUN_CACHE_SIZE = 500_000


def char_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each run of Chinese characters (and whole ASCII words).
    Robust where word segmentation differs between question and law (晒 / 晾晒, 河浜 / 河道)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(normalize(text).lower()):
        if run.isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


class Tokenizer:
    def __init__(self, authored_dir: Path, cache_dir: Path):
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # read-only data dir: jieba then builds its dictionary in memory each start
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        # jieba writes its prefix-dict cache to the temp dir unless told otherwise.
        if os.access(cache_dir, os.W_OK):  # else jieba's default, the system temp dir
            self._jieba.tmp_dir = str(cache_dir)
        userdict = authored_dir / "userdict.txt"
        stop = authored_dir / "stopwords.txt"
        # Changes to the dictionary or stopwords change every token: the BM25 index records
        # this fingerprint and is rebuilt when it differs.
        digest = hashlib.sha1()
        for f in (userdict, stop):
            digest.update(f.read_bytes() if f.exists() else b"-")
        self.fingerprint = digest.hexdigest()[:16]
        if userdict.exists():
            self._jieba.load_userdict(str(userdict))
        self._runs: dict[str, tuple[str, ...]] = {}
        self.stopwords = frozenset(
            w.strip() for w in stop.read_text(encoding="utf-8").splitlines() if w.strip()
        ) if stop.exists() else frozenset()

    def tokenize(self, text: str) -> list[str]:
        """Search-mode cut (long words also yield their parts), no stopwords or punctuation.

        jieba cuts each run between punctuation on its own (its `re_han_default`), so a text's
        tokens are its runs' tokens in order. Runs repeat across an article and its 款/项 views
        and across versions: each distinct run is cut once (cold keyword build of the 392-document
        library: jieba was two thirds of the time)."""
        out: list[str] = []
        for run in _JIEBA_RUN.findall(normalize(text).lower()):
            tokens = self._runs.get(run)
            if tokens is None:
                if len(self._runs) >= RUN_CACHE_SIZE:
                    self._runs.clear()
                tokens = self._runs[run] = tuple(
                    t for t in self._jieba.cut_for_search(run) if _TOKEN_OK.search(t) and t not in self.stopwords)
            out.extend(tokens)
        return out

    def boundaries(self, text: str) -> frozenset[int]:
        """Offsets in `text` where its words (jieba's precise mode) begin or end."""
        out = {0, len(text)}
        for _, start, end in self._jieba.tokenize(text):
            out.update((start, end))
        return frozenset(out)

    def words(self, text: str) -> list[str]:
        """The text's words as written (jieba's precise mode: 「申请人」 stays whole, where
        the search-mode cut also yields 「申请」), no stopwords or punctuation."""
        return [t for t in self._jieba.cut(normalize(text).lower()) if _TOKEN_OK.search(t) and t not in self.stopwords]


@lru_cache(maxsize=4)
def get_tokenizer(authored_dir: Path, cache_dir: Path) -> Tokenizer:
    return Tokenizer(authored_dir, cache_dir)
