"""Questions from facts, offline: one builder per type. Every stem quotes the article's own
sentence (a value blanked, or one value changed for a 判断 item), so the key is the article's
wording and the self-check can prove it."""
from __future__ import annotations

import random
import re

from assistant.core.breaches import breaches, parts_label
from assistant.core.legaltext import cn_numeral
from assistant.core.render import book_title
from assistant.exams.distractors import ValuePool
from assistant.exams.facts import Fact, Penalty
from assistant.exams.models import (
    AFTER_ORDER,
    BLANK,
    CASE_FOUND,
    CASE_QUESTIONS,
    FILL,
    LETTERS,
    MULTI_ASK,
    Evidence,
    Question,
)
from assistant.exams.values import amount_range, time_key

# Difficulty by type and fact kind (a judgement from how the 执法资格 practice sets grade similar
# items: naming the department is easy, recalling an amount or a time limit exactly is harder).
DIFFICULTY = {
    ("single", "department"): "易", ("single", "condition"): "中", ("single", "fine"): "中",
    ("single", "time_limit"): "中",
    ("blank", "department"): "中", ("blank", "condition"): "中", ("blank", "fine"): "难",
    ("blank", "time_limit"): "中",
    ("judge", "obligation"): "易", ("judge", "department"): "易", ("judge", "condition"): "中",
    ("judge", "fine"): "中", ("judge", "time_limit"): "中",
}
# 多选 with this many keys or more is 难 (all must be found), else 中.
MULTI_HARD_KEYS = 3
CHOICE_KINDS = ("fine", "department", "time_limit", "condition")
JUDGE_KINDS = (*CHOICE_KINDS, "obligation")
# A 判断 item on a duty is made false by turning the duty round.
FLIP = {"应当": "不得", "不得": "可以", "禁止": "允许"}


def _lead(law: str) -> str:
    return f"根据{book_title(law)}，"


def _quote(fact_source, quote: str) -> str:
    return f"{fact_source.label(with_version=False)}规定：「{quote.strip()}」"


def _blanked(fact: Fact, mark: str) -> str:
    c = fact.context
    return c[: fact.start] + mark + c[fact.start + len(fact.value):]


def single(fact: Fact, pool: ValuePool, rng: random.Random, article_text: str) -> Question | None:
    if fact.kind not in CHOICE_KINDS:
        return None
    wrong = pool.distractors(fact, 3, rng, article_text)
    if len(wrong) < 3:
        return None
    options = [fact.value, *wrong]
    rng.shuffle(options)
    letter = LETTERS[options.index(fact.value)]
    return Question("single", _lead(fact.source.law) + _blanked(fact, BLANK), dict(zip(LETTERS, options)), letter,
                    f"{_quote(fact.source, fact.quote)}故选{letter}。", fact.source,
                    DIFFICULTY[("single", fact.kind)], fact.knowledge_point,
                    Evidence(kind=fact.kind, context=fact.context))


def blank(fact: Fact) -> Question | None:
    if fact.kind not in CHOICE_KINDS:
        return None
    return Question("blank", _lead(fact.source.law) + _blanked(fact, FILL), {}, fact.value,
                    f"{_quote(fact.source, fact.quote)}故应填「{fact.value}」。", fact.source,
                    DIFFICULTY[("blank", fact.kind)], fact.knowledge_point,
                    Evidence(kind=fact.kind, context=fact.context))


def judge(fact: Fact, pool: ValuePool, rng: random.Random, article_text: str, truth: bool) -> Question | None:
    """The article's sentence (true), or the sentence with exactly one value changed (false)."""
    if fact.kind not in JUDGE_KINDS:
        return None
    original = fact.context
    if truth:
        return Question("judge", _lead(fact.source.law) + original, {}, True,
                        f"{_quote(fact.source, fact.quote)}题干与条文一致，故正确。", fact.source,
                        DIFFICULTY[("judge", fact.kind)], fact.knowledge_point,
                        Evidence(statement=original, kind=fact.kind, context=original))
    if fact.kind == "obligation":
        changed = FLIP[fact.value]
    else:
        wrong = [w for w in pool.distractors(fact, 6, rng, article_text) if not _implied(fact.kind, w, fact.value)]
        if not wrong:
            return None
        changed = wrong[0]
    statement = _blanked(fact, changed)
    return Question("judge", _lead(fact.source.law) + statement, {}, False,
                    f"{_quote(fact.source, fact.quote)}题干将「{fact.value}」改为「{changed}」，故错误。",
                    fact.source, DIFFICULTY[("judge", fact.kind)], fact.knowledge_point,
                    Evidence(statement=statement, original=original, changed=changed, kind=fact.kind,
                             context=original))


def _implied(kind: str, changed: str, original: str) -> bool:
    """A changed bound that the original still makes true: 「给予一百元以下罚款的，可以当场收缴」
    makes 「给予五十元以下罚款的，可以当场收缴」 true as well, and a duty 「七日前通知」 is met by
    「十日前」. A 判断 item is false only when its bound lies outside the original's (a higher 以下/
    以内 limit, a lower 以上 floor, a shorter 日前 notice)."""
    if kind == "fine":
        a, b = amount_range(changed), amount_range(original)
        if a and b and a[0] is None and b[0] is None:  # 「X元以下」
            return a[1] <= b[1]
        if a and b and a[1] is None and b[1] is None:  # 「X元以上」
            return a[0] >= b[0]
    if kind == "time_limit":
        a, b = time_key(changed), time_key(original)
        if a and b and a[1:] == b[1:]:
            return a[0] >= b[0] if a[2] == "前" else a[0] <= b[0]
    return False


