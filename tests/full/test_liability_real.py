"""answering/liability.py against the real 行政处罚法: the age brackets it quotes begin sentences of
第三十条, and 第三十一条 is about mental state."""
from __future__ import annotations

from assistant.answering.liability import (FROM_14_TO_18, LAW, MENTAL_ARTICLE, MINORS_ARTICLE, UNDER_14,
                                           Offender, applicable_sentences)
from ingestion.library import Library
from tests.full.conftest import SHARED_CORPUS


def test_the_brackets_are_sentences_of_the_real_article():
    articles = Library.articles(Library.read(SHARED_CORPUS).current(LAW))
    minors, mental = articles[MINORS_ARTICLE], articles[MENTAL_ARTICLE]
    assert [s for _, s in applicable_sentences(Offender(13, True), minors, mental)][0].startswith(UNDER_14)
    assert [s for _, s in applicable_sentences(Offender(15, True), minors, mental)][0].startswith(FROM_14_TO_18)
    assert "精神病人" in mental and "不予行政处罚" in mental
