"""The citation guard of the LLM mode: however a model writes a citation it cannot back — no 《》,
odd brackets, a version note, invisible characters, 之一, English, absurd numbers — neither the
streamed pieces nor the final answer (footer included) show it. End to end against the scripted
OpenAI-protocol server, and as a property of `verify` over generated citation variants."""
from __future__ import annotations

import re

import cn2an
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assistant.answering.answer import Answer, Token
from assistant.answering.citation_finder import (
    CN_ARTICLE,
    EN_ARTICLE,
    NO_LAW,
    NO_PARAGRAPH,
    NO_VERSION,
    NOT_FOUND,
    NOT_RETRIEVED,
)
from assistant.answering.verify import check, verify
from assistant.core.legaltext import BIDI_CONTROLS, fold, read_number
from assistant.core.models import Chunk, Hit
from evals.openai_stub import ScriptedOpenAI
from tests.unit.test_answering_unit import QUESTION, llm
from tests.unit.tiny_corpus import GARBAGE

VALID = "个人混投拒不改正的，处五十元以上二百元以下罚款（《上海市生活垃圾管理条例》第五十七条）。"
ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"

# The reproductions of the issue: each follows a valid sentence in the model's reply.
INVENTED = {
    "no brackets, unknown law": "上海市某某条例第999条还规定可以拘留。",
    "bare article": "按照第999条，可以拘留。",
    "version note": "《上海市生活垃圾管理条例》（2019年版）第999条还规定可以拘留。",
    "zero-width space": "《上海市生活垃圾管理条例》第\u200b999条还规定可以拘留。",
    "ASCII double angle brackets": "<<上海市生活垃圾管理条例>>第999条还规定可以拘留。",
    "lenticular brackets, unknown law": "【上海市某某条例】第999条还规定可以拘留。",
    "之一 not in the index": "《上海市生活垃圾管理条例》第五十七条之一还规定可以拘留。",
    "English": "Per Article 999 of the Shanghai Municipal Regulations on Domestic Waste, detention applies.",
    "20-digit number": "依据《上海市生活垃圾管理条例》第12345678901234567890条可以拘留。",
    "full-width digits": "《上海市生活垃圾管理条例》第９９９条还规定可以拘留。",
    "Chinese numerals": "《上海市生活垃圾管理条例》第九百九十九条还规定可以拘留。",
    "paragraph the article lacks": "《上海市生活垃圾管理条例》第五十七条第五款还规定可以拘留。",
}


def stream(tiny_retriever, reply: str) -> tuple[list[Token], Answer]:
    with ScriptedOpenAI([("混投", reply)]) as stub:
        items = list(llm(tiny_retriever, stub).ask_stream(QUESTION))
    assert isinstance(items[-1], Answer) and all(isinstance(i, Token) for i in items[:-1])
    return items[:-1], items[-1]


def shows_invented(text: str) -> bool:
    flat = fold(text)[0]
    return any(x in flat for x in ("999", "之一", "某某", "第五款", "Article", "1234567890"))


def footer(answer: Answer) -> str:
    return "\n".join(line for line in answer.markdown().splitlines() if "已删除" in line)


@pytest.mark.parametrize("invented", INVENTED.values(), ids=INVENTED.keys())
def test_invented_citation_is_never_shown(tiny_retriever, invented):
    tokens, answer = stream(tiny_retriever, VALID + invented)
    assert answer.mode == "llm" and answer.body == VALID
    assert "".join(t.text for t in tokens) == answer.body  # streamed = verified, nothing more
    assert not any(shows_invented(t.text) for t in tokens)
    assert not shows_invented(answer.markdown()) and not shows_invented(answer.summary_markdown())
    assert [(h.chunk.law, h.chunk.article) for h in answer.basis] == [(GARBAGE, 57)]
    assert answer.flagged and "已删除" in footer(answer)


