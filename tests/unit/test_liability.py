"""The offender's age or mental state (行政处罚法第三十条、第三十一条) in answers."""
from __future__ import annotations

import pytest

from assistant.answering.liability import Offender, applicable_sentences, asked_offender

MINORS = ("第三十条 不满十四周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教；"
          "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚。")
MENTAL = ("第三十一条 精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚，"
          "但应当责令其监护人严加看管和治疗。间歇性精神病人在精神正常时有违法行为的，应当给予行政处罚。")


@pytest.mark.parametrize("question,offender", [
    ("城管抓到一个十三岁的孩子在墙上乱涂乱画，能罚款吗？", Offender(13, True, False)),
    ("13岁小孩违法了咋处罚", Offender(13, True, False)),
    # A follow-up read after its first turn: the age it names itself counts.
    ("一个十三岁的孩子乱涂乱画 那如果是个十六岁的高中生呢", Offender(16, True, False)),
    ("未成年人违法怎么处理？", Offender(None, True, False)),
    ("精神病人在街上乱扔垃圾能罚吗？", Offender(None, False, True)),
    ("路边有个精神不太正常的流浪汉天天乱扔垃圾，城管能罚他吗？", Offender(None, False, True)),  # blind review G23
    ("二十岁的摊贩占道经营怎么罚？", None),  # an adult: nothing to add
    ("养了条三岁的狗在小区里乱叫，谁管？", None),  # a dog's age
    ("跨门营业怎么罚？", None),
    # Someone else acts on the minor: the minor is not the offender (blind review F07).
    ("纹身店给一个15岁的初中生纹了个花臂，店家会被罚多少钱？", None),
    ("小卖部向未成年人出售香烟怎么罚？", None),
    ("15岁的初中生骑电瓶车上学被交警拦下来了，罚多少？", Offender(15, True, False)),
])
def test_the_offender_a_question_describes(question, offender):
    assert asked_offender(question) == offender


def test_the_sentence_of_the_age_bracket_is_quoted():
    assert applicable_sentences(Offender(13, True), MINORS, MENTAL) == [
        (30, "不满十四周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教")]
    assert applicable_sentences(Offender(16, True), MINORS, MENTAL) == [
        (30, "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚")]
    assert len(applicable_sentences(Offender(None, True), MINORS, MENTAL)) == 2
    assert [n for n, _ in applicable_sentences(Offender(None, False, True), MINORS, MENTAL)] == [31, 31]
    assert applicable_sentences(Offender(13, True), "", "") == []  # not in the index: nothing said


def test_under_fourteen_the_conclusion_says_first_that_no_penalty_is_given(tiny_retriever, monkeypatch):
    from assistant.answering.answer import Answer
    from assistant.answering.assistant import Assistant
    from assistant.core.models import Chunk, Hit

    assistant = Assistant(tiny_retriever.settings, retriever=tiny_retriever)
    store = tiny_retriever.store
    rows = {n: Chunk("中华人民共和国行政处罚法", n, 0, "2021-01-22", "全国", "法律", None, "current", text, "x.md",
                     article_label=f"第{label}条")
            for n, label, text in ((30, "三十", MINORS), (31, "三十一", MENTAL))}
    original = store.article
    monkeypatch.setattr(store, "article", lambda law, n: [rows[n]] if law == "中华人民共和国行政处罚法" and n in rows
                        else original(law, n))
    conduct = Chunk("上海市市容环境卫生管理条例", 24, 0, "2018-12-20", "上海", "地方性法规", None, "current",
                    "第二十四条 禁止在建筑物上刻画、涂写。", "y.md", article_label="第二十四条")

    def answer():
        return Answer("q", False, "offline", conclusion="刻画、涂写的，由城管执法部门责令限期清除（《上海市市容环境卫生管理条例》第24条）。",
                      basis=[Hit(conduct, 1.0)])

    child = answer()
    assistant.composer._with_liability(child, Offender(13, True))
    assert child.conclusion.startswith("不满十四周岁的未成年人有违法行为的，不予行政处罚")
    assert "所问行为本身的规定：刻画、涂写的" in child.conclusion
    assert [h.chunk.article for h in child.basis] == [30, 24] and not child.notes

    teenager = answer()
    assistant.composer._with_liability(teenager, Offender(16, True))
    assert teenager.conclusion.startswith("刻画、涂写的")  # the penalty stands, lighter or reduced
    assert teenager.notes == ["已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚"
                              "（《中华人民共和国行政处罚法》第30条）。"]
    assert [h.chunk.article for h in teenager.basis] == [24, 30]

    # A follow-up about the offender (「那如果是个十六岁的高中生呢」) asks what the age changes.
    asked = answer()
    assistant.composer._with_liability(asked, Offender(16, True), asked_itself=True)
    assert asked.conclusion.startswith("已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚")
    assert "所问行为本身的规定：刻画、涂写的" in asked.conclusion
    assert [h.chunk.article for h in asked.basis] == [30, 24] and not asked.notes

    # The previous 结论 was the rule itself (「精神病人乱扔垃圾」 → 第三十一条): the follow-up's
    # offender gets its own sentence, not the carried one.
    rule = Answer("q", False, "offline", conclusion="精神病人…（《中华人民共和国行政处罚法》第31条）。",
                  basis=[Hit(rows[31], 1.0)])
    assistant.composer._with_liability(rule, Offender(15, True), asked_itself=True)
    assert rule.conclusion.startswith("已满十四周岁不满十八周岁") and "精神病人" not in rule.conclusion
    assert [h.chunk.article for h in rule.basis] == [30]


def test_no_age_clause_when_the_one_asked_about_is_an_organisation(tiny_retriever, monkeypatch):
    """「两岁孩子午睡没人看…托育机构会被罚吗」: the one punished is a 单位; the child is in its care,
    no offender (blind review F39 had opened with 「不满十四周岁…不予行政处罚」)."""
    from assistant.answering.assistant import Assistant
    from assistant.core.models import Chunk

    assistant = Assistant(tiny_retriever.settings, retriever=tiny_retriever)
    store = tiny_retriever.store
    row = Chunk("中华人民共和国行政处罚法", 30, 0, "2021-01-22", "全国", "法律", None, "current", MINORS, "x.md",
                article_label="第三十条")
    original = store.article
    monkeypatch.setattr(store, "article", lambda law, n, *rest: [row] if (law, n) == ("中华人民共和国行政处罚法", 30)
                        else original(law, n, *rest))
    child = assistant.ask("一个十三岁的孩子擅自迁移树木怎么罚？")
    assert child.conclusion.startswith("不满十四周岁的未成年人有违法行为的")  # the child is the offender
    shop = assistant.ask("十三岁的孩子擅自迁移树木，公司会被罚多少？")
    assert not shop.no_basis and not shop.conclusion.startswith("不满十四周岁")
