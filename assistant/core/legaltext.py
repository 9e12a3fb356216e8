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
# An article referred to anywhere in text: 第五十七条, 第 57 条.
ARTICLE_REF = re.compile(rf"第\s*([{CN_NUM}]+|\d+)\s*条")
# A paragraph (款) referred to: 第二款.
PARAGRAPH_REF = re.compile(rf"第([{CN_NUM}]+|\d+)款")
# References inside the same document: 「违反本条例第二十四条第一款」「依照本法第五十四条」.
INTERNAL_REF = re.compile(rf"本(?:条例|法|规定|办法|解释|细则)第([{CN_NUM}]+)条")


def cn_int(numeral: str) -> int:
    """「五十七」→ 57, 「57」→ 57. cn2an rather than a hand-written table: it handles 零, 两 and
    mixed forms, and raises ValueError on anything that is not a numeral."""
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    return int(cn2an.cn2an(numeral, "normal"))


def cn_numeral(n: int) -> str:
    """3 → 三, as 款 and 项 are numbered in the text."""
    return cn2an.an2cn(int(n))


def referenced_numbers(text: str) -> list[int]:
    """Numbers of the articles of its own law that `text` refers to (「违反本条例第二十二条」),
    in order, each once."""
    out: list[int] = []
    for m in INTERNAL_REF.finditer(text):
        try:
            n = cn_int(m.group(1))
        except ValueError:
            continue
        if n not in out:
            out.append(n)
    return out


def normalize(text: str) -> str:
    """NFKC folds full-width digits and letters (「５７」→「57」) and odd spaces."""
    return unicodedata.normalize("NFKC", text or "").strip()