def test_footer_counts_removals_without_repeating_them(tiny_retriever):
    reply = VALID + "另据《上海市生活垃圾管理条例》第999条可以拘留。《中华人民共和国行政处罚法》第六十四条规定了听证。"
    _, answer = stream(tiny_retriever, reply)
    text = footer(answer)
    assert "已删除 2 处无法核实的引用（索引中不存在该条文、该条文不在本次检索到的依据中）" in text
    assert not CN_ARTICLE.search(text) and GARBAGE not in text and "行政处罚法" not in text
    assert [f["problem"] for f in answer.flagged] == [NOT_FOUND, NOT_RETRIEVED]
    assert answer.flagged[0]["raw"] == "《上海市生活垃圾管理条例》第999条"  # kept for logs only


def test_nothing_is_streamed_when_no_citation_survives(tiny_retriever):
    tokens, answer = stream(tiny_retriever, "依据《上海市生活垃圾管理条例》第999条，可以拘留十日。")
    assert tokens == [] and answer.mode == "offline" and "没有可核实的引用" in answer.reason
    assert "999" not in answer.markdown() and "拘留" not in answer.markdown()


def test_verified_reply_is_still_streamed_in_pieces(tiny_retriever):
    tokens, answer = stream(tiny_retriever, VALID * 3)
    assert len(tokens) > 3 and "".join(t.text for t in tokens) == answer.body == VALID * 3
    assert not answer.flagged


# --- verify() directly -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guard(tiny_retriever):
    """verify() bound to the tiny index and the hits of QUESTION (57 retrieved, 第一条 not)."""
    hits = tiny_retriever.search(QUESTION).hits
    keys = {(h.chunk.law, h.chunk.article) for h in hits}
    assert (GARBAGE, 57) in keys and (GARBAGE, 1) not in keys
    allowed = {h.chunk.jurisdiction for h in hits}

    def run(text: str):
        return verify(text, tiny_retriever.names, tiny_retriever.store, hits, allowed)

    return run


@pytest.mark.parametrize("sentence", [
    "依据第五十七条第二款处罚。",  # bare: the law of the sentence before
    "本条例第五十七条也这样规定。",
    "《上海市生活垃圾管理条例》第57、58条都有规定。",
    "Article 57 of 《上海市生活垃圾管理条例》 applies.",
    "《上海市生活垃圾管理条例》Art. 57 applies.",
    "依据上海市生活垃圾管理条例（2019年修正）第伍拾柒条处罚。",
    "依据“上海市生活垃圾管理条例”第 57 条处罚。",
    "依据《上海市生活垃圾管理条例（二〇一九年版）》第五十七条处罚。",
])
def test_valid_citations_of_retrieved_articles_survive(guard, sentence):
    out = guard(VALID + sentence)
    assert out.text == VALID + sentence and not out.flagged


@pytest.mark.parametrize("sentence, problem", [
    ("依据杭州市生活垃圾管理条例第57条处罚。", NOT_FOUND),  # a short name inside another city's law
    ("依据上海市生活垃圾管理条例（2025年版）第57条处罚。", NO_VERSION),
    ("《上海市生活垃圾管理条例》第57条至第60条都有规定。", NOT_FOUND),  # 59 and 60 do not exist
    ("依据《上海市生活垃圾管理条例》第五十七条第三款处罚。", NO_PARAGRAPH),
    ("《上海市生活垃圾管理条例》第57.1条另有规定。", NOT_FOUND),
    ("依据Article fifty-seven处罚。", NOT_FOUND),
    ("依据《上海市生活垃圾管理条例》第0条处罚。", NOT_FOUND),
    ("《上海市生活垃圾管理条例》第 9 9 9 条规定拘留。", NOT_FOUND),  # shown as 999
    ("《上海市生活垃圾管理条例》第**999**条规定拘留。", NOT_FOUND),  # markdown bold
    ("《上海市生活垃圾管理条例》第\n999条规定拘留。", NOT_FOUND),  # markdown joins the lines
    ("《上海市生活垃圾管理条例》第9·99条规定拘留。", NOT_FOUND),
    ("《上海市生活垃圾管理条例》第ⅸ条规定拘留。", NOT_FOUND),
    ("《上海市生活垃圾管理条例》第999条例如拘留。", NOT_FOUND),
    ("**上海市某某条例**第57条规定拘留。", NOT_FOUND),
    ("︽上海市某某条例︾第57条规定拘留。", NOT_FOUND),  # vertical-text brackets
    ("上海市某某条例2019年版第57条规定拘留。", NOT_FOUND),
    ("上海市某某条例：第57条规定拘留。", NOT_FOUND),  # the sentence names another law
    ("生活垃圾管理条例实施细则对此有规定，第57条可以拘留。", NO_LAW),
    ("Article 57 of 生活垃圾管理条例实施细则 applies.", NOT_FOUND),
    ("按照999条，可以拘留。", NOT_FOUND),  # colloquial, without 第
    ("ARTICLE 999 OF 《上海市生活垃圾管理条例》。", NOT_FOUND),
    ("依据§999处理。", NOT_FOUND),
])
def test_unverifiable_forms_are_removed(guard, sentence, problem):
    out = guard(VALID + sentence)
    assert out.text == VALID and problem in {f.problem for f in out.flagged}


