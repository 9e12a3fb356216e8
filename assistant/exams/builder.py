"""ExamBuilder: scope → checked question pool → papers (A/B, history), the one object the CLI,
the app and Python callers use.

    from assistant import ExamBuilder
    from assistant.exams.models import Scope, default_blueprint

    builder = ExamBuilder()
    paper = builder.paper(Scope(laws=("上海市生活垃圾管理条例",)), default_blueprint(20), seed=1)
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable

from assistant.config import Settings
from assistant.core.render import book_title
from assistant.exams import generate
from assistant.exams.check import check_question
from assistant.exams.distractors import ValuePool
from assistant.exams.facts import facts, penalties
from assistant.exams.history import ExamHistory, HistoryUnavailable
from assistant.exams.library import Library
from assistant.exams.models import Blueprint, Paper, Question, Scope, Stats
from assistant.exams.paper import assemble, replacement
from assistant.exams.scope import Authored, select

Progress = Callable[[str, float], None]


def _no_progress(stage: str, fraction: float) -> None:
    pass


class ExamBuilder:
    def __init__(self, settings: Settings | None = None, *, library: Library | None = None,
                 history: ExamHistory | None = None):
        self.settings = settings or Settings()
        self.library = library or Library.open(self.settings)
        self.history = history or ExamHistory.of(self.settings)
        self.authored = Authored.under(self.settings.authored_dir)
        self._pools: dict[tuple, ValuePool] = {}
        self._model = None

    # --- what can be asked ----------------------------------------------------------------
    def laws(self) -> list[str]:
        return self.library.titles()

    def _value_pool(self, laws: tuple[str, ...]) -> ValuePool:
        """Values of every kind from the laws in scope and the core laws (the distractor source)."""
        core = [t for t in self.library.titles() if any(c in t for c in self.settings.core_laws)]
        key = tuple(sorted(set(laws) | set(core)))
        if key not in self._pools:
            every = [f for law in key for a in self.library.articles(law, self.library.current_version(law))
                     for f in facts(a)]
            self._pools[key] = ValuePool(every)
        return self._pools[key]

    def candidates(self, scope: Scope, seed: int = 1, progress: Progress = _no_progress) -> tuple[list[Question], Stats]:
        """Every question the scope yields, each passed through the self-check; the stats count
        what was generated and what was dropped, by reason."""
        stats = Stats()
        articles = select(scope, self.library, self.authored, self.settings.core_laws)
        progress("读取条文", 0.1)
        pool = self._value_pool(tuple({a.law for a in articles}))
        rejected_before = pool.rejected
        kept: dict[str, Question] = {}
        for n, article in enumerate(articles, 1):
            made: list[Question | None] = []
            for fact in facts(article):
                # One generator per fact and type: a question does not depend on the others.
                rng = {t: random.Random(f"{seed}|{t}|{fact.key}") for t in ("single", "true", "false", "multi")}
                made += [generate.single(fact, pool, rng["single"], article.text), generate.blank(fact),
                         generate.judge(fact, pool, rng["true"], article.text, truth=True),
                         generate.judge(fact, pool, rng["false"], article.text, truth=False),
                         generate.multi(fact, pool, rng["multi"], article.text)]
            made += [generate.case(p) for p in penalties(article)]
            for q in made:
                if q is None or q.id in kept:  # one sentence asked the same way twice is one question
                    continue
                stats.generated += 1
                reasons = self.check(q, scope.include_superseded)
                if reasons:
                    for r in reasons:
                        stats.drop(r)
                else:
                    kept[q.id] = q
            if n % 20 == 0:
                progress("出题并自检", 0.1 + 0.7 * n / len(articles))
        stats.kept = len(kept)
        stats.rejected_distractors = pool.rejected - rejected_before
        return list(kept.values()), stats

    def check(self, q: Question, allow_superseded: bool = False) -> list[str]:
        """The self-check against the library's own copy of the cited article."""
        s = q.source
        article = self.library.article(s.law, s.article, s.version)
        return check_question(q, article.text if article else None, self.library.current_version(s.law),
                              allow_superseded=allow_superseded, law_text=self.library.law_text(s.law, s.version))

    # --- papers -------------------------------------------------------------------------------
    def paper(self, scope: Scope, blueprint: Blueprint, seed: int = 1, *, avoid_used: bool = True,
              avoid: list[Question] | tuple = (), variant: str = "A", title: str | None = None,
              use_llm: bool = False, progress: Progress = _no_progress) -> Paper:
        """A paper for the blueprint; the same scope, blueprint, seed and history give the same paper."""
        start = time.perf_counter()
        pool, stats = self.candidates(scope, seed, progress)
        used = self.history.used_ids() if avoid_used else set()
        rng = random.Random(f"{seed}|paper|{variant}")
        progress("组卷", 0.85)
        questions = assemble(pool, blueprint, rng, stats, used=used, avoid=avoid)
        if use_llm:
            questions = self._enrich_cases(questions, stats, scope.include_superseded)
        stats.seconds = time.perf_counter() - start
        progress("完成", 1.0)
        return Paper(title or _title(scope), questions, blueprint, seed, stats, variant)

    def ab_papers(self, scope: Scope, blueprint: Blueprint, seed: int = 1, **kw) -> tuple[Paper, Paper]:
        """Two papers with the same blueprint and no question (nor near-duplicate stem) in common."""
        a = self.paper(scope, blueprint, seed, variant="A", **kw)
        b = self.paper(scope, blueprint, seed, variant="B", avoid=a.questions, **kw)
        return a, b

    def replace(self, paper: Paper, index: int, scope: Scope, avoid_used: bool = True,
                avoid: list[Question] | tuple = ()) -> Paper:
        """The paper with question `index` swapped for another of its type (unchanged when the
        scope has no other); `avoid` holds the other variant's questions."""
        pool, _ = self.candidates(scope, paper.seed)
        used = self.history.used_ids() if avoid_used else set()
        rng = random.Random(f"{paper.seed}|replace|{index}|{paper.questions[index].id}")
        new = replacement(paper.questions, index, pool, rng, paper.stats, used, avoid)
        if new is None:
            return paper
        questions = list(paper.questions)
        questions[index] = new
        return Paper(paper.title, questions, paper.blueprint, paper.seed, paper.stats, paper.variant)

    def record(self, paper: Paper) -> int:
        """Mark the paper's questions as used (never in read-only mode, which writes nothing)."""
        if self.settings.read_only:
            raise HistoryUnavailable("只读模式：不保存试卷记录")
        return self.history.record(paper)

    # --- LLM mode -----------------------------------------------------------------------------
    def _enrich_cases(self, questions: list[Question], stats: Stats, allow_superseded: bool) -> list[Question]:
        """Richer 案例分析 scenarios from the configured model; each rewrite passes the same
        self-check or the offline scenario stays (the rejection is counted)."""
        from assistant.exams.llm import enrich_case, make_model

        if self._model is None:
            self._model = make_model(self.settings)
        if self._model is None:
            return questions
        out = []
        for q in questions:
            if q.type == "case":
                article = self.library.article(q.source.law, q.source.article, q.source.version)
                rich = enrich_case(self._model, q, article.text if article else "")
                if rich is None:
                    stats.drop("llm:no_reply")
                elif reasons := self.check(rich, allow_superseded):
                    for r in reasons:
                        stats.drop(f"llm:{r}")
                else:
                    q = rich
            out.append(q)
        return out


def _title(scope: Scope) -> str:
    what = scope.topic or "、".join(book_title(law) for law in scope.laws[:3]) or "法规"
    return f"{what}知识测试"
