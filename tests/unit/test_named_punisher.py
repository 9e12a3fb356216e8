"""A 款 that names who punishes (or investigates) and no measure or fine of its own (市容条例第五十九条 「殴打市容环境
卫生工作人员…违反《治安管理处罚法》的，由公安部门予以处罚」) answers who enforces: that department,
not 城管 because 城管 enforces the regulation's other articles (diagnostic N21-20 had been told
「城管能管」 with 第十三条's duties of the 责任人)."""
from __future__ import annotations

import pytest

from assistant.answering.matching import named_punisher
from tests.unit.conftest import mini_library_assistant

LAW = "上海市市容环境卫生管理条例"
LAW_FILE = f"""# {LAW}

2018年12月20日上海市第十五届人民代表大会常务委员会第八次会议修正

<!-- INFO END -->

第十三条 市容环境卫生责任人应当履行下列义务：

（一）保持责任区域内的环境卫生整洁；

（二）劝阻在责任区域内的损害市容环境卫生的行为。

市容环境卫生责任人未履行义务的，由城管执法部门责令改正；拒不改正的，予以警告，并可处五十元以上五百元以下罚款。

第五十九条 侮辱、殴打市容环境卫生工作人员或者拒绝、阻挠其执行职务，违反《中华人民共和国治安管理处罚法》的，由公安部门予以处罚；构成犯罪的，依法追究刑事责任。
"""


@pytest.fixture(scope="module")
def city_assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "punisher", [
        (f"DLC/上海地方法规/地方性法规/上海/{LAW}(2018-12-20).md", LAW_FILE),
    ])


def test_the_department_named_as_punishing_answers_who_enforces(city_assistant):
    answer = city_assistant.ask("店老板冲上去把扫地的市容环境卫生工作人员殴打了，城管能处理吗？应该报给谁？")
    assert not answer.no_basis
    assert answer.conclusion.startswith("城管不能管。不属城管职责，由公安部门负责")
    assert f"《{LAW}》第59条" in answer.conclusion and "第13条" not in answer.conclusion


@pytest.mark.parametrize("text, who", [
    ("侮辱、殴打市容环境卫生工作人员…的，由公安部门予以处罚；构成犯罪的，依法追究刑事责任。", "公安部门"),
    ("…的，由公安机关依照《中华人民共和国治安管理处罚法》的规定给予处罚。", "公安机关"),
    # Who investigates, by its short name (无证无照经营查处办法第六条, diagnostic N20-19).
    ("经营者未依法取得营业执照从事经营活动的，由履行工商行政管理职责的部门(以下称工商行政管理部门)予以查处。",
     "工商行政管理部门"),
    ("…的，由城管执法部门责令改正，处五十元以上五百元以下罚款。", None),  # a penalty of its own
    ("市绿化部门负责本市绿化的管理。", None),  # responsible, not punishing
])
def test_named_punisher(text, who):
    assert named_punisher(text) == who


def test_whose_case_it_is_asks_who_enforces():
    from assistant.answering.intent import Intent, classify

    assert classify("居民楼里开了家美甲店，没有营业执照，这种无照经营归我们查还是归市场监管查？")[0] == Intent.WHO_ENFORCES