@pytest.mark.parametrize("sentence", ["按照两条原则处理。", "共有3条措施可以采用。", "依据五十七条第二款处罚。"])
def test_counts_are_not_citations_but_colloquial_references_are_checked(guard, sentence):
    out = guard(VALID + sentence)
    assert out.text == VALID + sentence and not out.flagged


def test_bidi_controls_are_dropped_from_what_is_shown(guard):
    out = guard(VALID + "《上海市生活垃圾管理条例》\u202e条999第\u202c规定拘留。")
    assert "\u202e" not in out.text and "999" in out.text  # shown as 条999第: no citation


def test_bare_article_needs_one_law_in_reach(guard):
    two_laws = "《上海市生活垃圾管理条例》和《中华人民共和国噪声污染防治法》都有规定。"
    out = guard(two_laws + "第五十七条规定了罚款。" + VALID)
    assert out.text == two_laws + VALID and out.flagged[0].problem == NO_LAW
    assert guard("第五十七条规定了罚款。").flagged[0].problem == NO_LAW  # no law anywhere


def test_rechecked_after_removal(guard):
    # 「第五十七条」 leans on the sentence before; once that is removed it names no law.
    reply = "《上海市某某条例》第五十七条规定罚款。第五十七条还规定了改正。"
    out = guard(reply)
    assert out.text == "" and not out.kept


def test_invisible_characters_are_kept_only_in_verified_text(guard):
    reply = VALID.replace("五十七", "五\u200b十七") + "依据《上海市生活垃圾管理条例》第\u2060999条拘留。"
    out = guard(reply)
    assert out.text == VALID.replace("五十七", "五\u200b十七")


def test_article_number_guard():
    assert read_number("12345678901234567890") is None and read_number("九千九百九十九") == 9999
    assert read_number("伍拾柒") == 57 and read_number("一〇五") == 105 and read_number("两百") == 200
    assert read_number("XII") is None and read_number("") is None
    assert fold("第\u200b５７条\ufeff（2019）")[0] == "第57条(2019)"


class _OneArticleStore:
    """A store holding one article, 第五十七条之一 (the tiny library has none)."""

    def __init__(self, chunk: Chunk):
        self.chunk = chunk

    def article(self, law: str, article: int, version: str | None = None) -> list[Chunk]:
        return [self.chunk] if (law, article) == (self.chunk.law, self.chunk.article) else []


def test_article_with_zhiyi_verifies_only_as_itself(tiny_retriever):
    chunk = Chunk(GARBAGE, 57, 1, "2019-01-31", "上海", "地方性法规", None, "current",
                  "第五十七条之一 ……", "x.md", article_label="第五十七条之一")
    store, hits = _OneArticleStore(chunk), [Hit(chunk, 1.0)]
    ok = verify("依据《上海市生活垃圾管理条例》第五十七条之一处罚。", tiny_retriever.names, store, hits, None)
    assert not ok.flagged and ok.kept[0].sub == 1
    plain = verify("依据《上海市生活垃圾管理条例》第五十七条处罚。", tiny_retriever.names, store, hits, None)
    assert plain.text == "" and plain.flagged[0].problem == NOT_FOUND


# --- the property: generated citation variants --------------------------------------------------

REAL_YEAR_NOTES = ["（2019年版）", "(2019修正)", "（二〇一九年修订）"]
BRACKETS = [("《", "》"), ("<<", ">>"), ("＜＜", "＞＞"), ("〈", "〉"), ("【", "】"), ("「", "」"), ("“", "”"),
            ('"', '"'), ("", "")]
