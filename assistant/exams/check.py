"""The self-check every question passes before anyone sees it: the key is stated by the cited
article (re-read from the library, not taken from the generator), no wrong option is, a 判断
statement is the article's (or differs from it in one value), the source is the current version,
and no two stems of a paper are near-duplicates. Also used on imported question banks.

A failing question is dropped and its reason counted; none is ever shown.
"""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.core.render import title_in_book
from assistant.exams.articles import split_units
from assistant.exams.models import BLANK, FILL, LETTERS, TEMPLATE_PHRASES, Question
from assistant.exams.values import (
    DEPARTMENT,
    amount_range,
    amounts_in,
    bigrams,
    containment,
    dept_core,
    flat,
    jaccard,
    ngrams,
    norm,
    same_body,
    time_key,
    times_in,
)

# Reasons, with the words shown to trainers.
MALFORMED = "malformed"
SOURCE_MISSING = "source_missing"
SUPERSEDED = "superseded"
KEY_UNSUPPORTED = "key_unsupported"
DISTRACTOR_SUPPORTED = "distractor_supported"
AMBIGUOUS = "ambiguous"
SCENARIO_UNSUPPORTED = "scenario_unsupported"
NEAR_DUPLICATE = "near_duplicate"
KEY_IN_STEM = "key_in_stem"
UNVERIFIABLE = "unverifiable"
REASON_TEXT = {
    MALFORMED: "题目结构不完整（选项、答案或填空位置缺失）",
    SOURCE_MISSING: "出处在法规库中不存在",
    SUPERSEDED: "出处不是现行版本",
    KEY_UNSUPPORTED: "答案与所引条文不符",
    DISTRACTOR_SUPPORTED: "错误选项也被所引条文支持",
    AMBIGUOUS: "错误选项代入题干后与本法其他条文一致",
    SCENARIO_UNSUPPORTED: "案例情节含有条文以外的数额、时限或引用",
    NEAR_DUPLICATE: "与另一题题干近似重复",
    KEY_IN_STEM: "答案已在题干的其他位置出现",
    UNVERIFIABLE: "无法自动核对答案（题干不是条文原文），需人工核对",
}

# Stems are near-duplicates at or above this Jaccard similarity of their character 3-grams.
# Measured on every pair of candidate stems of 上海市生活垃圾管理条例, 上海市市容环境卫生管理条例 and
# 中华人民共和国行政处罚法: pairs from one 款 (mostly one sentence asked two ways) have median
# 0.69–0.81; pairs from different articles have 95th percentile 0.08–0.14, and the few above 0.5
# are parallel rules (「收集、运输单位…」/「处置单位…」) or sentences repeated word for word.
NEAR_DUP_N = 3
NEAR_DUP_JACCARD = 0.5
# A wrong listed item is taken as possibly right when this share of its character bigrams occurs
# in the cited article, or when it is this close (bigram Jaccard) to one of the article's own items:
# 「没有法律、法规依据」 against 「明显缺乏法律、法规依据」 scores 0.45 and reads as the same ground.
ITEM_SUPPORT_CONTAINMENT = 0.8
ITEM_PARAPHRASE_JACCARD = 0.4
# Two departments are taken as one when their names share this much (bigram Jaccard):
# 「房屋管理部门」 and 「房屋行政管理部门」.
DEPARTMENT_SIMILARITY = 0.5

_LEAD = re.compile(r"^根据《[^》]+》(?:第[^，,。]*?条)?(?:[^，,。]*?款)?(?:[^，,。]*?项)?(?:的)?(?:规定)?[，,:：]\s*")
_CASE_QUESTIONS = re.compile(r"\n?问[:：].*$", re.DOTALL)
_TITLE = re.compile(r"《([^》]+)》")
_CONDITION_WORDS = re.compile(r"拒不|逾期|情节|后果|再次")
_TRAILING = "。.;；,，"


def stem_body(stem: str) -> str:
    """The stem without its 「根据《…》，」 lead (and a case without its standard questions)."""
    return _CASE_QUESTIONS.sub("", _LEAD.sub("", stem.strip()))


def infer_kind(value: str) -> str:
    if amount_range(value):
        return "fine"
    if time_key(value):
        return "time_limit"
    if re.search(r"(?:部门|机关|人民政府|办事处|机构)$", norm(value)):
        return "department"
    if _CONDITION_WORDS.match(value) and len(value) <= 8:
        return "condition"
    return "item"


