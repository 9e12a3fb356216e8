"""An article as its 款 (paragraphs) with their 项 (items), read back from indexed chunks, and the
articles a 款 refers to (「违反本条例第二十二条规定」), so that a penalty 款 can be matched on the
conduct it punishes."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.legaltext import ITEM_NUMBER, ITEM_START, referenced_numbers, shorten
from assistant.core.models import Chunk
from assistant.index.store import ChunkStore

PENALTY_WORDS = re.compile(r"罚款|责令|没收|警告|拘留|吊销")
# The conduct a prohibition names (「禁止擅自填堵河道」「不得擅自砍伐树木」), whole up to the next
# punctuation, at least four characters so that it is specific.
PROHIBITED = re.compile(r"(?:禁止|不得)([^，。；：、\n]{4,20})[。；]")


@dataclass(frozen=True)
class Clause:
    """One 款 of an article: its number (1-based) and its text, items on their own lines."""

    number: int
    text: str

    @property
    def items(self) -> list[str]:
        return [line for line in self.text.split("\n") if ITEM_START.match(line)]


def article_body(chunk: Chunk, store: ChunkStore | None = None) -> str:
    """The whole article without its label. A long article is stored in parts (「第N条（续）」);
    with a store, the parts are joined."""
    parts = [chunk]
    if store is not None and chunk.article is not None:
        same = [c for c in store.article(chunk.law, chunk.article, chunk.version)
                if c.status == chunk.status and c.article_label == chunk.article_label]
        parts = sorted(same, key=lambda c: c.part) or [chunk]
    bodies = []
    for part in parts:
        text = part.text
        label = part.article_label or ""
        for prefix in (f"{label}（续）", label):
            if label and text.startswith(prefix):
                text = text[len(prefix):]
                break
        bodies.append(text.strip())
    return "\n".join(bodies)


def clauses(body: str) -> list[Clause]:
    """款 of an article body: every line that is not a 项 item starts a 款."""
    out: list[list[str]] = []
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        if ITEM_START.match(line) and out:
            out[-1].append(line)
        else:
            out.append([line])
    return [Clause(n, "\n".join(lines)) for n, lines in enumerate(out, 1)]


def referenced_articles(text: str, chunk: Chunk, store: ChunkStore) -> list[tuple[int, str]]:
    """(number, body) of each article of the same law and version that `text` refers to."""
    out: list[tuple[int, str]] = []
    for number in referenced_numbers(text):
        if number == chunk.article:
            continue
        found = [c for c in store.article(chunk.law, number, chunk.version) if c.part == 0]
        if found:
            out.append((number, article_body(found[0], store)))
    return out


class ReferringIndex:
    """Which penalty articles of a law refer to which of its articles (「违反本条例第二十条规定的，
    由公安部门……处……罚款」): the consequence of an obligation. Built once per law and version,
    since answering asks it for several hits of every question."""

    def __init__(self, store: ChunkStore):
        self._store = store
        self._by_law: dict[tuple[str, str | None], dict[int, list[Chunk]]] = {}
        self._penalties: dict[tuple[str, str | None], list[Chunk]] = {}

    def referring(self, chunk: Chunk) -> list[Chunk]:
        if chunk.article is None:
            return []
        key = (chunk.law, chunk.version)
        if key not in self._by_law:
            index: dict[int, list[Chunk]] = {}
            for other in self._store.law_chunks(chunk.law, chunk.version):
                if PENALTY_WORDS.search(other.text):
                    for number in referenced_numbers(other.text):
                        if number != other.article:
                            index.setdefault(number, []).append(other)
            self._by_law[key] = index
        out = list(self._by_law[key].get(chunk.article, []))
        # 「禁止擅自填堵河道」 … 「违反本条例规定，擅自填堵河道的，由…处…罚款」: a penalty article that
        # restates the prohibited conduct instead of citing the article number.
        for phrase in {m.group(1) for m in PROHIBITED.finditer(chunk.text)}:
            for other in self._penalty_chunks(chunk):
                if other.article != chunk.article and phrase in other.text and other not in out:
                    out.append(other)
        return out

    def _penalty_chunks(self, chunk: Chunk) -> list[Chunk]:
        key = (chunk.law, chunk.version)
        if key not in self._penalties:
            self._penalties[key] = [c for c in self._store.law_chunks(chunk.law, chunk.version)
                                    if PENALTY_WORDS.search(c.text) and "违反" in c.text]
        return self._penalties[key]


# 「违反前款第（二）、（三）项规定的」: tiers of a penalty 款 named by the items of the 款 before it.
# National laws: 「单位有前款第一项、第七项行为之一，处…」.
_PREVIOUS_ITEMS = re.compile(r"(?:违反|有)前款((?:第?[（(]?[一二三四五六七八九十]+[)）]?项?[、和及或者]*)+)"
                             r"(?:规定的?|行为之一的?|行为)")
_NUMERAL = re.compile(r"[一二三四五六七八九十]+")
# An item named in a tier is shortened to this many characters (at a 、 or ，).
ITEM_NAME_CHARS = 24


def name_previous_items(text: str, article_clauses: list[Clause], number: int) -> str:
    """`text` (a fine's condition in 款 `number`) with 「违反前款第（N）项规定的」 replaced by what
    those items of the previous 款 say (市容条例第二十八条: 「违反前款第（二）、（三）项规定的」 →
    「乱扔果皮、纸屑、烟蒂、饮料罐、口香糖等废弃物；乱丢废电池等…的」); unchanged when that 款 has
    no such items."""
    previous = next((c for c in article_clauses if c.number == number - 1), None)
    if previous is None or not previous.items:
        return text
    named = {}
    for line in previous.items:
        m = ITEM_START.match(line)
        label = ITEM_NUMBER.match(line)
        if m and label:
            item = line[m.end():].strip().rstrip("；;。").removesuffix("的")
            named[label.group(1)] = shorten(item, ITEM_NAME_CHARS, least=ITEM_NAME_CHARS // 3)

    def spell(m: re.Match) -> str:
        items = [named.get(n) for n in _NUMERAL.findall(m.group(1))]
        ending = "的" if m.group(0).endswith("的") else ""
        return "；".join(items) + ending if items and all(items) else m.group(0)

    return _PREVIOUS_ITEMS.sub(spell, text)
