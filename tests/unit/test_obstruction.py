"""Whoever obstructs the officers (推搡、拉拉扯扯、推倒在地): of the enforcement regulation, the 款 on
obstruction answers (城管执法条例第三十一条: 公安, under 治安管理处罚法), not whatever 款 the story
touches — 第二十三条 on goods left behind had answered 「拉拉扯扯不让扣，还把队员推倒在地上」
(diagnostic N15-11, N17-08)."""
from __future__ import annotations

import pytest

from tests.unit.conftest import mini_library_assistant

ENFORCEMENT = "上海市城市管理行政执法条例"
POLICE = "中华人民共和国治安管理处罚法"
ENFORCEMENT_FILE = f"""# {ENFORCEMENT}

2018年5月24日上海市第十五届人民代表大会常务委员会第四次会议修正

<!-- INFO END -->

第二十二条 城管执法部门以及乡、镇人民政府应当妥善保管扣押物品，不得使用或者损毁，属非法物品的，移送有关部门处理。

第二十三条 城管执法部门以及乡、镇人民政府在行政执法活动中，对当事人弃留现场的物品，应当按照本条例第二十二条的规定处理。

第三十一条 公安机关与城管执法部门以及乡、镇人民政府应当建立协调配合机制。

公安机关应当依法保障城管执法部门以及乡、镇人民政府的行政执法活动，对阻碍城管执法人员依法执行职务的行为，应当及时制止；对违反《中华人民共和国治安管理处罚法》的行为，依法予以处罚。
"""
POLICE_FILE = f"""# {POLICE}

2012年10月26日第十一届全国人民代表大会常务委员会第二十九次会议修正

<!-- INFO END -->

第五十条 有下列行为之一的，处警告或者二百元以下罚款；情节严重的，处五日以上十日以下拘留，可以并处五百元以下罚款：

（一）拒不执行人民政府在紧急状态情况下依法发布的决定、命令的；

（二）阻碍国家机关工作人员依法执行职务的。

第九十一条 治安管理处罚由县级以上人民政府公安机关决定；其中警告、五百元以下的罚款可以由公安派出所决定。
"""


@pytest.fixture(scope="module")
def obstruction_assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "obstruction", [
        (f"DLC/上海地方法规/地方性法规/上海/{ENFORCEMENT}(2018-05-24).md", ENFORCEMENT_FILE),
        (f"行政法/{POLICE}(2012-10-26).md", POLICE_FILE),
    ])


@pytest.mark.parametrize("question", [
    "我们扣摊主东西的时候，他拉拉扯扯不让扣，还把队员推倒在地上，这种人能怎么处理？",
    "摊主不让城管收东西，还动手推搡队员，这种会被怎么处理？",
])
def test_obstructing_the_officers_is_not_answered_by_the_rule_on_goods_left_behind(obstruction_assistant, question):
    answer = obstruction_assistant.ask(question)
    assert not answer.no_basis
    assert "弃留现场的物品" not in answer.conclusion
    assert "阻碍" in answer.conclusion


def test_pulling_and_pushing_the_officers_asks_about_the_enforcement_itself():
    from assistant.answering.intent import asks_about_enforcement

    assert asks_about_enforcement("摊主跟队员拉拉扯扯，还把人推倒了，怎么处理？")
    assert not asks_about_enforcement("两个人在马路上拉扯，谁管？")  # no officers


def test_a_penalty_naming_nobody_says_who_decides_after_its_own_citation(obstruction_assistant):
    # 治安管理处罚法第五十条 names no department; its 第九十一条 says who decides (diagnostic N17-08).
    from assistant.answering.citation_finder import find_citations

    answer = obstruction_assistant.ask("阻碍国家机关工作人员依法执行职务，罚多少？")
    conclusion = answer.conclusion
    assert "该法规定的处罚由县级以上人民政府公安机关决定（《中华人民共和国治安管理处罚法》第91条）" in conclusion
    found = [(law, article) for _, law, _, article in find_citations(conclusion, obstruction_assistant.retriever.names) if law]
    assert found[0] == (POLICE, 50)
    assert any(h.chunk.article == 91 for h in answer.basis)  # the deciding rule is shown and verified