def supports(text: str, value: str, kind: str | None = None) -> bool:
    """The article states the value (in its own words or an equivalent form)."""
    kind = kind or infer_kind(value)
    t, v = norm(text), norm(value).rstrip(_TRAILING)
    if not v:
        return False
    if v in t or re.sub(r"的$", "", v) in t:
        return True
    if kind == "fine":
        return (r := amount_range(value)) is not None and r in amounts_in(text)
    if kind == "time_limit":
        return (k := time_key(value)) is not None and k in times_in(text)
    if kind == "department":
        return dept_core(value) in t
    return False


def may_support(text: str, value: str, kind: str | None = None) -> bool:
    """A reader could take the article as stating the value: a wrong option must not pass this.
    Looser than `supports` on purpose: an amount sharing a bound with one in the article, the
    same number of days with another suffix, a department of a similar name, a paraphrased item."""
    kind = kind or infer_kind(value)
    if supports(text, value, kind):
        return True
    t, v = norm(text), norm(value).rstrip(_TRAILING)
    if kind == "fine":
        # An open amount (「二百元以下」) is partly right when the article has a range with that
        # bound (「五十元以上二百元以下」), and the other way round; two closed ranges are either equal
        # (caught above) or simply different.
        r = amount_range(value)
        return r is None or any(_open(r) != _open(a) and ((r[0] is not None and r[0] == a[0])
                                                          or (r[1] is not None and r[1] == a[1]))
                                for a in amounts_in(text))
    if kind == "time_limit":
        k = time_key(value)
        return k is None or any(k[:2] == o[:2] for o in times_in(text))
    if kind == "department":
        core = dept_core(value)
        for m in DEPARTMENT.finditer(t):
            other = dept_core(m.group(0))
            if same_body(core, other) or jaccard(bigrams(core), bigrams(other)) >= DEPARTMENT_SIMILARITY:
                return True
        return False
    if kind == "condition":
        return any(v in c or c in v for c in re.findall(r"[^,;:。]{2,8}?(?=的)", t))
    if containment(v, t) >= ITEM_SUPPORT_CONTAINMENT:
        return True
    mine = bigrams(value)
    return any(jaccard(mine, bigrams(u.text)) >= ITEM_PARAPHRASE_JACCARD for u in split_units(text) if u.item)


def _open(r: tuple[int | None, int | None]) -> bool:
    return r[0] is None or r[1] is None


@lru_cache(maxsize=1024)
def _readings(text: str) -> tuple[str, ...]:
    """The article flattened, and each 项 joined to its lead-in (「…下列规定：住宅小区…」: the
    second 项 follows the lead-in only in this reading)."""
    return (flat(text), *(flat(u.lead + u.text) for u in split_units(text) if u.item and u.lead))


def _in(text: str, passage: str) -> bool:
    p = flat(passage).rstrip(_TRAILING)
    return bool(p) and any(p in r for r in _readings(text))


def _malformed(q: Question) -> bool:
    if not q.stem.strip():
        return True
    if q.type in ("single", "multi"):
        letters = str(q.answer)
        if len(q.options) < 2 or any(k not in LETTERS for k in q.options) or not letters:
            return True
        if any(c not in q.options for c in letters) or len(set(letters)) != len(letters):
            return True
        if len({norm(v) for v in q.options.values()}) != len(q.options) or any(not v.strip() for v in q.options.values()):
            return True
        return (q.type == "single") != (len(letters) == 1) or (q.type == "multi" and len(letters) < 2)
    if q.type == "judge":
        return not isinstance(q.answer, bool)
    return not isinstance(q.answer, str) or not q.answer.strip()


def _single_or_multi(q: Question, article: str, law_text: str | None) -> list[str]:
    out = []
    kind = q.evidence.kind or None
    keys = [q.options[c] for c in str(q.answer)]
    body = stem_body(q.stem)
    for key in keys:
        if not supports(article, key, kind):
            out.append(KEY_UNSUPPORTED)
    if q.type == "single" and kind and BLANK in body and not _in(article, body.replace(BLANK, keys[0])):
        out.append(KEY_UNSUPPORTED)  # the key must also be right in the stem's own sentence
    if q.type == "single" and _gives_away(body, keys[0], kind):
        out.append(KEY_IN_STEM)
    for letter, text in q.options.items():
        if letter in str(q.answer):
            continue
        if may_support(article, text, kind):
            out.append(DISTRACTOR_SUPPORTED)
        elif law_text and BLANK in body and _in(law_text, body.replace(BLANK, text)):
            out.append(AMBIGUOUS)
    return out


