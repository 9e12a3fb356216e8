"""违法依据: the rules a penalty 款 punishes breaking, read from its words, and shown with the answer."""
from __future__ import annotations

import pytest

from assistant.answering.assistant import Assistant
from assistant.answering.violation import VIOLATED_RULE_CHARS, violated_rule
from assistant.core.breaches import Breach, breaches
from tests.unit.tiny_corpus import GARBAGE


@pytest.mark.parametrize("text,expected", [
    ("违反本条例第三十一条第二款规定，互联网租赁自行车运营企业对违规停放的车辆未及时清理的，由城管执法部门责令改正",
     [Breach(31, (2,), ())]),
    # 「第一、二、三项」 names three items, as 「第（一）项」 names one.
    ("违反本条例第二十二条第一、二、三项规定的，由公安部门责令改正", [Breach(22, (), (1, 2, 3))]),
    ("违反本规定第五十条第（一）项规定的，由区房屋行政管理部门责令改正", [Breach(50, (), (1,))]),
    ("违反本条例第十三条第一款、第十六条、第十九条第三款规定，驾驶无号牌的非机动车上道路行驶",
     [Breach(13, (1,), ()), Breach(16, (), ()), Breach(19, (3,), ())]),
    # Without 「本条例」 the article is still the law's own.
    ("违反第四十一条规定，建设单位擅自封堵排水管道的", [Breach(41, (), ())]),
    # Another law's article is not this law's rule.
    ("违反《中华人民共和国道路交通安全法》第九十条规定的，依照该法处罚", []),
    # Not a breach: a procedure referring to another article.
    ("对当事人弃留现场的物品，应当按照本条例第二十二条的规定处理。", []),
])
def test_breaches_read_from_the_penalty_clause(text, expected):
    assert breaches(text, 2) == expected


@pytest.mark.parametrize("number,text,expected", [
    (2, "违反前款规定的，处二百元以下罚款。", (1,)),
    (3, "违反前两款规定的，处二百元以下罚款。", (1, 2)),
    (4, "违反本条规定的，由城管执法部门责令改正", (1, 2, 3)),
    (3, "违反第二款规定，环境卫生设施未经验收擅自投入使用的，责令限期改正", (2,)),
    (3, "违反本条第一款规定的，由城管执法部门责令改正", (1,)),
])
def test_breaches_of_the_same_article(number, text, expected):
    assert breaches(text, number) == [Breach(None, expected, ())]


def test_items_naming_their_own_rule_are_chosen_by_the_question():
    text = ("违反本条例规定，有下列行为之一的，由市交通行政管理部门按照下列规定予以处罚：\n"
            "（一）违反第十四条规定，轨道交通建设不符合运营功能配置规范的，处一万元以上十万元以下罚款；\n"
            "（二）违反第二十条规定，在车站出入口擅自设摊的，处五百元以上五千元以下罚款。")
    assert breaches(text, 1, lambda item: float("设摊" in item)) == [Breach(20, (), ())]
    # Nothing relevant: every item's rule.
    assert breaches(text, 1, lambda item: 0.0) == [Breach(14, (), ()), Breach(20, (), ())]


BODY = ("养犬人携带犬只外出应当遵守下列规定：\n（一）为犬只挂犬牌；\n（二）为犬只束牵引带，牵引带长度不得超过两米；\n"
        "（三）为大型犬只戴嘴套；\n（四）即时清除犬只排泄的粪便。")


def test_violated_rule_quotes_the_named_items_with_their_introduction():
    rule = violated_rule("上海市养犬管理条例", 22, "2023-01-01", BODY, Breach(22, (), (2,)))
    assert rule.text == "养犬人携带犬只外出应当遵守下列规定：（二）为犬只束牵引带，牵引带长度不得超过两米；"
    assert rule.where() == "《上海市养犬管理条例》第22条第（二）项"


def test_a_long_rule_is_cut_to_the_relevant_paragraph_and_items_whole():
    filler = "，".join(["应当保持整洁完好"] * 40) + "。"
    body = f"施工单位应当设置封闭围栏{filler}\n施工单位不得擅自在建设工地围栏外堆放建筑垃圾。\n建设工程竣工后应当及时平整建设工地{filler}"
    rule = violated_rule("上海市市容环境卫生管理条例", 33, None, body, Breach(None, (1, 2, 3), ()),
                         lambda text: float("堆放" in text))
    assert rule.text == "施工单位不得擅自在建设工地围栏外堆放建筑垃圾。" and rule.paragraphs == (2,)
    long_list = "下列行为禁止：\n" + "\n".join(f"（{n}）{w}{'，影响市容' * 30}；" for n, w in
                                           (("一", "擅自设摊"), ("二", "乱贴广告"), ("三", "焚烧树叶")))
    assert len(long_list) > VIOLATED_RULE_CHARS
    rule = violated_rule("某条例", 5, None, long_list, Breach(5, (), ()), lambda text: float("广告" in text))
    assert rule.items == (2,) and rule.text.startswith("下列行为禁止：（二）乱贴广告")
    # Short rules are quoted whole; a 款 the article does not have gives none.
    assert violated_rule("某条例", 5, None, BODY, Breach(5, (), ()), lambda text: 1.0).text.count("（") == 4
    assert violated_rule("某条例", 5, None, BODY, Breach(5, (3,), ())) is None


@pytest.fixture(scope="module")
def offline(tiny_retriever):
    return Assistant(tiny_retriever.settings, retriever=tiny_retriever)


def test_penalty_answer_shows_the_rule_broken(offline):
    answer = offline.ask("个人垃圾混投拒不改正罚多少？")
    assert [(r.law, r.article) for r in answer.violated] == [(GARBAGE, 22)]
    text = answer.markdown()
    assert "### 违法依据（所违反的规定）\n- 《上海市生活垃圾管理条例》第22条：个人应当将生活垃圾分别投放至相应的收集容器。" in text
    # shown before the penalty tiers, and the rule's article is among the cited, existing articles
    assert text.index("违法依据") < text.index("处罚幅度与执法主体")
    assert (GARBAGE, 22) in {(h.chunk.law, h.chunk.article) for h in answer.basis}


def test_llm_answer_keeps_the_rule_broken_when_it_cites_the_penalty(tiny_retriever):
    from evals.openai_stub import ScriptedOpenAI
    from tests.unit.test_answering_unit import QUESTION, llm

    reply = "个人混投拒不改正的，处五十元以上二百元以下罚款（《上海市生活垃圾管理条例》第五十七条）。"
    with ScriptedOpenAI([("混投", reply)]) as stub:
        answer = llm(tiny_retriever, stub).ask(QUESTION)
    assert answer.mode == "llm" and [(r.law, r.article) for r in answer.violated] == [(GARBAGE, 22)]
    assert "### 违法依据（所违反的规定）" in answer.markdown()


def test_where_a_rule_broken_is_written():
    from assistant.core.breaches import parts_label

    assert parts_label((1, 2), ()) == "第一款、第二款"
    assert parts_label((2,), (1, 3)) == "第二款第一项、第三项"
    assert parts_label((), (2,), bracketed=True) == "第（二）项"