LAWS = {"real": GARBAGE, "invented": "上海市某某条例", "other city": "杭州市生活垃圾管理条例",
        "english": "the Shanghai Municipal Regulations on Domestic Waste", "none": None}
# 57 is retrieved; 第一条 exists but is not; the rest do not exist (or cannot).
ARTICLES = [57, 1, 999, 105, 200, 1001, 12345678901234567890]


def numeral(n: int, style: str) -> str:
    if n > 10000 or style == "arabic":
        return str(n)
    if style == "full-width":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if style == "financial":
        return cn2an.an2cn(n, "up")
    text = cn2an.an2cn(n)
    return text.replace("零", "〇").replace("二百", "两百").replace("二千", "两千") if style == "chinese-alt" else text


@st.composite
def variants(draw):
    # Half the draws keep every part verifiable, so that valid citations are tried as often as
    # invented ones (the free draws are almost always invented somewhere).
    honest = draw(st.booleans())
    law_kind = draw(st.sampled_from(["real", "none"] if honest else list(LAWS)))
    article = 57 if honest else draw(st.sampled_from(ARTICLES))
    number = numeral(article, draw(st.sampled_from(["arabic", "full-width", "chinese", "chinese-alt", "financial"])))
    form = draw(st.sampled_from(["cn", "en of", "en before"]))
    zhiyi = False if honest else draw(st.booleans())
    note = draw(st.sampled_from([None, *REAL_YEAR_NOTES] + ([] if honest else ["（2025年版）"])))
    note_inside = draw(st.booleans())
    tail = draw(st.sampled_from([None, 2] + ([] if honest else [9])))  # 57 has two 款
    spaced = draw(st.booleans())
    open_, close = draw(st.sampled_from(BRACKETS))
    law = LAWS[law_kind]
    if law is None:
        name = note or ""
    elif note and note_inside and open_:
        name = f"{open_}{law}{note}{close}"
    else:
        name = f"{open_}{law}{close}{note or ''}"
    gap = " " if spaced else ""
    if form == "cn":
        citation = (f"{name}第{gap}{number}{gap}条" + ("之一" if zhiyi else "")
                    + (f"第{cn2an.an2cn(tail)}款" if tail else ""))
    else:
        words = f"Article {number}" + ("-1" if zhiyi else "") + (f"({tail})" if tail else "")
        if form == "en before":
            words = words.replace("Article", "Art.")
        if law is None:
            citation = name + words  # a note, if any, then the bare reference
        elif form == "en of":
            citation = f"{words} of {name}"
        else:
            citation = f"{name} {words}"
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(citation)))
        citation = citation[:at] + draw(st.sampled_from(ZERO_WIDTH)) + citation[at:]
    valid = (law_kind in ("real", "none") and article == 57 and not zhiyi and tail != 9
             and note != "（2025年版）")
    return citation, valid


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_property_only_verifiable_citations_survive(guard, tiny_retriever, variant):
    citation, valid = variant
    event("verifiable" if valid else "unverifiable")
    reply = VALID + "另据" + citation + "，可以处罚。"
    out = guard(reply)
    shown = BIDI_CONTROLS.sub("", reply)  # direction marks are dropped from any reply
    assert out.text == (shown if valid else VALID), (citation, [(f.raw, f.problem) for f in out.flagged])
    # And whatever is left holds no reference that fails a fresh check.
    hits = tiny_retriever.search(QUESTION).hits
    assert all(c.ok for c in check(out.text, tiny_retriever.names, tiny_retriever.store, hits,
                                   {h.chunk.jurisdiction for h in hits}))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 10000))
def test_property_chinese_numerals_read_back(n):
    assert read_number(cn2an.an2cn(n)) == n and read_number(cn2an.an2cn(n, "up")) == n
    assert re.fullmatch(r"第(.+)条", f"第{cn2an.an2cn(n)}条") and CN_ARTICLE.fullmatch(f"第{cn2an.an2cn(n)}条")
    assert EN_ARTICLE.fullmatch(f"Article {n}")
