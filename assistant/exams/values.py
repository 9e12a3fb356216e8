"""The kinds of value an exam question asks about — fine amounts, time limits, departments — read
from text and compared the way a trainer would: 「五十元以上二百元以下」 equals 「50元以上200元以下」,
「市、区绿化市容部门」 names the same department as 「绿化市容部门」.

Pure functions over strings; generation (facts.py) and the self-check (check.py) both use them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an

# A numeral as amounts and time limits are written (Chinese, Arabic, with 万 and thousands commas).
_NUM = r"[\d.,零〇一二两三四五六七八九十百千万亿]+"
# A fine amount: a range, an upper or lower bound, or a fixed sum (normalised text: NFKC).
AMOUNT = re.compile(
    rf"(?P<lo>{_NUM})元?(?:以上|至|到|-|~|—)(?P<hi>{_NUM})元(?:以下)?"
    rf"|(?:不超过)?(?P<upto>{_NUM})元以下|(?P<atleast>{_NUM})元以上|(?P<fixed>{_NUM})元"
)
# A time limit that a rule sets: 「五日内」「七日前」「十五个工作日内」「三个月内」. The suffix is required,
# so dates (2019年7月1日) and durations of detention (五日以上十日以下拘留) are not time limits.
TIME_LIMIT = re.compile(
    r"(?<![\d零〇一二两三四五六七八九十百月第])"
    r"(?P<n>[\d零〇一二两三四五六七八九十百]+)(?P<unit>个工作日|工作日|日|天|个月|小时|年)"
    r"(?P<suffix>以内|之内|内|前)"
)
# Departments as penalty and duty sentences name them.
DEPARTMENT = re.compile(r"[^\s,，;；:：。、由和及与或的]{1,16}?(?:部门|机关|人民政府|办事处|机构)")
# Departments that name no one in particular: never a fact, never a distractor.
GENERIC_DEPARTMENTS = re.compile(r"^(?:有关|相关|其他|其他有关|主管|上级|同级|本级|执法|行政执法|管理|行政管理)?"
                                 r"(?:行政)?(?:部门|机关|人民政府|机构)$|单位|组织|个人|国家机关")
# Names of one and the same body in Shanghai: never right and wrong options of one question.
# From the team's synonyms (corpus/synonyms.tsv rows 城管局, 绿化市容局, 房管局, 规划局, 环保局, 水务局)
# plus the long forms the regulations use (市场监督管理部门, 城市管理行政执法部门).
SAME_BODY = (
    ("城管执法部门", "城市管理行政执法部门", "城管执法机构"),
    ("绿化市容部门", "市容环境卫生管理部门", "绿化管理部门", "绿化市容管理部门", "市容环卫部门"),
    ("房屋行政管理部门", "房屋管理部门", "房管机构", "住房城乡建设管理部门"),
    ("规划资源行政管理部门", "规划行政管理部门", "城乡规划主管部门", "规划资源部门", "规划部门"),
    ("生态环境部门", "环保部门", "生态环境主管部门", "环境保护行政管理部门", "环境保护主管部门"),
    ("水务部门", "水行政主管部门", "水务行政管理部门"),
    ("市场监管部门", "市场监督管理部门", "工商行政管理部门"),
    ("公安部门", "公安机关"),
)
# Where a department sits (市、区 / 县级以上地方人民政府 …) says nothing of which department it is.
_DEPT_PREFIX = re.compile(
    r"^(?:由)?(?:本市)?(?:各级|各区|各县|各)?"
    r"(?:县级以上(?:地方)?(?:各级)?人民政府|(?:市|区|县|乡、镇|乡镇|街道)(?:级)?(?:(?:、|或者|和|及)(?:市|区|县))?"
    r"(?![场容政]))?"  # 市场监管, 市容环卫, 市政 are names, not places
)


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """NFKC (full-width digits and punctuation folded) with all whitespace removed: the form in
    which an option is looked up in an article."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


_ITEM_MARK = re.compile(r"(?<=[:;。,])\([一二三四五六七八九十百]+\)")