_LIST_NOUNS = ("行为", "情形", "措施", "条件", "活动", "程序", "规定", "方式", "标准", "项目", "材料", "内容", "职责",
               "设施", "场所", "义务", "要求", "权利", "事项")


def _list_noun(lead: str) -> str:
    """What the list is of, in the lead's own word: 「可以采取以下措施」→ 措施, 「有下列情形之一」→ 情形."""
    for m in re.finditer(r"(?:下列|以下)", lead):
        noun = next((n for n in _LIST_NOUNS if lead.startswith(n, m.end())), None)
        if noun:
            return "程序要求" if noun == "程序" else noun
    return "事项"


def multi(fact: Fact, pool: ValuePool, rng: random.Random, article_text: str) -> Question | None:
    """Some of the article's listed items (all of them keys) and items of other lists."""
    if fact.kind != "item" or len(fact.items) < 2:
        return None
    n_options = 5 if len(fact.items) >= 4 else 4
    n_keys = rng.randint(2, min(len(fact.items), n_options - 1))
    keys = rng.sample(list(fact.items), n_keys)
    wrong = pool.distractors(fact, n_options - n_keys, rng, article_text, keys=fact.items)
    if len(wrong) < n_options - n_keys:
        return None
    options = [*keys, *wrong]
    rng.shuffle(options)
    letters = "".join(LETTERS[i] for i, o in enumerate(options) if o in keys)
    lead = fact.value.rstrip("：:")
    where = fact.source.label(with_version=False).split("》", 1)[1]
    stem = f"根据{book_title(fact.source.law)}{where}，“{lead}”。{MULTI_ASK}{_list_noun(lead)}的有{BLANK}。"
    others = "".join(c for c in LETTERS[: len(options)] if c not in letters)
    return Question("multi", stem, dict(zip(LETTERS, options)), letters,
                    f"{_quote(fact.source, fact.quote)}故选{letters}；{others}不是该条所列{_list_noun(lead)}。",
                    fact.source, "难" if n_keys >= MULTI_HARD_KEYS else "中", fact.knowledge_point,
                    Evidence(kind="item", context=fact.quote))


def _actor(subject: str | None) -> str:
    if subject == "个人":
        return "市民王某"
    if not subject:
        return "当事人王某"
    first = re.split(r"或者|以及|和|及", subject)[0]
    # 「业主、使用人」→ 某业主; 「收集、运输单位」 stays whole (「收集」 is no one).
    head = first.split("、")[0]
    first = head if re.search(r"(?:人|主|者|位|业|场|构|会|司|户|局)$", head) else first
    return first if first.startswith("某") else f"某{first}"


def _penalty_part(p: Penalty) -> str:
    """What the clause orders, in its own words: the text after the conduct (「…的，」), e.g.
    「由城管执法部门责令立即改正；拒不改正的，处五十元以上二百元以下罚款。」. A clause that names no
    agent itself (a 项 under 「由X按照下列规定处罚」) takes the department from its lead-in."""
    at = p.quote.find(p.conduct)
    rest = p.quote[at + len(p.conduct):] if at >= 0 else p.quote
    head = rest.find("的，")
    rest = (rest[head + 2:] if head >= 0 else rest).strip()
    rest = rest[: rest.find("。") + 1] if "。" in rest else rest  # the penalty sentence, not what follows it
    return rest if rest.startswith("由") else f"由{p.department}{rest}"


def _breached(p: Penalty) -> str:
    """Where the rule broken is, as the penalty clause names it (「违反本条例第三条第一项规定」 →
    「第三条第一项」), for the answer key's 违法依据; empty when the clause names none."""
    parts = []
    for b in breaches(p.quote, p.source.paragraph or 1):
        parts.append(f"第{cn_numeral(b.article or p.source.article)}条{parts_label(b.paragraphs, b.items)}")
    return "、".join(parts)


# A conduct that starts with who did it (「居民饲养信鸽…」): the scenario names that person.
_WHO = {"居民": "居民王某", "个人": "市民王某", "业主": "业主王某", "使用人": "使用人王某", "经营者": "某经营者",
        "单位": "某单位"}


def case(p: Penalty) -> Question:
    """A short scenario from the penalty clause, its questions and a reference answer quoting the
    clause (offline; LLM mode may rewrite the scenario, see exams/llm.py)."""
    conduct = re.split(r"，或者|；", p.conduct)[0]
    actor = _actor(p.subject)
    if p.subject is None and (who := next((w for w in _WHO if conduct.startswith(w)), None)):
        actor, conduct = _WHO[who], conduct[len(who):]
    after = next((text for cond, text in AFTER_ORDER.items() if any(cond in (c or "") for _, c in p.fines)), "")
    scenario = f"{actor}{conduct}{CASE_FOUND}{after}"
    answer = (f"（1）违反{book_title(p.source.law)}{_breached(p)}的规定，处罚依据为{p.source.label(with_version=False)}。"
              f"（2）由{p.department}依法处理。"
              f"（3）{_penalty_part(p)}")
    return Question("case", f"{scenario}\n{CASE_QUESTIONS}", {}, answer, _quote(p.source, p.quote), p.source, "难",
                    p.knowledge_point, Evidence(kind="penalty", key_points=(p.department, *(a for a, _ in p.fines)),
                                                context=p.quote))
