"""How Chinese legal text writes numbers and structure: one numeral converter and the
条/款/项 patterns that the parser, retrieval, answering and the checkers share."""
from __future__ import annotations

import re
import unicodedata

import cn2an

# Characters of a Chinese article or item numeral (第一百零五条, （十二）).
CN_NUM = "零〇一二两三四五六七八九十百千"

# An article starts a paragraph: 第N条 then whitespace (ASCII or full-width). A reference such
# as 「第二十四条第一款规定的」 has no space after 条, so it never starts an article.
ARTICLE_START = re.compile(rf"^(第([{CN_NUM}]+|\d+)条(?:之([{CN_NUM}]+))?)[ \u3000\t]+(.*)$", re.S)
# A 项 item line: （一）.
ITEM_START = re.compile(rf"^[（(][{CN_NUM}]+[)）]")
# …and its number: 「（三）」 → 三.
ITEM_NUMBER = re.compile(rf"^[（(]([{CN_NUM}]+)[)）]")
# An article referred to anywhere in text: 第五十七条, 第 57 条.
ARTICLE_REF = re.compile(rf"第\s*([{CN_NUM}]+|\d+)\s*条")
# A paragraph (款) referred to: 第二款.
PARAGRAPH_REF = re.compile(rf"第([{CN_NUM}]+|\d+)款")
# An item (项) referred to: 第（四）项, 第(四)项, 第4项.
ITEM_REF = re.compile(rf"第[（(]?([{CN_NUM}]+|\d+)[)）]?项")
# References inside the same document: 「违反本条例第二十四条第一款」「依照本法第五十四条」.
INTERNAL_REF = re.compile(rf"本(?:条例|法|规定|办法|解释|细则)第([{CN_NUM}]+)条")
# The articles listed after it: 「本规定第十条、第十一条、第十二条」「本条例第二十条第一款、第二十二条」
# 「本法第二十条至第二十二条」 (a range: every article in it).
_PART = rf"(?:第?[（(]?[{CN_NUM}]+[)）]?[款项]?(?:[、和及或者]+第?[（(]?[{CN_NUM}]+[)）]?[款项]?)*[款项])*"


def _listed_ref(separators: str) -> re.Pattern:
    return re.compile(rf"(?:{_PART})(?P<sep>[{separators}]+|以及)第(?P<n>[{CN_NUM}]+)条")


_LISTED_REF = _listed_ref("、和及或者至")
# Some regulations leave out 本条例 (排水与污水处理条例第五十一条 「违反第四十五条规定…」, 出租汽车管理
# 条例第四十四条 「（一）违反第九条，第十条，第十二条的」, 轨道交通管理条例): 第N条 right after 违反 is
# the document's own article (another law's would stand between them: 「违反《…》第N条」). Such lists
# are separated by commas too. Not after 依照/按照: 「按照第五十八条的规定予以处罚」 (城乡规划条例第五十
# 九条) names the penalty to apply, and read as a rule broken it put 第五十九条 among 第四十二条's
# procedure steps (blind N1-27).
BARE_INTERNAL_REF = re.compile(rf"(?<=违反)第([{CN_NUM}]+)条")
_BARE_LISTED_REF = _listed_ref("、和及或者至，")


def cn_int(numeral: str) -> int:
    """「五十七」→ 57, 「57」→ 57. cn2an rather than a hand-written table: it handles 零, 两 and
    mixed forms, and raises ValueError on anything that is not a numeral."""
    numeral = numeral.strip()
    if numeral.isdecimal():  # not isdigit: 「²」 is a digit int() cannot read
        return int(numeral)
    return int(cn2an.cn2an(numeral, "normal"))


def cn_numeral(n: int) -> str:
    """3 → 三, as 款 and 项 are numbered in the text."""
    return cn2an.an2cn(int(n))


def referenced_numbers(text: str, bare: bool = True) -> list[int]:
    """Numbers of the articles of its own law that `text` refers to (「违反本条例第二十二条」),
    in order, each once; `bare`: also those written without 本条例 (「违反第四十五条规定」)."""
    out: list[int] = []

    def add(n: int) -> None:
        if n not in out:
            out.append(n)

    found = [(m, _LISTED_REF) for m in INTERNAL_REF.finditer(text)]
    if bare:
        found += [(m, _BARE_LISTED_REF) for m in BARE_INTERNAL_REF.finditer(text)]
    for m, listing in sorted(found, key=lambda f: f[0].start()):
        try:
            n = cn_int(m.group(1))
        except ValueError:
            continue
        add(n)
        pos = m.end()
        while listed := listing.match(text, pos):
            try:
                following = cn_int(listed.group("n"))
            except ValueError:
                break
            if listed.group("sep") == "至" and n < following <= n + 20:
                for between in range(n + 1, following):
                    add(between)
            add(following)
            n, pos = following, listed.end()
    return out


