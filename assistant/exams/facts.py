"""Facts an exam can ask about, read from an article's structure: fine amounts, the enforcing
department, time limits, conditions on a penalty, duties (应当/不得/禁止), listed items (行为, 情形,
程序 steps) and whole penalty clauses (for 案例分析). Every value is kept exactly as written, with
the sentence it sits in, so that a stem can blank it and the check can find it again."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.penalty import departments, extract_penalties
from assistant.exams.articles import ArticleText, Unit, sentences
from assistant.exams.models import KIND_NAMES, FactKind, Source
from assistant.exams.values import (
    AMOUNT,
    TIME_LIMIT,
    amount_range,
    is_specific_department,
)

# Stems longer than this read as a paragraph to be searched, not a question (a judgement: the
# longest stem in the 执法资格 practice sets we have seen is about 150 characters).
MAX_CONTEXT_CHARS = 180
MIN_CONTEXT_CHARS = 12
# Listed items that make a fair option: long enough to mean something, short enough to read.
MIN_ITEM_CHARS, MAX_ITEM_CHARS = 4, 60
# Conditions a penalty depends on (the most frequent 「…的，处」 conditions in the library).
CONDITION = re.compile(r"(拒不改正|逾期不改正|逾期未改正|逾期不改|情节严重|情节较重|情节较轻|情节轻微|造成严重后果"
                       r"|拒不停止违法行为|再次违反规定)的")
MODAL = re.compile(r"应当|不得|禁止")
_PENALTY_WORDS = re.compile(r"罚款|责令|没收|吊销|拘留")
_REFERENCE = re.compile(r"^违反本(?:条例|法|规定|办法|细则)[^，。；]*?规定，")
# A duty sentence that starts with its department: 「市、区绿化市容部门应当……」.
_DUTY_DEPT = re.compile(r"^(?P<dept>[^，；。：]{2,20}?(?:部门|机关|人民政府|办事处))(?=应当|负责|可以)")
# A sentence that names its rule only by pointing back: 「违反规定的，」「违反前款规定的，」「其中，」.
_REFERS_BACK = re.compile(r"^(?:违反(?:上述|前款|本款|本条|前两款|以上)?规定|其中|有前款)")
# A 款 that opens by pointing at what came before (「前款内容应当…」「上述资料…」) cannot be read alone.
_POINTS_BACK = re.compile(r"^[^，。；]{0,12}(?:前[两三]?款|上述|前述)")
_ITEM_END = re.compile(r"[；;。.，,]$")


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: str  # as written in the article
    context: str  # the sentence a stem quotes; holds value at `start`
    start: int
    source: Source
    chapter: str | None
    quote: str  # the 款 (or lead + 项) the 解析 quotes
    items: tuple[str, ...] = ()  # kind "item": every listed item (value is the lead-in)

    @property
    def key(self) -> str:
        return f"{self.source.law}|{self.source.article}|{self.source.version}|{self.source.clause}|{self.kind}|{self.value}|{self.start}|{self.context}"

    @property
    def knowledge_point(self) -> str:
        return f"{chapter_name(self.chapter)}·{KIND_NAMES[self.kind]}"


@dataclass(frozen=True)
class Penalty:
    """A penalty clause a 案例分析 is built on: who, doing what, is punished by whom and how."""

    source: Source
    chapter: str | None
    quote: str
    subject: str | None
    conduct: str
    department: str
    measures: tuple[str, ...]
    fines: tuple[tuple[str, str | None], ...]  # (amount as written, condition)

    @property
    def key(self) -> str:
        return f"{self.source.law}|{self.source.article}|{self.source.version}|{self.source.clause}|{self.conduct}"

    @property
    def knowledge_point(self) -> str:
        return f"{chapter_name(self.chapter)}·{KIND_NAMES['penalty']}"


def chapter_name(chapter: str | None) -> str:
    """「第九章 法律责任」→「法律责任」; articles outside any chapter are 「一般规定」."""
    return re.sub(r"^第[^章编节]+[章编节]\s*", "", chapter or "").strip() or "一般规定"


def _source(article: ArticleText, unit: Unit) -> Source:
    paragraph = unit.paragraph if article.paragraphs > 1 else None
    return Source(article.law, article.number, article.version, paragraph, unit.item)


def _context(unit: Unit) -> tuple[str, int]:
    """The text a stem may quote for the unit, and where the unit's own words start in it (a 项
    is read with its lead-in: 「由城管执法部门按照下列规定处罚：…」)."""
    if unit.item and unit.lead:
        return unit.lead + unit.text, len(unit.lead)
    return unit.text, 0


def _trim(sentence: str, start: int) -> tuple[str, int]:
    """Drop a leading 「违反本条例第N条规定，」 when the sentence is too long to be a stem."""
    if len(sentence) > MAX_CONTEXT_CHARS and (m := _REFERENCE.match(sentence)) and start >= m.end():
        return sentence[m.end():], start - m.end()
    return sentence, start


def _fact(kind: FactKind, value: str, sentence: str, start: int, **common) -> Fact | None:
    sentence, start = _trim(sentence, start)
    if not MIN_CONTEXT_CHARS <= len(sentence) <= MAX_CONTEXT_CHARS or sentence.rstrip().endswith(("：", ":")):
        return None
    return Fact(kind, value, sentence, start, **common)


def _sentence_facts(sentence: str, own_from: int, common: dict) -> list[Fact]:
    """Facts in one sentence whose value lies at or after `own_from` (a 项's own words)."""
    out: list[Fact | None] = []
    penalty = bool(_PENALTY_WORDS.search(sentence))
    for m in AMOUNT.finditer(sentence):
        if m.start() >= own_from and re.match(r"的?罚款", sentence[m.end():]) and amount_range(m.group(0)):
            out.append(_fact("fine", m.group(0), sentence, m.start(), **common))
    for m in TIME_LIMIT.finditer(sentence):
        if m.start() >= own_from:
            out.append(_fact("time_limit", m.group(0), sentence, m.start(), **common))
    if penalty:
        for m in CONDITION.finditer(sentence):
            if m.start() >= own_from:
                out.append(_fact("condition", m.group(1), sentence, m.start(), **common))
    depts = departments(sentence) if penalty else []
    if m := _DUTY_DEPT.match(sentence):
        depts.append(m["dept"])
    for dept in dict.fromkeys(depts):
        at = sentence.find("由" + dept)
        at = at + 1 if at >= 0 else sentence.find(dept)
        if at >= own_from and is_specific_department(dept) and sentence.count(dept) == 1:
            out.append(_fact("department", dept, sentence, at, **common))
    if (m := _main_modal(sentence, own_from)) and not sentence.rstrip().endswith(("：", ":")):
        out.append(_fact("obligation", m.group(0), sentence, m.start(), **common))
    return [f for f in out if f]


def _main_modal(sentence: str, start: int) -> re.Match | None:
    """The first 应当/不得/禁止 that is a duty of the sentence, not part of a condition or a
    description (「发现应当由城管执法部门处理的违法行为的，应当及时移送」: the second)."""
    for m in MODAL.finditer(sentence, start):
        clause = re.split(r"[，；。：]", sentence[m.start():], maxsplit=1)[0]
        if not clause.endswith("的"):
            return m
    return None


def _clean_item(text: str) -> str:
    text = _ITEM_END.sub("", text.strip())
    return re.sub(r"的$", "", text)


def facts(article: ArticleText) -> list[Fact]:
    """Every fact of the article, in reading order."""
    out: list[Fact] = []
    for unit in article.units:
        common = {"source": _source(article, unit), "chapter": article.chapter}
        context, own_from = _context(unit)
        common["quote"] = context
        if unit.item is None and unit.text.rstrip().endswith(("：", ":")):
            items = [_clean_item(u.text) for u in article.items(unit.paragraph)]
            good = tuple(i for i in items if MIN_ITEM_CHARS <= len(i) <= MAX_ITEM_CHARS and "其他" not in i)
            if len(good) >= 2:
                quote = "\n".join([unit.text, *(u.text for u in article.items(unit.paragraph))])
                out.append(Fact("item", unit.text, unit.text, 0, common["source"], article.chapter, quote, good))
            continue
        offset = 0
        sents = sentences(context)
        for i, sentence in enumerate(sents):
            start = max(own_from - offset, 0)
            offset += len(sentence)
            if i == 0 and unit.item is None and _POINTS_BACK.search(sentence):
                continue  # 「前款内容应当…公告」: the stem would not say what 前款 holds
            if _REFERS_BACK.match(sentence):
                if i == 0:
                    continue  # 「违反前款规定的」 at the head of a 款: no stem can say which rule
                # 「禁止X。违反规定的，由…处…」: the stem needs the rule to say whose penalty it asks.
                start, sentence = start + len(sents[i - 1]), sents[i - 1] + sentence
            elif i > 0 and len(sents[i - 1]) + len(sentence) <= MAX_CONTEXT_CHARS:
                # A later sentence of a 款 leans on the one before it (「业主大会成立前，收费标准不得
                # 擅自调整」: the fee of the parking spaces the first sentence names): read together.
                start, sentence = start + len(sents[i - 1]), sents[i - 1] + sentence
            out.extend(_sentence_facts(sentence, start, common))
    return out


def _conduct_has_topic(sentence: str, conduct: str) -> bool:
    """A conduct read back from the rule (「禁止X。违反规定的，…」) keeps its topic only when the
    禁止/不得 opens the rule or follows just its subject: from 「单位和饮食业经营者产生的餐厨垃圾，
    应当…，不得排入下水道」 the conduct 「排入下水道」 has lost what is discharged and by whom."""
    for modal in ("不得", "禁止"):
        at = sentence.find(modal + conduct)
        if at >= 0:
            head = re.split(r"[。；]", sentence[:at])[-1]
            return "，" not in head
    return True


def penalties(article: ArticleText) -> list[Penalty]:
    """Penalty clauses with a specific department, a stated conduct and at least one fixed fine."""
    out: list[Penalty] = []
    for unit in article.units:
        if unit.item is None and unit.text.rstrip().endswith(("：", ":")):
            continue  # its 项 are read with it
        context, _ = _context(unit)
        # A 项 is parsed under its lead-in, so that it keeps its own conduct and the lead's 由X.
        parsed = f"{unit.lead}\n（一）{unit.text}" if unit.item and unit.lead else context
        for clause in extract_penalties(parsed):
            fines = []
            for fine in clause.fines:
                m = AMOUNT.search(fine.text)
                # Not 「五千元以上二万元以下或者修复费三至五倍」: the sum alone is not the whole answer.
                fixed = fine.states_sum and not fine.basis
                if m and fixed and m.group(0) in context:
                    fines.append((m.group(0), fine.condition))
            dept = clause.department or ""
            conduct = (clause.conduct or "").strip("，。；")
            if not _conduct_has_topic(clause.sentence, conduct):
                continue
            # One department only: a clause where 「公安交通管理部门责令停止行驶，城管执法部门责令
            # 清除」 has no single answer to 「由谁处理」. A conduct read as 「对…」 is a parse slip.
            single_agent = len(departments(clause.sentence)) <= 1
            # A conduct holding 应当/不得 is the rule read back (「…不得影响环境卫生，对…应当即时清除」),
            # not what someone did.
            if (fines and single_agent and is_specific_department(dept) and 4 <= len(conduct) <= 120
                    and not conduct.startswith(("对", "其")) and not re.search(r"应当|不得|禁止", conduct)):
                out.append(Penalty(_source(article, unit), article.chapter, context, clause.subject, conduct, dept,
                                   clause.measures, tuple(fines)))
    return out