def _judge(q: Question, article: str, law_text: str | None) -> list[str]:
    ev = q.evidence
    statement = ev.statement or stem_body(q.stem)
    stated = _in(article, statement)
    if q.answer is True:
        if stated:
            return []
        return [KEY_UNSUPPORTED] if ev.statement else [UNVERIFIABLE]
    out = []
    if stated:
        out.append(KEY_UNSUPPORTED)  # the "false" statement is what the article says
    if ev.original is not None and not _in(article, ev.original):
        out.append(KEY_UNSUPPORTED)
    if ev.changed and ev.kind not in (None, "obligation") and may_support(article, ev.changed, ev.kind):
        out.append(DISTRACTOR_SUPPORTED)
    if law_text and _in(law_text, statement):
        out.append(AMBIGUOUS)
    if not ev.statement and not out:
        out.append(UNVERIFIABLE)
    return out


def _blank(q: Question, article: str, law_text: str | None) -> list[str]:
    answer = str(q.answer)
    out = [] if supports(article, answer, q.evidence.kind) else [KEY_UNSUPPORTED]
    body = stem_body(q.stem)
    if q.evidence.kind and FILL in body and not _in(article, body.replace(FILL, answer)):
        out.append(KEY_UNSUPPORTED)
    if _gives_away(body, answer, q.evidence.kind):
        out.append(KEY_IN_STEM)
    return out


def _gives_away(body: str, key: str, kind: str | None) -> bool:
    """The stem states its own key elsewhere (「…之日起二日内…；应当在（  ）将罚款缴付」)."""
    return supports(body.replace(BLANK, "").replace(FILL, ""), key, kind) if kind else False


def _case(q: Question, article: str, law_text: str | None) -> list[str]:
    out = [KEY_UNSUPPORTED for p in q.evidence.key_points if not supports(article, p)]
    answer_amounts = amounts_in(str(q.answer))
    if any(a not in amounts_in(article) for a in answer_amounts):
        out.append(KEY_UNSUPPORTED)
    scenario = stem_body(q.stem)
    stated = set(amounts_in(article))
    if any(a not in stated for a in amounts_in(scenario)):
        out.append(SCENARIO_UNSUPPORTED)
    if any(k not in times_in(article) for k in times_in(scenario)):
        out.append(SCENARIO_UNSUPPORTED)
    if any(title_in_book(t) != q.source.law for t in _TITLE.findall(scenario)) or re.search(r"第[^，。]{1,8}条", scenario):
        out.append(SCENARIO_UNSUPPORTED)
    if _unknown_department(scenario, article):
        out.append(SCENARIO_UNSUPPORTED)  # a department the article does not name would mislead
    return out


_DEPT_END = re.compile(r"部门|机关|人民政府|办事处")


def _unknown_department(text: str, article: str) -> bool:
    """The text names a department that the article does not: for each 「…部门」, some name ending
    there (2 to 10 characters before the suffix) must occur in the article."""
    t, a = norm(text), norm(article)
    for m in _DEPT_END.finditer(t):
        names = [t[max(m.start() - k, 0):m.end()] for k in range(2, 11)]
        if not any(n in a for n in names):
            return True
    return False


_CHECKS = {"single": _single_or_multi, "multi": _single_or_multi, "judge": _judge, "blank": _blank, "case": _case}


def check_question(q: Question, article: str | None, current_version: str | None, *,
                   allow_superseded: bool = False, law_text: str | None = None) -> list[str]:
    """Reasons the question fails (empty: it passes). `article` is the cited article's text as the
    library holds it (None: no such article); `law_text` the whole law, for ambiguity."""
    if article is None:
        return [SOURCE_MISSING]
    if _malformed(q):
        return [MALFORMED]
    out = [] if allow_superseded or q.source.version == current_version else [SUPERSEDED]
    out += _CHECKS[q.type](q, article, law_text)
    return list(dict.fromkeys(out))


def shingles(stem: str) -> set[str]:
    """The stem's own words as character n-grams (lead, blanks and fixed wording left out)."""
    body = stem_body(stem)
    for phrase in (BLANK, FILL, *TEMPLATE_PHRASES):
        body = body.replace(phrase, "")
    return ngrams(body, NEAR_DUP_N)


def similarity(a: str, b: str) -> float:
    return jaccard(shingles(a), shingles(b))


def near_duplicate_of(stem: str, others: list[set[str]]) -> bool:
    mine = shingles(stem)
    return any(jaccard(mine, o) >= NEAR_DUP_JACCARD for o in others)