@lru_cache(maxsize=1 << 16)
def flat(text: str) -> str:
    """norm() without 项 numbering, so that a 项 read with its lead-in (「…下列规定：党政机关…」)
    is found in the article as written (「…下列规定：\n（一）党政机关…」)."""
    return _ITEM_MARK.sub("", norm(text))


def _number(text: str) -> int | None:
    try:
        return int(cn2an.cn2an(text.replace(",", ""), "smart"))
    except (ValueError, TypeError, KeyError, IndexError):
        return None


@lru_cache(maxsize=1 << 16)
def amount_range(text: str) -> tuple[int | None, int | None] | None:
    """「五十元以上二百元以下」→ (50, 200); 「二百元以下」→ (None, 200); None when not an amount."""
    m = AMOUNT.fullmatch(norm(text).removesuffix("的罚款").removesuffix("罚款"))
    if not m:
        return None
    if m["lo"]:
        lo, hi = _number(m["lo"]), _number(m["hi"])
        return None if lo is None or hi is None else (lo, hi)
    if m["upto"]:
        hi = _number(m["upto"])
        return None if hi is None else (None, hi)
    if m["atleast"]:
        lo = _number(m["atleast"])
        return None if lo is None else (lo, None)
    v = _number(m["fixed"])
    return None if v is None else (v, v)


@lru_cache(maxsize=1 << 16)
def amounts_in(text: str) -> tuple[tuple[int | None, int | None], ...]:
    return tuple(r for m in AMOUNT.finditer(norm(text)) if (r := amount_range(m.group(0))))


@lru_cache(maxsize=1 << 16)
def time_key(text: str) -> tuple[int, str, str] | None:
    """「五日内」→ (5, "日", "内"); 「十五个工作日以内」→ (15, "工作日", "内")."""
    m = TIME_LIMIT.fullmatch(norm(text))
    if not m:
        return None
    n = _number(m["n"])
    if n is None:
        return None
    unit = {"个工作日": "工作日", "天": "日"}.get(m["unit"], m["unit"])
    return n, unit, "前" if m["suffix"] == "前" else "内"


@lru_cache(maxsize=1 << 16)
def times_in(text: str) -> tuple[tuple[int, str, str], ...]:
    return tuple(k for m in TIME_LIMIT.finditer(norm(text)) if (k := time_key(m.group(0))))


@lru_cache(maxsize=1 << 16)
def dept_core(text: str) -> str:
    """The department without where it sits: 「市、区绿化市容部门」→「绿化市容部门」."""
    core = _DEPT_PREFIX.sub("", norm(text))
    return core or norm(text)


def body_key(text: str) -> str:
    """One name per body: 「市场监督管理部门」 and 「区市场监管部门」 both give 「市场监管部门」."""
    core = dept_core(text)
    return next((group[0] for group in SAME_BODY if any(n in core for n in group)), core)


def same_body(a: str, b: str) -> bool:
    """Two department names that may mean one body (one contains the other, or SAME_BODY)."""
    ca, cb = dept_core(a), dept_core(b)
    if ca in cb or cb in ca:
        return True
    return any(any(n in ca for n in group) and any(n in cb for n in group) for group in SAME_BODY)


def is_specific_department(text: str) -> bool:
    core = dept_core(text)
    # 「受理举报的部门」「作出罚款决定的行政机关」 describe a role, 「有关行政管理部门」 no one in
    # particular, and 「区人民政府」「街道办事处」 are levels of government, not departments to choose.
    return (len(core) >= 4 and not GENERIC_DEPARTMENTS.search(core) and not re.search(r"[和及、的]|或者|有关|相关", core)
            and not core.endswith(("人民政府", "办事处")))


@lru_cache(maxsize=1 << 16)
def bigrams(text: str) -> frozenset[str]:
    t = re.sub(r"[^\w]", "", norm(text))
    return frozenset({t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set()))


def ngrams(text: str, n: int) -> set[str]:
    t = re.sub(r"[^\w]", "", norm(text))
    return {t[i:i + n] for i in range(len(t) - n + 1)} or ({t} if t else set())


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def containment(part: str, whole: str) -> float:
    """Share of `part`'s character bigrams that occur in `whole`."""
    p = bigrams(part)
    return len(p & bigrams(whole)) / len(p) if p else 1.0
