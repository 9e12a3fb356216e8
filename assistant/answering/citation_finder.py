"""Find every article reference in a generated reply, however it is written, with its law.

Anything that looks like a citation counts: the law in 《》, <<>>, 〈〉, 【】, 「」, quotes or no
brackets, with a version note such as （2019年版）; the number in Arabic, full-width or Chinese
numerals (零〇两百千, 壹贰叁), with 之一 and 款/项 tails; English 「Article 57 of …」「Art. 57」;
invisible characters anywhere. A bare 第N条 counts for the one law its sentence (or the sentence
before) cites. Checking what is found against the index is `verify.py`'s job."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.legaltext import (
    CN_NUMERAL,
    fold,
    read_number,
    read_year,
)
from assistant.core.models import Chunk
from assistant.retrieval.lawnames import LawNames

# No law in the library comes near this many articles (the Civil Code, the longest, has 1260):
# a larger number is invented. It is never looked up — SQLite cannot bind past 2**63 - 1.
MAX_ARTICLE = 10000
# 「第五十七条至第六十条」 cites every article in between; a longer range is not checked article
# by article but treated as unverifiable.
MAX_RANGE = 50
# How far before an article number its law's name may start: the longest titles have about 40
# characters, plus a version note and the brackets.
LOOKBACK = 160
# Longest law name read between brackets or after 「of」 (some 决定 titles run past 60 characters,
# and a version note may sit inside the brackets). A longer one still counts as a named law.
MAX_NAME = 90
# Longest parenthetical note peeled off between a law and its article (「（2019年1月31日修正）」).
MAX_NOTE = 40

NOT_FOUND = "索引中不存在该条文"
SUPERSEDED = "该条文已被修订或废止"
OTHER_REGION = "该条文属于其他地区"
NOT_RETRIEVED = "该条文不在本次检索到的依据中"
NO_LAW = "未能确定所引的是哪部法规"
NO_VERSION = "索引中没有所引的版本"
NO_PARAGRAPH = "该条文没有所引的款或项"

# --- how references are written (on folded text: NFKC, invisible characters removed) ---------

# Markdown emphasis and escapes are not read: 「第**999**条」 shows as 第999条.
MARKUP = "*`_\\"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A number as written: digits, Chinese numerals, letters (Roman numerals, 「第N条」 placeholders),
# with spaces or dots inside (「第 9 9 9 条」「第57.1条」) — read later, or found unreadable.
_DIGIT = rf"[\dA-Za-z{CN_NUMERAL}]"
_CN = rf"{_DIGIT}+(?:[\s.·']+{_DIGIT}+)*"
_JOIN = r"(?:[、,/&]|以及|和|及|与|或)"
_TO = r"(?:至|到|~|-|–|—|−)"
_CN_NUMS = rf"{_CN}(?:\s*(?:{_JOIN}|{_TO})\s*第?\s*{_CN})*"
_CN_TAIL = rf"(?:\s*第?\s*\(?\s*{_CN}\s*\)?\s*[款项項])*"
# Between 第 and 条 anything but ordinary Chinese words counts as the number (「第9|99条」 is
# unreadable, hence removed, rather than missed), a line break too (markdown shows 「第\n999条」
# as 第 999条); 第/和/至… may join a list or range.
_CN_BODY = rf"(?:[{CN_NUMERAL}第和及与或以至到]|[^{_HAN}条條。;!?])"
# 第五十七条, 第 57 条, 第57、58条, 第57条之一, 第57条第二款第(三)项, 第57条至第60条
CN_ARTICLE = re.compile(
    rf"第(?P<nums>{_CN_BODY}{{1,30}}?)[条條](?:\s*之\s*(?P<sub>{_CN}))?(?P<tail>{_CN_TAIL})"
    rf"(?:\s*{_TO}\s*第?\s*(?P<upto>{_CN})\s*[条條](?:\s*之\s*(?P<uptosub>{_CN}))?)?")
# 57条 right after a law (「《条例》57条」「条例五十七条」); elsewhere 「两条」 is just a count.
# Not the 条 of a name's 条例 (but 「57条例如」 is 57条 followed by 例如).
BARE_ARTICLE = re.compile(
    rf"(?<![第\dA-Za-z{CN_NUMERAL}.])(?P<nums>{_CN_NUMS})\s*[条條](?!例(?![如外]))(?:\s*之\s*(?P<sub>{_CN}))?"
    rf"(?P<tail>{_CN_TAIL})")
_EN_WORDS = ("zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
             "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
             "eighty|ninety|hundred|thousand|first|second|third|fourth|fifth|sixth|seventh|eighth|"
             "ninth|tenth")
_EN_NUM = (rf"(?:\d+(?:[ .·]\d+)*|[{CN_NUMERAL}]+|(?-i:[IVXLCDM]+)(?![A-Za-z])"
           rf"|(?:{_EN_WORDS})(?:[\s-]+(?:and[\s-]+)?(?:{_EN_WORDS}))*(?![A-Za-z]))")
# Article 999, Art. 57, article 57(2), Articles 57 and 58, § 57. Word numerals are found (and,
# not being read, removed) rather than missed.
EN_ARTICLE = re.compile(
    rf"(?i)(?<![A-Za-z])(?:articles?|art(?![A-Za-z])\.?|§+)\s*(?:no\.?\s*)?"
    rf"(?P<nums>{_EN_NUM}(?:\s*(?:,|&|/|and|or|to|through|-|–|—)\s*{_EN_NUM})*)"
    rf"(?P<tail>(?:\s*\(\s*[0-9A-Za-z]{{1,4}}\s*\))*)")
_EN_OF = re.compile(r"\s*,?\s*(?:of|in|under|from)\s+(?:the\s+)?", re.IGNORECASE)
_SEP = re.compile(rf"\s*((?i:through|and|or|to)|{_TO}|{_JOIN})\s*")
_RANGE_SEPS = {"至", "到", "~", "-", "–", "—", "−", "to", "through"}
_TAIL_PART = re.compile(rf"\(?\s*([0-9A-Za-z]+|[{CN_NUMERAL}]+)\s*\)?\s*([款项項])?")
# Between two references of one list: 「第57条、第58条」「第57条和第58条」.
_LIST_GAP = re.compile(rf"\s*(?:{_JOIN}|and|or)?\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。!?;\n\u2028\u2029]")

# Brackets a law may be written in; two-character forms first so 「>>」 is not read as 「>」.
_CLOSE_TO_OPEN = {">>": "<<", "〉〉": "〈〈", "》": "《", "〉": "〈", "】": "【", "〗": "〖", "」": "「",
                  "』": "『", "”": "“", "’": "‘", "»": "«", "〕": "〔", "]": "[", ">": "<", '"': '"', "'": "'"}
_OPEN_TO_CLOSE = {o: c for c, o in _CLOSE_TO_OPEN.items()}
_BOOK_TITLE = re.compile(rf"(?:《|<<|〈〈?)([^《》<>〈〉\n]{{1,{MAX_NAME}}})(?:》|>>|〉〉?)")
_BRACKET_CHARS = "".join(sorted(set("".join(_CLOSE_TO_OPEN) + "".join(_OPEN_TO_CLOSE)))) + " "
_HAN_RUN_END = re.compile(rf"[{_HAN}·]+$")
_HAN_RUN_START = re.compile(rf"[{_HAN}·]+")
_ASCII_WORD_END = re.compile(r"([A-Za-z][A-Za-z'-]*)\.?$")
_ENGLISH_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 '&-]{0,80}")
_NOTE_AFTER = re.compile(r"\s*\(([^()]{0,40})\)")
# 「本条例」「该法」「上述规定」: the law the text is already talking about.
_DEICTIC = re.compile(r"(?:本|该|此|同|上述|前述|这部|那部)(?:部)?(?:条例|法律|法规|法|规定|办法|细则|决定|规则|规章|文件)?$")
# Words that cite what follows: 「按照57条」 is a citation even without 第 or a law.
_CITING = re.compile(r"(?:根据|依据|依照|按照|参照|参见|详见|见|据|按|依|违反|适用|援引|引用|对照|符合)$")
# Endings of a document's name: a name ending so, found nowhere in the index, is an unknown law.
LAW_SUFFIXES = ("法", "条例", "规定", "办法", "细则", "规则", "决定", "章程", "标准", "规范", "意见", "通知",
                "解释", "纲要", "公约", "法典", "准则", "守则", "措施")
# A name continued by these is another document: 「生活垃圾管理条例实施细则」.
_CONTINUATIONS = ("实施", "细则", "办法", "若干", "补充", "解释")
# Where an unbracketed name in a sentence ends like a document; 规定/办法/决定 are also common
# words (「有关规定」「没有办法」), so those count only with a jurisdiction in the name.
_DOC_END = re.compile(r"条例|细则|法典|规则|办法|规定|决定|法")
_OFFICIAL = re.compile(rf"中华人民共和国|国务院|全国|最高人民|[{_HAN}](?:省|市|自治区|县)")
_COMMON_FA = ("依法", "违法", "执法", "合法", "非法", "守法", "不法", "方法", "办法", "做法", "说法", "看法",
              "想法", "用法", "司法", "立法", "无法", "设法", "犯法")
# A version written without parentheses between a law and its number: 「…条例2019年版第57条」.
_BARE_VERSION = re.compile(r"(?:(?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*(?:年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?)?"
                           r"\s*(?:版本|版|修正本|修订本|修正|修订|施行|公布|通过)?$")
# Characters that end the words usually written before a law name (根据 依照 按 参见 违反 符合 适用
# …). A short name after anything else may be part of another law's name: 「杭州生活垃圾管理条例」
# is not 「生活垃圾管理条例」.
_LEAD_CHARS = set("据照依按见阅查参于对和及与或并且在由为是即如反背合用引援述看另经、")
# English words that may stand before 「Article 57」 without naming a law.
_EN_LEADS = {"per", "under", "see", "to", "in", "of", "by", "with", "and", "or", "its", "this", "that",
             "same", "pursuant", "according", "cf", "ibid", "id", "also", "from", "the", "as", "at", "on",
             "for", "is", "was", "a", "an", "said", "which", "whose"}


@dataclass(frozen=True)
class Law:
    """The law a reference names. named False: no name stands there — nothing, or a word such
    as 「本条例」 (then in `written`) — and the law is taken from the context."""

    title: str | None  # exact title, when the name resolves
    written: str | None
    start: int  # where the name starts in the text
    year: int | None = None  # the version a note claims: 「（2019年版）」 → 2019
    named: bool = False  # a law's name (resolved or not) rather than nothing or 「本条例」


@dataclass(frozen=True)
class Found:
    """One article reference in folded text, with its law."""

    start: int
    end: int
    law: str | None
    written: str | None
    article: int | None
    sub: int | None = None
    paragraph: int | None = None
    item: int | None = None
    year: int | None = None
    problem: str | None = None  # known before any lookup


@dataclass(frozen=True)
class _Marker:
    """An article number as written, before its law is known."""

    start: int
    end: int
    kind: str  # cn / bare / en
    numbers: tuple[int | None, ...]
    sub: int | None
    readable: bool  # the 之N and 款/项 parts could be read
    paragraph: int | None
    item: int | None


def find_citations(text: str, names: LawNames) -> list[tuple[str, str | None, str | None, int | None]]:
    """(raw, resolved title or None, law as written, article) for every reference in `text`."""
    folded, _ = fold(text, MARKUP)
    return [(folded[f.start:f.end], f.law, f.written, f.article) for f in citations(folded, names)]


def article_key(chunk: Chunk) -> tuple[str, int | None, int | None]:
    """(law, article, 之N) — 第57条之一 is its own article, held under number 57."""
    return chunk.law, chunk.article, sub_of_label(chunk.article_label)


def sentence_spans(folded: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, its closing 。！？； or line break included."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(folded):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(folded) or not spans:
        spans.append((start, len(folded)))
    return spans


# --- finding references ----------------------------------------------------------------------


def citations(folded: str, names: LawNames) -> list[Found]:
    """Every article reference in folded text with the law it names or refers back to; one entry
    per article (「第57、58条」 gives two)."""
    spans = sentence_spans(folded)
    starts = [a for a, _ in spans]
    out: list[Found] = []
    previous: tuple[_Marker, Law] | None = None
    for marker in markers(folded):
        law, end = _law_of(folded, marker, names)
        if law is None:
            continue  # a count such as 「两条」, not a reference
        if not law.named:
            law = _from_context(folded, marker, law, previous, spans, starts, names)
        previous = (marker, law)
        start = law.start if law.named and law.start < marker.start else marker.start
        for number in marker.numbers:
            out.append(_found(start, end, law, number, marker))
    return out


def markers(folded: str) -> list[_Marker]:
    """Article numbers as written, in order, none overlapping another."""
    found = [_marker(m, "cn") for m in CN_ARTICLE.finditer(folded)]
    found += [_marker(m, "en") for m in EN_ARTICLE.finditer(folded)]
    taken = [(x.start, x.end) for x in found]
    found += [_marker(m, "bare") for m in BARE_ARTICLE.finditer(folded)
              if not any(a < m.end() and m.start() < b for a, b in taken)]
    found.sort(key=lambda x: (x.start, -x.end))
    out: list[_Marker] = []
    for x in found:
        if not out or x.start >= out[-1].end:
            out.append(x)
    return out


def _marker(m: re.Match, kind: str) -> _Marker:
    numbers = _numbers(m.group("nums"))
    groups = m.groupdict()
    if groups.get("upto"):
        last, upto = numbers[-1], _article_number(groups["upto"])
        numbers += _range(last, upto) if not groups.get("uptosub") else (None,)
    sub = read_number(groups["sub"]) if groups.get("sub") else None
    paragraph, item, tail_ok = _tail(m.group("tail"), kind)
    readable = tail_ok and (sub is not None or not groups.get("sub"))
    return _Marker(m.start(), m.end(), kind, numbers, sub, readable, paragraph, item)


def _numbers(nums: str) -> tuple[int | None, ...]:
    """「57、58」→ (57, 58); 「57至60」→ 57…60; an unreadable number → None (never verifiable)."""
    pieces = _SEP.split(nums)
    out = [_article_number(pieces[0])]
    for sep, piece in zip(pieces[1::2], pieces[2::2]):
        value = _article_number(piece)
        if sep.lower() in _RANGE_SEPS:
            out += _range(out[-1], value)
        else:
            out.append(value)
    return tuple(out)


def _range(first: int | None, last: int | None) -> tuple[int | None, ...]:
    """The articles after `first` up to `last`; (None,) when that is no range to check."""
    if first is None or last is None or not 0 < last - first <= MAX_RANGE:
        return (None,)
    return tuple(range(first + 1, last + 1))


def _article_number(numeral: str) -> int | None:
    """A plausible article number, or None — checked before any lookup."""
    n = read_number(numeral.strip().removeprefix("第"))
    return n if n is not None and 1 <= n <= MAX_ARTICLE else None


def _tail(tail: str, kind: str) -> tuple[int | None, int | None, bool]:
    """(款, 项, readable) from 「第二款第(三)项」 or, in English, 「(2)(a)」."""
    paragraph = item = None
    for n, m in enumerate(_TAIL_PART.finditer(tail or "")):
        if not m.group(0).strip():
            continue
        value = read_number(m.group(1))
        if value is None:
            return None, None, False
        unit = m.group(2) or ("款" if n == 0 and kind == "en" and paragraph is None else "项")
        if unit == "款":
            paragraph = value
        else:
            item = value
    return paragraph, item, True


def _found(start: int, end: int, law: Law, number: int | None, marker: _Marker) -> Found:
    problem = None
    if law.title is None:
        problem = NOT_FOUND if law.written else NO_LAW
    elif number is None or not marker.readable:
        problem = NOT_FOUND
    return Found(start, end, law.title, law.written, number, marker.sub, marker.paragraph, marker.item,
                 law.year, problem)


# --- whose article: the law written before (or, in English, after) the number ----------------


def _law_of(folded: str, marker: _Marker, names: LawNames) -> tuple[Law | None, int]:
    """The law of a reference and where the reference ends; None for a bare 「两条」 that follows
    no law (a count, not a citation)."""
    if marker.kind == "en":
        after, end = law_after(folded, marker.end, names)
        if after is not None:
            return after, end
    before = law_before(folded, marker.start, names)
    if marker.kind == "bare" and not (before.named or before.written or _cited_bare(folded, marker)):
        return None, marker.end
    return before, marker.end


def _cited_bare(folded: str, marker: _Marker) -> bool:
    """「按照57条」「依据五十七条」 cite an article; 「按照两条原则」 counts two principles."""
    head, _ = peel(folded[max(0, marker.start - LOOKBACK):marker.start])
    number = re.match(rf"[\d{CN_NUMERAL}]+", folded[marker.start:marker.end]).group(0)
    return bool(_CITING.search(head)) and (number.isdigit() or len(number) > 1)


def law_before(folded: str, start: int, names: LawNames) -> Law:
    """The law written right before position `start` — 「《X》」「<<X>>」「【X】」「X」 and the like,
    perhaps followed by 的, spaces or a note in parentheses."""
    window = max(0, start - LOOKBACK)
    head, notes = peel(folded[window:start])
    year = _first_year(notes)
    bracketed = _bracketed_before(head)
    if bracketed is not None:
        at, name = bracketed
        title, written, inner_year = _resolve_written(name, names)
        return Law(title, written, window + at, year or inner_year, named=True)
    spelled = next((n for n in names.punctuated if head.endswith(n)), None)
    if spelled is not None:  # 「依据上海市实施《中华人民共和国土地管理法》办法第四十二条」, no outer brackets
        return Law(names.names[spelled], spelled, window + len(head) - len(spelled), year, named=True)
    if head.endswith(tuple(_CLOSE_TO_OPEN)):
        # A closing bracket whose name cannot be read: something is named there, not nothing.
        return Law(None, head[-MAX_NAME:], window + max(0, len(head) - MAX_NAME), year, named=True)
    ascii_word = _ASCII_WORD_END.search(head)
    if ascii_word:
        if ascii_word.group(1).lower() in _EN_LEADS:
            return Law(None, None, start, year)
        english = re.search(r"[A-Za-z][A-Za-z0-9 '&-]*$", head)
        return Law(None, english.group(0).strip(), window + english.start(), year, named=True)
    run = _HAN_RUN_END.search(head)
    if run:
        return _law_in_run(run.group(0), window + run.start(), year, names, start)
    return Law(None, None, start, year)


def law_after(folded: str, end: int, names: LawNames) -> tuple[Law | None, int]:
    """「Article 57 of 《X》」: the law after 「of」 and where it ends; (None, end) when none."""
    of = _EN_OF.match(folded, end)
    if not of:
        return None, end
    pos = of.end()
    law, stop = _law_at(folded, pos, names)
    if law is None:
        return None, end
    note = _NOTE_AFTER.match(folded, stop)
    if note and read_year(note.group(1)) is not None:
        law = Law(law.title, law.written, law.start, law.year or read_year(note.group(1)), named=True)
        stop = note.end()
    return law, stop


def _law_at(folded: str, pos: int, names: LawNames) -> tuple[Law | None, int]:
    """A law name starting at `pos`: bracketed, a title in Chinese, or words in English."""
    for open_, close in _OPEN_TO_CLOSE.items():
        if folded.startswith(open_, pos):
            stop = folded.find(close, pos + len(open_))
            if 0 <= stop - pos <= MAX_NAME:
                title, written, year = _resolve_written(folded[pos + len(open_):stop], names)
                return Law(title, written, pos, year, named=True), stop + len(close)
    run = _HAN_RUN_START.match(folded, pos)
    if run:
        text = run.group(0)[:MAX_NAME]
        for n in range(len(text), 1, -1):
            if text[:n] in names.names and not text[n:].startswith(_CONTINUATIONS):
                return Law(names.names[text[:n]], text[:n], pos, named=True), pos + n
        return Law(None, text, pos, named=True), run.end()
    english = _ENGLISH_NAME.match(folded, pos)
    if english:
        return Law(None, english.group(0).strip(), pos, named=True), english.end()
    return None, pos


def peel(head: str) -> tuple[str, list[str]]:
    """`head` without what may stand between a law and its article number — spaces, 的/之/中,
    notes in parentheses — and those notes (where a version is claimed: 「(2019年版)」)."""
    notes: list[str] = []
    while head:
        if head[-1].isspace():
            head = head.rstrip()
        elif head[-1] in "的之中里内":
            head = head[:-1]
        elif head[-1] == ")" and 0 <= (at := head.rfind("(")) and len(head) - at - 2 <= MAX_NOTE:
            notes.append(head[at + 1 : -1])
            head = head[:at]
        elif version := _BARE_VERSION.search(head):
            notes.append(version.group(0))
            head = head[: version.start()]
        else:
            break
    return head, notes


def _bracketed_before(head: str) -> tuple[int, str] | None:
    """(offset of the opening bracket, the name) when `head` ends with a bracketed name."""
    for close, open_ in _CLOSE_TO_OPEN.items():
        if head.endswith(close):
            body = head[: -len(close)]
            at = _matching_open(body, open_, close)
            if at < 0 or len(body) - at - len(open_) > MAX_NAME or "\n" in body[at:]:
                return None
            return at, body[at + len(open_):]
    return None


def _matching_open(body: str, open_: str, close: str) -> int:
    """Where the bracket closed at the end of `body` opens: 《上海市实施《中华人民共和国土地管理法》办法》
    nests a title in its own brackets (as LLM replies write it), so the nearest 《 is not it."""
    if open_ == close:
        return body.rfind(open_)
    depth = 0
    for at in range(len(body) - len(open_), -1, -1):
        if body.startswith(close, at):
            depth += 1
        elif body.startswith(open_, at):
            if depth == 0:
                return at
            depth -= 1
    return -1


def _law_in_run(run: str, offset: int, year: int | None, names: LawNames, start: int) -> Law:
    """The law at the end of a run of Chinese characters: 「依据上海市生活垃圾管理条例」."""
    for i in range(len(run)):
        candidate = run[i:]
        title = names.names.get(candidate)
        if title is None:
            continue
        lead = run[:i]
        if not lead or candidate == title or lead[-1] in _LEAD_CHARS:
            return Law(title, candidate, offset + i, year, named=True)
        return Law(None, run[-MAX_NAME:], offset + max(0, len(run) - MAX_NAME), year, named=True)
    deictic = _DEICTIC.search(run)
    if deictic:
        return Law(None, deictic.group(0), start, year)
    if run.endswith(LAW_SUFFIXES):
        return Law(None, run[-MAX_NAME:], offset + max(0, len(run) - MAX_NAME), year, named=True)
    return Law(None, None, start, year)


def _resolve_written(name: str, names: LawNames) -> tuple[str | None, str, int | None]:
    """(exact title or None, the name as written, version year) for a bracketed name, which may
    carry its own note: 「上海市生活垃圾管理条例(2019年版)」."""
    whole = re.sub(r"\s+", "", name).strip(_BRACKET_CHARS)
    if whole in names.names:  # a title with parentheses of its own: 《中国(上海)自由贸易试验区条例》
        return names.names[whole], whole, None
    notes = re.findall(r"\(([^()]*)\)", name)
    bare = re.sub(r"\([^()]*\)|\s+", "", name).strip(_BRACKET_CHARS)
    return names.names.get(bare) or _fuzzy(bare, names), bare, _first_year(notes)


def _fuzzy(written: str, names: LawNames) -> str | None:
    """《中华人民共和国噪声污染防治法》 vs 《噪声污染防治法》: strip the usual prefixes."""
    for prefix in ("中华人民共和国", "上海市"):
        short = written.removeprefix(prefix)
        if short in names.names:
            return names.names[short]
    return None


def _first_year(notes: list[str]) -> int | None:
    return next((y for y in map(read_year, notes) if y is not None), None)


# --- a bare 第N条: the one law its sentence, or the sentence before, cites ---------------------


def _from_context(folded: str, marker: _Marker, law: Law, previous: tuple[_Marker, Law] | None,
                  spans: list[tuple[int, int]], starts: list[int], names: LawNames) -> Law:
    if previous and previous[0].end <= marker.start and _LIST_GAP.fullmatch(folded[previous[0].end:marker.start]):
        # 「《X》第57条、第58条」: the list's law.
        prior = previous[1]
        return Law(prior.title, prior.written, marker.start, law.year or prior.year, named=prior.named)
    n = bisect.bisect_right(starts, marker.start) - 1
    for a, b in spans[max(0, n - 1) : n + 1][::-1]:  # its own sentence, then the one before
        cited = law_mentions(folded[a:b], names)
        if len(cited) == 1:
            title, written = next(iter(cited))
            return Law(title, written, marker.start, law.year, named=True)
        if cited:
            break  # two laws: which one is meant cannot be told
    return Law(None, None, marker.start, law.year)


def law_mentions(sentence: str, names: LawNames) -> set[tuple[str | None, str]]:
    """The laws a sentence names: (exact title or None when unknown, as written), one entry per law."""
    out: set[tuple[str | None, str]] = set()
    for m in _BOOK_TITLE.finditer(sentence):
        title, written, _ = _resolve_written(m.group(1), names)
        out.add((title, title or written))
    pattern = _name_pattern(names)
    for m in pattern.finditer(sentence) if pattern else ():
        name, title = m.group(0), names.names[m.group(0)]
        before = sentence[m.start() - 1] if m.start() else ""
        known = ((name == title or not re.match(rf"[{_HAN}]", before) or before in _LEAD_CHARS)
                 and not sentence[m.end():].startswith(_CONTINUATIONS))
        out.add((title, title) if known else (None, before + name))
    out |= _unbracketed_laws(sentence, names)
    for m in CN_ARTICLE.finditer(sentence):
        law = law_before(sentence, m.start(), names)
        if law.named:
            out.add((law.title, law.title or law.written or ""))
    return out


def _unbracketed_laws(sentence: str, names: LawNames) -> set[tuple[str | None, str]]:
    """Laws named without brackets, known or not: 「治安管理处罚法规定，」「上海市某某条例：」."""
    out: set[tuple[str | None, str]] = set()
    for run in re.finditer(rf"[{_HAN}]+", sentence):
        for end in _DOC_END.finditer(run.group(0)):
            candidate = run.group(0)[: end.end()]
            if _DEICTIC.search(candidate):
                continue
            law = _law_in_run(candidate, 0, None, names, 0)
            if law.title:
                out.add((law.title, law.title))
            elif law.named and _looks_like_a_title(candidate, end.group(0)):
                out.add((None, candidate))
    return out


def _looks_like_a_title(name: str, ending: str) -> bool:
    if ending in ("条例", "细则", "法典") or _OFFICIAL.search(name):
        return True
    return ending == "法" and len(name) >= 4 and not name.endswith(_COMMON_FA)


@lru_cache(maxsize=8)
def _name_pattern(names: LawNames) -> re.Pattern | None:
    keys = sorted(names.names, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def sub_of_label(label: str | None) -> int | None:
    m = re.search(rf"[条條]\s*之\s*([{CN_NUMERAL}\d]+)", fold(label or "")[0])
    return read_number(m.group(1)) if m else None


