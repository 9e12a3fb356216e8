"""A time limit answers 「多少时间里要…」 only when it is for the asked act: 拆违规定第七条 「二十四小时内到
现场进行调查取证」 answers 「举报了，执法部门多少时间里要到现场」, not 第五条 「一个月内将查处违法建筑的情况
反馈举报人」 (diagnostic N14-21, N16-22, N18-26 had been told 「未找到可靠依据」). A procedure question
naming a topic law gets that law's 款 stating a time limit for the asked act as candidates (行政复议法
第二十条 「六十日内提出行政复议申请」 is worded nothing like 「从收到决定书算起有多少时间可以申请」)."""
from __future__ import annotations

import pytest

from assistant.answering.intent import asked_deadline_event
from tests.unit.conftest import mini_library_assistant

DEMOLITION = "上海市拆除违法建筑若干规定"
REVIEW = "中华人民共和国行政复议法"

FILES = [
    (f"DLC/上海地方法规/地方性法规/上海/{DEMOLITION}(2018-05-24).md", f"""# {DEMOLITION}

2018年5月24日上海市第十五届人民代表大会常务委员会第三次会议修正

<!-- INFO END -->

第五条 任何单位或者个人发现违法建筑，可以向统一举报电话举报，也可以向拆违实施部门举报。受理举报的部门应当为举报人保密。

拆违实施部门应当在一个月内将查处违法建筑的情况反馈举报人。

第七条 拆违实施部门发现违法建筑、接到相关举报或者物业服务企业的相关报告后，应当在二十四小时内到现场进行调查取证，对正在搭建的，应当在两小时内到现场进行调查取证。
"""),
    ("诉讼与非诉讼程序法/行政复议法(2023-09-01).md", f"""# {REVIEW}

<!-- INFO END -->

第二十条 公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；但是法律规定的申请期限超过六十日的除外。

第二十三条 有下列情形之一的，申请人应当先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民法院提起行政诉讼：

（一）对当场作出的行政处罚决定不服；

（二）认为行政机关存在本法第十一条规定的未履行法定职责情形。

第三十条 行政复议机关收到行政复议申请后，应当在五日内进行审查。

第三十一条 行政复议申请材料不齐全或者表述不清楚的，行政复议机关应当自收到申请之日起五日内书面通知申请人补正。
"""),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "deadline", FILES)


@pytest.mark.parametrize("question, after, before", [
    ("执法部门规定多少时间里要到现场？", "要到现场", "执法部门规定"),
    ("复议要在多少天内申请", "申请", "复议要在"),
    ("法院多少天内要给个裁定？", "要给个裁定", "法院"),
    ("他对处罚不服，处理期限是多长？", "多长", "处理"),
    ("这条路上能不能停车？", "", ""),  # no time asked
])
def test_the_act_due_within_the_time_asked(question, after, before):
    assert asked_deadline_event(question) == (after, before)


def test_event_words_fall_back_to_those_before(assistant):
    matcher = assistant.composer.matcher
    assert matcher.deadline_event_words("多少时间里要到现场？") == ("现场",)
    assert matcher.deadline_event_words("处理期限是多长？") == ("处理",)


def test_deadline_for_the_asked_act(assistant):
    from assistant.answering.matching import deadline_for

    words = assistant.retriever.tokenizer.words
    assert deadline_for("应当在二十四小时内到现场进行调查取证", ("现场",), 15, words)
    assert not deadline_for("应当在一个月内将查处违法建筑的情况反馈举报人", ("现场",), 15, words)
    # A word, not part of one: 申请人 is not 申请.
    assert not deadline_for("应当自收到申请之日起五日内书面通知申请人补正", ("申请",), 15, words)
    assert deadline_for("自知道之日起六十日内提出行政复议申请", ("申请",), 15, words)


def test_the_time_limit_for_the_asked_act_answers(assistant):
    answer = assistant.ask("我打电话举报隔壁正在搭违章建筑，执法部门规定多少时间里要到现场？")
    assert not answer.no_basis
    assert f"《{DEMOLITION}》第7条" in answer.conclusion and "第5条" not in answer.conclusion


def test_the_topic_law_s_time_limits_are_candidates(assistant):
    question = "我对区城管开的罚款决定不服，想申请行政复议，从收到决定书算起有多少时间可以申请？"
    found = [(h.chunk.law, h.chunk.article) for h in assistant._deadline_hits(question, (REVIEW,))]
    assert found == [(REVIEW, 20)]
    hits = assistant._search_for_answer(question, 7, None).hits
    assert (REVIEW, 20) in [(h.chunk.law, h.chunk.article) for h in hits]


def test_a_time_limit_for_the_asked_act_leads_over_a_rule_stating_none(assistant):
    # 第二十三条 (复议前置) covers more of the question's words, and states no time.
    answer = assistant.ask("对城管的处罚不服想申请行政复议，从知道处罚起多长时间内要申请？")
    assert not answer.no_basis
    assert f"《{REVIEW}》第20条" in answer.conclusion and "六十日" in answer.conclusion


def test_the_act_is_in_the_figure_s_clause(assistant):
    from assistant.answering.matching import deadline_for

    words = assistant.retriever.tokenizer.words
    # 「超过二十年，其他行政复议申请…」: the 申请 after the comma is another clause's.
    assert not deadline_for("因不动产提出的行政复议申请自行政行为作出之日起超过二十年，其他行政复议申请自行政行为",
                            ("申请",), 15, words)
    # 「三日前，催告」: a figure's 前/内 and a comma lead to its act.
    assert deadline_for("代履行三日前，催告当事人履行", ("催告",), 15, words)



def test_the_key_step_is_the_one_with_the_asked_act_s_time_limit(assistant):
    # 「最晚要在几天里申请复议」: 第二十一条's 「超过五年的…不予受理」 states a time and shares as many words.
    from assistant.answering.answer import CitationRef, Step
    from assistant.answering.compose import key_step
    from assistant.answering.matching import deadline_for

    question = "城管罚了我两千块，我觉得冤枉想去复议，最晚要在几天里申请？"
    limit, rejection = CitationRef(REVIEW, 20, None), CitationRef(REVIEW, 21, None)
    steps = [Step("因不动产提出的行政复议申请自行政行为作出之日起超过二十年，其他行政复议申请自行政行为作出之日起"
                  "超过五年的，行政复议机关不予受理。", rejection, 1),
             Step("可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；", limit, 1)]
    coverage = lambda text: text.count("申请")  # noqa: E731 — the rejection shares more
    event = assistant.composer.matcher.deadline_event_words(question)
    words = assistant.retriever.tokenizer.words
    assert key_step(steps, question, coverage).citation is rejection
    assert key_step(steps, question, coverage,
                    for_asked_act=lambda text: deadline_for(text, event, 15, words)).citation is limit
