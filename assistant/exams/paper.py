"""A paper from a pool of checked questions and a blueprint: counts per type, a difficulty mix,
laws taken in turn, no two questions on one 款 while others remain, no near-duplicate stems
(within the paper and against the papers it must differ from)."""
from __future__ import annotations

import random
from collections.abc import Iterable

from assistant.exams.check import NEAR_DUP_JACCARD, NEAR_DUPLICATE, shingles
from assistant.exams.models import DIFFICULTIES, QTYPES, Blueprint, Question, Stats
from assistant.exams.values import jaccard


def quotas(count: int, mix: dict[str, float]) -> dict[str, int]:
    """Questions per difficulty for `count` questions (largest remainder, so they add up)."""
    total = sum(max(v, 0) for v in mix.values()) or 1
    exact = {d: count * max(mix.get(d, 0), 0) / total for d in DIFFICULTIES}
    out = {d: int(v) for d, v in exact.items()}
    for d in sorted(DIFFICULTIES, key=lambda d: exact[d] - out[d], reverse=True)[: count - sum(out.values())]:
        out[d] += 1
    return out


def _unit(q: Question) -> tuple:
    s = q.source
    return s.law, s.version, s.article, s.paragraph


def _interleave_laws(questions: list[Question]) -> list[Question]:
    """Laws in turn (each law's questions keep their shuffled order), so that a paper over several
    laws covers them all rather than the one with the most articles."""
    by_law: dict[str, list[Question]] = {}
    for q in questions:
        by_law.setdefault(q.source.law, []).append(q)
    out: list[Question] = []
    queues = list(by_law.values())
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _alternate_truth(questions: list[Question]) -> list[Question]:
    """True and false statements in turn, so that a paper's 判断 items are not mostly one answer."""
    true = [q for q in questions if q.answer is True]
    false = [q for q in questions if q.answer is not True]
    out: list[Question] = []
    for pair in zip(true, false):
        out += pair
    n = min(len(true), len(false))
    return out + true[n:] + false[n:]


def _sentence(q: Question) -> tuple:
    s = q.source
    return s.law, s.version, s.article, q.evidence.context or q.stem


class Picker:
    """Chooses questions one by one, remembering the stems, sentences and 款 already taken."""

    def __init__(self, avoid: Iterable[Question], stats: Stats):
        avoid = list(avoid)
        self.shingles = [shingles(q.stem) for q in avoid]
        self.ids = {q.id for q in avoid}
        self.sentences = {_sentence(q) for q in avoid}
        self.units: set[tuple] = set()
        self.stats = stats
        self._rejected: set[str] = set()

    def fits(self, q: Question, new_unit: bool) -> bool:
        if q.id in self.ids or (new_unit and _unit(q) in self.units):
            return False
        mine = shingles(q.stem)
        # One question per sentence of the article (a stem quoting it would give away the other's
        # key, however short the sentence), and no stem close to another.
        if _sentence(q) in self.sentences or any(jaccard(mine, o) >= NEAR_DUP_JACCARD for o in self.shingles):
            if q.id not in self._rejected:  # counted once, however often it is looked at
                self._rejected.add(q.id)
                self.stats.drop(NEAR_DUPLICATE)
            return False
        return True

    def take(self, q: Question) -> None:
        self.shingles.append(shingles(q.stem))
        self.sentences.add(_sentence(q))
        self.ids.add(q.id)
        self.units.add(_unit(q))


# The order in which other types make up a shortfall: the kinds every scope has most of first.
FILL_ORDER = ("judge", "single", "blank", "multi", "case")


def assemble(pool: list[Question], blueprint: Blueprint, rng: random.Random, stats: Stats, *,
             used: frozenset[str] | set[str] = frozenset(), avoid: Iterable[Question] = ()) -> list[Question]:
    """Questions for the blueprint from the pool, skipping `used` ids (history) and anything
    near `avoid` (the A paper when making B)."""
    picker = Picker(avoid, stats)
    chosen: dict[str, list[Question]] = {}
    cands_of: dict[str, list[Question]] = {}
    for qtype in QTYPES:
        want = blueprint.counts.get(qtype, 0)
        if want <= 0:
            continue
        cands = [q for q in pool if q.type == qtype and q.id not in used]
        rng.shuffle(cands)
        cands = _interleave_laws(cands)
        if qtype == "judge":
            cands = _alternate_truth(cands)
        cands_of[qtype] = cands
        mine: list[Question] = []
        need = quotas(want, blueprint.difficulty)
        passes = [(d, True) for d in DIFFICULTIES] + [(None, True), (None, False)]
        for difficulty, new_unit in passes:
            _pick(cands, mine, picker, want, difficulty, new_unit, need)
        stats.per_type[qtype] = {"requested": want, "selected": len(mine), "available": len(cands)}
        chosen[qtype] = mine
    missing = sum(blueprint.counts.values()) - sum(len(m) for m in chosen.values())
    if blueprint.fill_shortfall and missing > 0:
        for qtype in (t for t in FILL_ORDER if t in cands_of):
            mine = chosen[qtype]
            before = len(mine)
            for new_unit in (True, False):
                _pick(cands_of[qtype], mine, picker, before + missing, None, new_unit, {})
            missing -= len(mine) - before
            stats.per_type[qtype]["selected"] = len(mine)
            stats.per_type[qtype]["added"] = len(mine) - before
    return [q for qtype in QTYPES for q in chosen.get(qtype, [])]


def _pick(cands: list[Question], mine: list[Question], picker: Picker, want: int, difficulty: str | None,
          new_unit: bool, need: dict[str, int]) -> None:
    for q in cands:
        if len(mine) >= want or (difficulty and need[difficulty] <= 0):
            return
        if (difficulty is None or q.difficulty == difficulty) and picker.fits(q, new_unit):
            picker.take(q)
            mine.append(q)
            if difficulty:
                need[difficulty] -= 1


def replacement(paper_questions: list[Question], index: int, pool: list[Question], rng: random.Random,
                stats: Stats, used: frozenset[str] | set[str] = frozenset(),
                avoid: Iterable[Question] = ()) -> Question | None:
    """Another question of the same type (the same difficulty when there is one) for position
    `index`, unlike every other question of the paper (and of `avoid`, the other variant) and not
    the one it replaces."""
    old = paper_questions[index]
    others = [q for i, q in enumerate(paper_questions) if i != index]
    picker = Picker([*others, old, *avoid], stats)
    picker.units = {_unit(q) for q in others}
    cands = [q for q in pool if q.type == old.type and q.id not in used]
    rng.shuffle(cands)
    for same_difficulty, new_unit in ((True, True), (False, True), (True, False), (False, False)):
        for q in cands:
            if (not same_difficulty or q.difficulty == old.difficulty) and picker.fits(q, new_unit):
                return q
    return None
