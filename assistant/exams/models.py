"""The exam builder's objects: where a question comes from, the question, a blueprint, a paper."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from assistant.core.legaltext import cn_numeral
from assistant.core.render import book_title

QType = Literal["single", "multi", "judge", "blank", "case"]
QTYPES: tuple[QType, ...] = ("single", "multi", "judge", "blank", "case")
TYPE_NAMES: dict[str, str] = {"single": "单选", "multi": "多选", "judge": "判断", "blank": "填空", "case": "案例分析"}
TYPE_TITLES: dict[str, str] = {"single": "单项选择题", "multi": "多项选择题", "judge": "判断题", "blank": "填空题",
                               "case": "案例分析题"}
DIFFICULTIES = ("易", "中", "难")
LETTERS = "ABCDE"
BLANK = "（  ）"  # where the chosen option goes in a 单选 stem
FILL = "______"  # where the answer is written in a 填空 stem
# The fixed wording of generated stems. The near-duplicate test ignores it: two cases share it
# whatever their conduct, and so do two 多选 on different lists.
CASE_QUESTIONS = "问：（1）当事人的行为违反了哪部法规的规定？（2）应由哪个部门依法处理？（3）依法应当如何处理？"
CASE_FOUND = "，被执法人员检查发现。"
# How a scenario says what happened after the order to correct (the fine's condition).
AFTER_ORDER = {
    "拒不改正": "执法人员当场责令其改正，当事人拒不改正。",
    "逾期不改正": "执法人员责令其限期改正，期限届满后当事人仍未改正。",
    "逾期未改正": "执法人员责令其限期改正，期限届满后当事人仍未改正。",
}
MULTI_ASK = "下列选项中，属于该条所列"
TEMPLATE_PHRASES = (CASE_QUESTIONS, CASE_FOUND, *AFTER_ORDER.values(), MULTI_ASK)

# What a fact is about: a fine amount, who enforces, a time limit, a condition on a penalty, a
# duty (应当/不得/禁止) or one item of a listed set (行为, 情形, 程序).
FactKind = Literal["fine", "department", "time_limit", "condition", "obligation", "item"]
KIND_NAMES: dict[str, str] = {"fine": "罚款幅度", "department": "执法主体", "time_limit": "时限",
                              "condition": "处罚条件", "obligation": "义务与禁止", "item": "列举事项",
                              "penalty": "违法行为的处理"}


@dataclass(frozen=True)
class Source:
    law: str
    article: int
    version: str | None
    paragraph: int | None = None  # 款, when the article has more than one
    item: int | None = None  # 项

    @property
    def clause(self) -> str | None:
        parts = []
        if self.paragraph:
            parts.append(f"第{cn_numeral(self.paragraph)}款")
        if self.item:
            parts.append(f"第{cn_numeral(self.item)}项")
        return "".join(parts) or None

    def label(self, with_version: bool = True) -> str:
        """《上海市生活垃圾管理条例》第五十七条第二款（2019-01-31版）"""
        text = f"{book_title(self.law)}第{cn_numeral(self.article)}条{self.clause or ''}"
        return text + (f"（{self.version}版）" if with_version and self.version else "")

    def to_json(self) -> dict:
        return {"law": self.law, "article": self.article, "version": self.version, "clause": self.clause}


@dataclass(frozen=True)
class Evidence:
    """What the self-check proves besides the visible options: the statement of a 判断 item (and
    the original it was changed from), the facts a 案例分析 reference answer rests on."""

    statement: str | None = None  # 判断: the statement as asked, without the 「根据《…》，」 lead
    original: str | None = None  # 判断 (false): the article's own wording
    changed: str | None = None  # 判断 (false): the value put in place of the article's
    kind: str | None = None  # the fact kind of the asked value
    key_points: tuple[str, ...] = ()  # 案例分析: values the reference answer states
    context: str | None = None  # the article's sentence the question is about (one question each per paper)


@dataclass(frozen=True)
class Question:
    type: QType
    stem: str
    options: dict[str, str]  # letter → text (单选/多选); empty otherwise
    answer: str | bool  # letters (单选/多选), True/False (判断), the text (填空), reference answer (案例分析)
    explanation: str  # 解析, quoting the article
    source: Source
    difficulty: str  # 易 / 中 / 难
    knowledge_point: str
    evidence: Evidence = field(default_factory=Evidence, compare=False)

    @property
    def id(self) -> str:
        """Stable across runs: the same question text from the same source has the same id."""
        key = f"{self.type}|{self.source.law}|{self.source.article}|{self.source.version}|{self.stem}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def answer_text(self) -> str:
        """The answer as a question bank writes it: 「AC」, 「正确」/「错误」, the blank's text."""
        if self.type == "judge":
            return "正确" if self.answer else "错误"
        return str(self.answer)

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "stem": self.stem, "options": dict(self.options),
                "answer": self.answer, "explanation": self.explanation, "source": self.source.to_json(),
                "difficulty": self.difficulty, "knowledge_point": self.knowledge_point}