# Full-width digits, as one file of the library writes all its numbers (行政执法机关移送涉嫌犯罪案件的
# 规定: 「３日内」「２４小时内」) and as a Chinese keyboard may type them. Read as ASCII digits, a
# time limit or sum is found by the same patterns as everywhere else; the meaning is unchanged.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def fold_digits(text: str) -> str:
    return text.translate(FULLWIDTH_DIGITS)


def normalize(text: str) -> str:
    """NFKC folds full-width digits and letters (「５７」→「57」) and odd spaces."""
    return unicodedata.normalize("NFKC", text or "").strip()


# Numeral characters a written article number may use, beyond CN_NUM: 万 and the financial
# forms (壹贰叁…, simplified and traditional). Used to *find* numbers; read_number decides.
CN_NUMERAL = CN_NUM + "万壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"

# Characters that render as nothing or nearly nothing: format characters (zero-width space and
# joiners U+200B–U+200D, directional marks U+200E/F, word joiner U+2060, BOM U+FEFF, soft hyphen
# U+00AD), combining marks, and the Hangul fillers that are letters by category. A reply can hide
# them inside 「第\u200b999条」; text is checked with them removed.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_INVISIBLE_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (ch in _INVISIBLE_FILLERS or category in _INVISIBLE_CATEGORIES
            or (category == "Cc" and ch not in "\n\r\t"))


# Bidirectional controls reorder what is displayed: 「\u202e条999第」 shows as 第999条. Text that
# is checked in logical order must not carry them when shown.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str, drop: str = "") -> tuple[str, list[int]]:
    """The text as a checker should read it — NFKC (full-width digits, letters and brackets
    become ASCII) with invisible characters and those in `drop` removed — and, for every folded
    character, the index of the original character it came from, plus len(text) at the end.
    Checks run on the folded text; cuts are made in the original, so what is shown keeps its own
    punctuation."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if is_invisible(ch):
            continue
        for f in unicodedata.normalize("NFKC", ch):
            if not is_invisible(f) and f not in drop:
                out.append(f)
                origin.append(i)
    origin.append(len(text))
    return "".join(out), origin


# Longest numeral read: 九千九百九十九 has 7 characters, and a longer string of digits is not an
# article number; reading it would only build huge ints (SQLite binds at most 2**63 - 1).
_MAX_NUMERAL_CHARS = 12


def read_number(numeral: str) -> int | None:
    """An Arabic (any script's digits) or Chinese numeral (零〇两, 百千万, financial forms) → int;
    None when it is not one or is longer than any article number could be."""
    numeral = re.sub(r"\s+", "", numeral or "")
    if numeral.isdecimal():  # not isdigit: 「²」 is a digit int() cannot read
        numeral = numeral.lstrip("0") or "0"
        return int(numeral) if len(numeral) <= _MAX_NUMERAL_CHARS else None
    if not numeral or len(numeral) > _MAX_NUMERAL_CHARS or any(c not in CN_NUMERAL for c in numeral):
        return None
    try:
        return cn_int(numeral)
    except (ValueError, TypeError, KeyError, IndexError):
        return None


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)|([〇零一二三四五六七八九]{4})\s*年")


def read_year(text: str) -> int | None:
    """The year a version note names: 「2019年版」「2019修正」「二〇一九年修订」 → 2019."""
    m = _YEAR.search(text or "")
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return int("".join(str("〇一二三四五六七八九".index(c)) if c != "零" else "0" for c in m.group(2)))


def shorten(text: str, limit: int, least: int = 0) -> str:
    """`text` cut to about `limit` characters, only after a 「，；、」 (never mid-phrase), marked
    「等」; a cut keeping fewer than `least` characters takes the next phrase too (not 「产生等」 of
    「产生、收集厨余垃圾的单位…」). A closing 「的」 goes before 「等」 (not 「…废弃物的等」). Text
    without such a place to cut stays whole."""
    if len(text) <= limit:
        return text
    out = ""
    for piece in re.split(r"(?<=[，；、])", text):
        if out and len(out) + len(piece) > limit and len(out) >= least:
            break
        out += piece
    if out == text:
        return text
    return out.rstrip("，；、：").removesuffix("的") + "等"
