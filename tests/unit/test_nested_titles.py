"""Titles holding another title (上海市实施《中华人民共和国土地管理法》办法: 19 of the library's): written
《上海市实施〈…〉办法》 in answers and exports, and read back however a reply writes them, never as the
national law named inside."""
from __future__ import annotations

import pytest

from assistant.answering.verify import find_citations
from assistant.core.render import article_label, book_title, title_in_book
from assistant.exams.bank import CITATION
from assistant.notebook.sources import _named_laws
from assistant.retrieval.lawnames import LawNames

LOCAL = "上海市实施《中华人民共和国土地管理法》办法"
NATIONAL = "中华人民共和国土地管理法"
NAMES = LawNames([LOCAL, NATIONAL, "上海市生活垃圾管理条例"])


def test_a_title_inside_a_title_is_set_in_angle_brackets():
    assert book_title(LOCAL) == "《上海市实施〈中华人民共和国土地管理法〉办法》"
    assert article_label(LOCAL, 12) == "《上海市实施〈中华人民共和国土地管理法〉办法》第12条"
    assert title_in_book("上海市实施〈中华人民共和国土地管理法〉办法") == LOCAL
    assert book_title(NATIONAL) == f"《{NATIONAL}》"


@pytest.mark.parametrize("text", [
    "依据《上海市实施〈中华人民共和国土地管理法〉办法》第12条第二款处理。",
    # 《》 inside 《》, as a reply may write it: the outer title, not the national law inside
    "依据《上海市实施《中华人民共和国土地管理法》办法》第12条处理。",
    "依据上海市实施中华人民共和国土地管理法办法第12条处理。",
])
def test_citations_of_the_local_rule_resolve_to_it(text):
    assert [(law, article) for _, law, _, article in find_citations(text, NAMES)] == [(LOCAL, 12)]


def test_the_national_law_is_still_its_own():
    found = find_citations("《中华人民共和国土地管理法》第77条", NAMES)
    assert [(law, article) for _, law, _, article in found] == [(NATIONAL, 77)]


def test_notebook_and_exam_bank_read_the_outer_title():
    class Reply:
        body = None
        conclusion = f"{article_label(LOCAL, 12)}：……；另见《上海市实施《中华人民共和国土地管理法》办法》第13条。"

    assert _named_laws(Reply()) == [LOCAL, LOCAL]
    m = CITATION.search("《上海市实施《中华人民共和国土地管理法》办法》第十二条")
    assert m["law"] == LOCAL and m["art"] == "十二"
    assert CITATION.search(article_label(LOCAL, 12))["law"] == "上海市实施〈中华人民共和国土地管理法〉办法"


FTZ = "中国（上海）自由贸易试验区条例"
LISTED = "上海市人民代表大会关于代表建议、批评和意见的规定"


@pytest.mark.parametrize("text,law", [
    # parentheses of the title's own are no version note
    ("《中国（上海）自由贸易试验区条例》第52条", FTZ),
    ("《中国(上海)自由贸易试验区条例》(2014年版)第52条", FTZ),
    # without brackets, a title with punctuation inside is still read whole
    ("依据中国（上海）自由贸易试验区条例第52条", FTZ),
    ("依据上海市人民代表大会关于代表建议、批评和意见的规定第14条", LISTED),
    ("依据上海市实施《中华人民共和国土地管理法》办法第12条", LOCAL),
])
def test_titles_with_punctuation_inside_are_read_whole(text, law):
    names = LawNames([LOCAL, NATIONAL, FTZ, LISTED])
    assert [found_law for _, found_law, _, _ in find_citations(text, names)][:1] == [law]