@dataclass(frozen=True)
class Scope:
    """Which articles questions come from: laws (exact titles), a topic (垃圾分类), article numbers
    within those laws, a chapter (substring of its heading)."""

    laws: tuple[str, ...] = ()
    topic: str | None = None
    articles: tuple[int, ...] = ()
    chapter: str | None = None
    include_superseded: bool = False


@dataclass(frozen=True)
class Blueprint:
    counts: dict[str, int]  # type → number of questions
    points: dict[str, float]  # type → points per question
    difficulty: dict[str, float]  # 易/中/难 → share of the paper
    # A type the scope cannot fill is made up with other types of the blueprint (a paper of n
    # questions split evenly); off when the trainer set each type's count.
    fill_shortfall: bool = False

    def total_points(self) -> float:
        return sum(self.counts[t] * self.points.get(t, 0) for t in self.counts)


# Points per question when the trainer gives none (a common split of Chinese qualification papers,
# not measured: a choice 1–2, a case 10); the blueprint overrides it.
DEFAULT_POINTS = {"single": 1.0, "multi": 2.0, "judge": 1.0, "blank": 2.0, "case": 10.0}
# Difficulty mix when none is given (a judgement, not measured): mostly 中.
DEFAULT_MIX = {"易": 0.3, "中": 0.5, "难": 0.2}


def default_blueprint(n: int, types: tuple[str, ...] = QTYPES, points: dict[str, float] | None = None,
                      mix: dict[str, float] | None = None) -> Blueprint:
    """n questions split evenly across the types (the remainder to the first ones)."""
    types = tuple(t for t in QTYPES if t in types) or QTYPES
    base, extra = divmod(n, len(types))
    counts = {t: base + (1 if i < extra else 0) for i, t in enumerate(types)}
    return Blueprint(counts, {t: (points or {}).get(t, DEFAULT_POINTS[t]) for t in types}, dict(mix or DEFAULT_MIX),
                     fill_shortfall=True)


@dataclass
class Stats:
    """How the paper was made: candidates generated, dropped by the self-check (by reason), the
    questions asked for and found per type."""

    generated: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    kept: int = 0
    per_type: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0
    rejected_distractors: int = 0  # wrong-option candidates set aside as possibly right, before any question

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + n

    def to_json(self) -> dict:
        return {"generated": self.generated, "dropped": dict(self.dropped), "dropped_total": sum(self.dropped.values()),
                "kept": self.kept, "per_type": self.per_type, "rejected_distractors": self.rejected_distractors,
                "seconds": round(self.seconds, 3)}


@dataclass
class Paper:
    title: str
    questions: list[Question]
    blueprint: Blueprint
    seed: int
    stats: Stats
    variant: str = "A"

    def coverage(self) -> dict[str, dict[str, int]]:
        """Which laws and knowledge points the paper tests (question counts)."""
        laws: dict[str, int] = {}
        points: dict[str, int] = {}
        for q in self.questions:
            laws[q.source.law] = laws.get(q.source.law, 0) + 1
            points[q.knowledge_point] = points.get(q.knowledge_point, 0) + 1
        return {"laws": laws, "knowledge_points": points}

    def total_points(self) -> float:
        return sum(self.blueprint.points.get(q.type, DEFAULT_POINTS[q.type]) for q in self.questions)

    def by_type(self) -> list[tuple[str, list[Question]]]:
        return [(t, [q for q in self.questions if q.type == t]) for t in QTYPES
                if any(q.type == t for q in self.questions)]

    def to_json(self) -> dict:
        return {"title": self.title, "variant": self.variant, "seed": self.seed,
                "questions": [q.to_json() for q in self.questions],
                "stats": self.stats.to_json() | {"coverage": self.coverage(), "total_points": self.total_points()}}
