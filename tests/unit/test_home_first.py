"""A national 款 leads and the Shanghai regulation on the national law's own subject punishes the
same conduct in its own words (烟蒂 for 烟头): the Shanghai rule is the 结论 (it names 城管 and the
amounts an officer applies), even covering much less of the question's wording
(Settings.match_home_same_subject_ratio)."""
from __future__ import annotations

import pytest

from tests.unit.conftest import mini_library_assistant

LOCAL = "上海市市容环境卫生管理条例"
NATIONAL = "城市市容和环境卫生管理条例"
LOCAL_FILE = f"""# {LOCAL}

2018年12月20日上海市第十五届人民代表大会常务委员会第八次会议修正

<!-- INFO END -->

第二十八条 禁止下列影响环境卫生的行为：

（一）随地吐痰、便溺；

（二）乱扔果皮、纸屑、烟蒂、饮料罐、口香糖等废弃物。

违反前款规定的，由城管执法部门责令改正，并处罚款，其中，违反前款第（一）项规定的，处二百元以下罚款；违反前款第（二）项规定的，处一百元以下罚款。
"""
NATIONAL_FILE = f"""# {NATIONAL}

2017年3月1日国务院令第676号修订

<!-- INFO END -->

第三十四条 有下列行为之一者，城市人民政府市容环境卫生行政主管部门或者其委托的单位除责令其纠正违法行为、采取补救措施外，可以并处警告、罚款：

（一）随地吐痰、便溺，乱丢果皮、纸屑和烟头等废弃物的。
"""


@pytest.fixture(scope="module")
def home_assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "home", [
        (f"DLC/上海地方法规/地方性法规/上海/{LOCAL}(2018-12-20).md", LOCAL_FILE),
        (f"行政法规/{NATIONAL}(2017-03-01).md", NATIONAL_FILE),
    ])


def _match(law: str, jurisdiction: str, coverage: float, text: str):
    from assistant.answering.clauses import Clause
    from assistant.answering.matching import Match
    from assistant.core.models import Chunk, Hit
    from assistant.core.penalty import extract_penalties

    chunk = Chunk(law=law, article=28, part=0, version="2018-12-20", jurisdiction=jurisdiction, level="地方性法规",
                  chapter=None, status="current", text=text, source=f"{law}.md")
    return Match(Hit(chunk, 1.0), Clause(1, text), text, text, coverage, coverage,
                 penalties=extract_penalties(text))


@pytest.mark.parametrize("other_law, leads", [
    (LOCAL, True),  # the Shanghai regulation on the same subject: 0.6 of the coverage is enough
    ("上海市生活垃圾管理条例", False),  # another subject: 0.85 of it is needed
])
def test_the_shanghai_rule_on_the_same_subject_leads(home_assistant, other_law, leads):
    from assistant.answering.intent import Intent

    matcher = home_assistant.composer.matcher
    national = _match(NATIONAL, "全国", 1.0, "乱丢果皮、纸屑和烟头等废弃物的，由城市人民政府市容环境卫生行政主管部门处以罚款。")
    local = _match(other_law, "上海", 0.6, "乱扔烟蒂等废弃物的，由城管执法部门责令改正，处一百元以下罚款。")
    ranked = matcher._home_first([national, local], Intent.PENALTY, "随地乱丢烟头罚多少？")
    assert (ranked[0] is local) is leads


def test_same_subject_titles():
    from assistant.answering.upper_law import same_subject

    assert same_subject(LOCAL, NATIONAL)
    assert not same_subject("上海市查处车辆非法客运若干规定", "中华人民共和国道路交通安全法")
