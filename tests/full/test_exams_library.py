"""Exam builder on the real text of 上海市生活垃圾管理条例 (and the other files of the small real
corpus): every question the builder keeps passes the independent check of evals/exams.py (its
key is in the cited article, no wrong option is, the stem with the key is the article's
sentence), and a 20-question paper of every type comes in the issue's time."""
from __future__ import annotations

import time

import pytest

from assistant.config import Settings
from assistant.exams.builder import ExamBuilder
from assistant.exams.models import QTYPES, Scope, default_blueprint
from evals.exams import TIME_LIMIT_S, article_text, verify

GARBAGE = "上海市生活垃圾管理条例"


@pytest.fixture(scope="module")
def builder(tmp_path_factory, small_corpus) -> ExamBuilder:
    from ingestion.pipeline import ingest

    settings = Settings(data_dir=tmp_path_factory.mktemp("exam-data"), corpus_path=small_corpus)
    assert ingest(settings, vectors=False).errors == []  # keyword index only: the builder reads the store
    return ExamBuilder(settings)


def test_every_kept_question_passes_the_independent_check(builder):
    pool, _ = builder.candidates(Scope(laws=(GARBAGE,)), seed=1)
    assert {q.type for q in pool} == set(QTYPES) and len(pool) > 200
    failures = []
    for q in pool:
        problems = verify(q.to_json(), article_text(builder.library.store, q.source.to_json()))
        if problems:
            failures.append((q.source.label(), q.type, q.stem[:60], problems))
    assert failures == []
    fines = [q for q in pool if q.type == "single" and q.evidence.kind == "fine"]
    assert any(q.source.article == 57 and q.options[q.answer] == "五十元以上二百元以下" for q in fines)


def test_a_paper_of_twenty_in_time(builder):
    start = time.perf_counter()
    paper = builder.paper(Scope(laws=(GARBAGE,)), default_blueprint(20), seed=1, avoid_used=False)
    assert time.perf_counter() - start <= TIME_LIMIT_S
    assert len(paper.questions) == 20 and {q.type for q in paper.questions} == set(QTYPES)
    assert all(verify(q.to_json(), article_text(builder.library.store, q.source.to_json())) == []
               for q in paper.questions)
