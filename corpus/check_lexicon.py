#!/usr/bin/env python3
"""Check the lexical resources in this folder against the regulation corpus.

Run from the repository root (with the project's virtualenv):

    python corpus/check_lexicon.py [--corpus PATH] [-v]

The corpus is the product's setting, ``$ASSISTANT_CORPUS_PATH`` or
``<repo>/../shared/corpus``; ``--corpus`` takes the folder that holds
``lawrefbook/`` or ``lawrefbook/`` itself.  Law titles are those the product's
parser reads (``ingestion.library.Library``); "occurs in the corpus" means
occurs in the raw text of any ``.md`` file.  Exit status is 0 when no problems
were found, 1 otherwise.

Checks
------
synonyms.tsv     header ``colloquial<TAB>legal``; two columns; unique keys;
                 every space-separated legal term occurs literally in the
                 corpus and is not a stopword.  A key written with ``…``
                 (``狗…叫``) matches its parts in order, a few characters apart
                 within one clause (assistant/retrieval/synonyms.py).
userdict.txt     ``word freq [tag]`` per line (jieba user-dictionary format);
                 unique words; positive integer freq; word made only of
                 characters jieba keeps inside one token; word occurs in the
                 corpus.
stopwords.txt    one token per line; unique; none of the protected legal
                 content words; no overlap with userdict words or synonym
                 keys/terms.
law_aliases.tsv  header ``alias<TAB>title``; unique aliases; every title is
                 exactly a ``# `` title of a corpus file; an alias that is
                 itself a corpus title maps to that title; every law title
                 (outside 案例/) has at least one alias, and its short form
                 without 中华人民共和国/上海市 is an alias of it unless that
                 short form is itself another corpus title, or is shared by
                 two titles (then it maps to one of them).
replacements.tsv header ``old_title<TAB>new_title<TAB>note``; unique old
                 titles; new_title is a corpus title; no chains; the old title
                 is named in a corpus paragraph that says it was 废止, or the
                 new title's history lines revise the law under the old one
                 (a renamed law).
title_corrections.tsv header ``source_title<TAB>title<TAB>evidence``: a
                 corpus file titled source_title whose own history lines
                 name the law as title (a misspelt title, not a renamed law).
All files        UTF-8 without BOM, LF line ends, final newline, no blank
                 lines, no stray whitespace around fields.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from _checks import Report, add_corpus_option, load_corpus, read_lines

from ingestion.library import Library

HERE = Path(__file__).resolve().parent

# Characters jieba's default cutter keeps together in one block
# (jieba.re_han_default); a user word with any other character can never be
# produced as a single token.
JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+$")
TAG = re.compile(r"^[a-z]{1,4}$")

# Content words that discriminate articles and must never be stopwords.
PROTECTED = {
    "罚款", "处罚", "行政处罚", "责令", "改正", "责令改正", "限期改正", "拒不改正",
    "单位", "个人", "部门", "禁止", "违法", "违反", "没收", "吊销", "警告", "拘留",
    "扣押", "查封", "暂扣", "拆除", "强制", "强制执行", "听证", "复议", "行政复议",
    "诉讼", "行政诉讼", "赔偿", "补偿", "许可", "批准", "登记", "备案", "期限",
    "日内", "罚", "城管", "噪声", "垃圾", "建筑", "施工", "物业", "业主", "犬只",
    "广告", "绿化", "树木", "排放", "污水", "河道", "出租", "征收", "信访",
}

LAW_PREFIXES = ("中华人民共和国", "上海市")


# ---------------------------------------------------------------- corpus

class Corpus:
    def __init__(self, root: Path) -> None:
        self.files = load_corpus(root)
        self.text = "\n".join(self.files.values())
        library = Library.read(root)
        self.titles: set[str] = library.titles
        self.law_titles = {d.title for d in library.laws()}    # not the court cases
        self._paragraphs: list[str] | None = None

    def occurs(self, term: str) -> bool:
        return term in self.text

    def paragraphs(self) -> list[str]:
        if self._paragraphs is None:
            self._paragraphs = [
                norm_brackets(p) for p in re.split(r"\n\s*\n", self.text) if p.strip()
            ]
        return self._paragraphs


def norm_brackets(s: str) -> str:
    return s.replace("〈", "《").replace("〉", "》")


# ---------------------------------------------------------------- io

def read_lexicon_lines(path: Path, rep: Report) -> list[str] | None:
    """read_lines, plus a problem for every blank line and stray whitespace."""
    lines = read_lines(path, rep)
    if lines is None:
        return None
    name = path.name
    for i, ln in enumerate(lines, 1):
        if not ln.strip():
            rep.bad(f"{name}:{i}", "blank line")
        elif ln != ln.strip():
            rep.bad(f"{name}:{i}", "leading/trailing whitespace")
    return lines


def read_tsv(path: Path, header: list[str], rep: Report) -> list[tuple[int, list[str]]]:
    lines = read_lexicon_lines(path, rep)
    if lines is None:
        return []
    name = path.name
    if not lines or lines[0].split("\t") != header:
        rep.bad(f"{name}:1", f"header must be {'<TAB>'.join(header)!r}")
        return []
    rows = []
    for i, ln in enumerate(lines[1:], 2):
        if not ln.strip():
            continue
        cols = ln.split("\t")
        if len(cols) != len(header):
            rep.bad(f"{name}:{i}", f"expected {len(header)} tab-separated columns, got {len(cols)}")
            continue
        if any(c != c.strip() or not c for c in cols):
            rep.bad(f"{name}:{i}", "empty field or whitespace around a field")
            continue
        rows.append((i, cols))
    return rows


# ---------------------------------------------------------------- checks

def check_stopwords(path: Path, rep: Report) -> set[str]:
    lines = read_lexicon_lines(path, rep) or []
    words: set[str] = set()
    for i, w in enumerate(lines, 1):
        w = w.strip()
        if not w:
            continue
        where = f"{path.name}:{i}"
        if re.search(r"\s", w):
            rep.bad(where, f"whitespace inside {w!r}")
        if w in words:
            rep.bad(where, f"duplicate {w!r}")
        if w in PROTECTED:
            rep.bad(where, f"{w!r} is a legal content word and must not be a stopword")
        words.add(w)
    return words


def check_userdict(path: Path, corpus: Corpus, rep: Report) -> set[str]:
    lines = read_lexicon_lines(path, rep) or []
    words: set[str] = set()
    for i, ln in enumerate(lines, 1):
        if not ln.strip():
            continue
        where = f"{path.name}:{i}"
        parts = ln.split(" ")
        if len(parts) not in (2, 3) or any(not p for p in parts):
            rep.bad(where, f"expected 'word freq [tag]', got {ln!r}")
            continue
        word, freq = parts[0], parts[1]
        if not JIEBA_BLOCK.match(word):
            rep.bad(where, f"{word!r} has characters jieba splits on; it can never be one token")
        if not freq.isdigit() or int(freq) <= 0:
            rep.bad(where, f"freq must be a positive integer, got {freq!r}")
        if len(parts) == 3 and not TAG.match(parts[2]):
            rep.bad(where, f"bad POS tag {parts[2]!r}")
        if len(word) < 2:
            rep.bad(where, f"single-character entry {word!r}")
        if word in words:
            rep.bad(where, f"duplicate word {word!r}")
        words.add(word)
        if not corpus.occurs(word):
            rep.bad(where, f"{word!r} does not occur in the corpus")
    return words


def check_synonyms(path: Path, corpus: Corpus, stop: set[str], rep: Report) -> tuple[set[str], set[str]]:
    keys: Counter[str] = Counter()
    terms_all: set[str] = set()
    for i, (key, legal) in read_tsv(path, ["colloquial", "legal"], rep):
        where = f"{path.name}:{i}"
        keys[key] += 1
        if keys[key] > 1:
            rep.bad(where, f"duplicate key {key!r}")
        if re.search(r"\s", key):
            rep.bad(where, f"whitespace inside key {key!r}")
        terms = legal.split(" ")
        if any(not t for t in terms):
            rep.bad(where, "empty term (double space?)")
            terms = [t for t in terms if t]
        dup = [t for t, c in Counter(terms).items() if c > 1]
        if dup:
            rep.bad(where, f"repeated terms {dup}")
        for t in terms:
            if not corpus.occurs(t):
                rep.bad(where, f"legal term {t!r} (for {key!r}) does not occur in the corpus")
            if t in stop:
                rep.bad(where, f"legal term {t!r} is a stopword and would be dropped")
        if terms == [key]:
            rep.note(where, f"identity row {key!r}")
        terms_all.update(terms)
    return set(keys), terms_all


def check_aliases(path: Path, corpus: Corpus, rep: Report) -> int:
    rows = read_tsv(path, ["alias", "title"], rep)
    alias_to: dict[str, str] = {}
    for i, (alias, title) in rows:
        where = f"{path.name}:{i}"
        if alias in alias_to:
            rep.bad(where, f"duplicate alias {alias!r}")
            continue
        alias_to[alias] = title
        if title not in corpus.titles:
            rep.bad(where, f"title {title!r} is not a '# ' title of any corpus file")
        if alias in corpus.titles and alias != title:
            rep.bad(where, f"alias {alias!r} is itself a corpus title but maps to {title!r}")
    covered = set(alias_to.values())
    # Short forms that two titles share (上海市河道管理条例 and 中华人民共和国河道管理条例 are both
    # 「河道管理条例」): the table must map them to one of those titles, its choice.
    owners: dict[str, set[str]] = {}
    for title in corpus.law_titles:
        for pre in LAW_PREFIXES:
            if title.startswith(pre) and len(title) > len(pre):
                owners.setdefault(title[len(pre):], set()).add(title)
    for title in sorted(corpus.law_titles):
        if title not in covered:
            rep.bad(path.name, f"law title {title!r} has no alias")
        for pre in LAW_PREFIXES:
            if title.startswith(pre) and len(title) > len(pre):
                short = title[len(pre):]
                if short in corpus.titles and short != title:
                    rep.note(path.name, f"short form {short!r} of {title!r} is itself a corpus title; left to that title")
                elif len(owners[short]) > 1:
                    if alias_to.get(short) not in owners[short]:
                        rep.bad(path.name, f"short form {short!r} is shared by {sorted(owners[short])}: "
                                           "map it to one of them")
                    elif alias_to[short] != title:
                        rep.note(path.name, f"short form {short!r} is shared; mapped to {alias_to[short]!r}")
                elif alias_to.get(short) != title:
                    rep.bad(path.name, f"short form {short!r} should be an alias of {title!r}")
    return len(rows)


def check_replacements(path: Path, corpus: Corpus, rep: Report) -> int:
    rows = read_tsv(path, ["old_title", "new_title", "note"], rep)
    olds: dict[str, str] = {}
    for i, (old, new, note) in rows:
        where = f"{path.name}:{i}"
        if old in olds:
            rep.bad(where, f"duplicate old_title {old!r}")
        olds[old] = new
        if old == new:
            rep.bad(where, "old_title equals new_title")
        if new not in corpus.titles:
            rep.bad(where, f"new_title {new!r} is not a '# ' title of any corpus file")
        key = norm_brackets(old)
        if not any(key in p and "废止" in p for p in corpus.paragraphs()) and not _renamed(old, new, corpus):
            rep.bad(where, f"no corpus paragraph names {old!r} as 废止, nor do the history lines of {new!r} "
                           f"name it as revised")
    for i, (old, new, _) in rows:
        if new in olds:
            rep.bad(f"{path.name}:{i}", f"chain: new_title {new!r} is itself replaced; point to the final title")
    return len(rows)


def _renamed(old: str, new: str, corpus: Corpus) -> bool:
    """The new title's own history lines revise the law under the old one (「…《关于修改〈上海市区县
    和乡镇人民代表大会代表直接选举实施细则〉的决定》第六次修正」 in the file titled 上海市区和乡镇…):
    the same law renamed, its older text no longer in force."""
    return any(f"《{old}》" in line and "修改" in line
               for h in _history_headers(new, corpus) for line in norm_brackets(h).splitlines())


def _history_headers(title: str, corpus: Corpus) -> list[str]:
    """The heads (title and history lines, before 「<!-- INFO END -->」) of the files so titled."""
    return [text.split("<!-- INFO END -->")[0] for text in corpus.files.values()
            if text.lstrip().startswith(f"# {title}\n")]


def check_title_corrections(path: Path, corpus: Corpus, rep: Report) -> int:
    """Each corrected title is that of a corpus file, and the file's own history lines name the
    law by the correction (the evidence that the file's title is misspelt, not a renamed law)."""
    if not path.exists():
        return 0
    rows = read_tsv(path, ["source_title", "title", "evidence"], rep)
    for i, (source, title, _) in rows:
        where = f"{path.name}:{i}"
        headers = _history_headers(source, corpus)
        if not headers:
            rep.bad(where, f"no corpus file is titled {source!r}")
        elif not any(f"《{title}》" in norm_brackets(h) for h in headers):
            rep.bad(where, f"the history lines of {source!r} do not name {title!r}")
        if title not in corpus.titles:
            rep.bad(where, f"{title!r} is not a title of the library after correction")
    return len(rows)


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_option(ap)
    ap.add_argument("--dir", type=Path, default=HERE, help="folder with the lexicon files")
    ap.add_argument("-v", "--verbose", action="store_true", help="also print notes")
    args = ap.parse_args(argv)

    corpus = Corpus(args.corpus)
    rep = Report()
    d = args.dir

    stop = check_stopwords(d / "stopwords.txt", rep)
    ud = check_userdict(d / "userdict.txt", corpus, rep)
    syn_keys, syn_terms = check_synonyms(d / "synonyms.tsv", corpus, stop, rep)
    n_alias = check_aliases(d / "law_aliases.tsv", corpus, rep)
    n_repl = check_replacements(d / "replacements.tsv", corpus, rep)
    n_titles = check_title_corrections(d / "title_corrections.tsv", corpus, rep)

    for w in sorted(stop & ud):
        rep.bad("stopwords.txt", f"{w!r} is also a userdict word")
    for w in sorted(stop & syn_keys):
        rep.bad("stopwords.txt", f"{w!r} is also a synonyms key")

    print(f"corpus: {len(corpus.files)} files, {len(corpus.titles)} titles "
          f"({len(corpus.law_titles)} laws) under {args.corpus}")
    print(f"synonyms.tsv: {len(syn_keys)} rows, {len(syn_terms)} distinct legal terms")
    print(f"userdict.txt: {len(ud)} words")
    print(f"stopwords.txt: {len(stop)} words")
    print(f"law_aliases.tsv: {n_alias} aliases")
    print(f"replacements.tsv: {n_repl} replacements")
    print(f"title_corrections.tsv: {n_titles} corrections")
    return rep.finish(notes=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
