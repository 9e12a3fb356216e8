"""A penalty whose department is 「本条例第十六条规定的有关部门」: a who-enforces answer names the
department of the item about the place asked and cites that item first; it is the rule that says
who (diagnostic N2-13, N4-19, N13-18 had cited only the penalty article)."""
from __future__ import annotations

import pytest

from tests.unit.conftest import mini_library_assistant

SMOKING = "上海市公共场所控制吸烟条例"
SMOKING_FILE = f"""# {SMOKING}

2022年10月28日上海市第十五届人民代表大会常务委员会第四十五次会议修正

<!-- INFO END -->

第九条 禁止吸烟场所所在单位应当履行下列义务：

（一）建立禁止吸烟管理制度；

（二）对在禁止吸烟场所内吸烟者予以劝阻。

第十六条 控烟工作的监督执法按照以下规定实施：

（一）公安部门负责对网吧等互联网上网服务营业场所的控烟工作进行监督执法；

（二）住房城乡建设部门负责对物业管理区域内的公共电梯的控烟工作进行监督执法。

第十八条 禁止吸烟场所所在单位违反本条例第九条规定的，由本条例第十六条规定的有关部门责令限期改正，可处以两千元以上一万元以下的罚款。

第十九条 个人在禁止吸烟场所吸烟且不听劝阻的，由本条例第十六条规定的有关部门责令改正，并处以五十元以上两百元以下的罚款。
"""


@pytest.fixture(scope="module")
def smoking_assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "smoking", [
        (f"DLC/上海地方法规/地方性法规/上海/{SMOKING}(2022-10-28).md", SMOKING_FILE),
    ])


@pytest.mark.parametrize("question, department, item", [
    ("小区电梯里老有人抽烟，这种该找哪个部门管？", "住房城乡建设部门", "（二）"),
    ("网吧里有人抽烟，归哪个部门来查？", "公安部门", "（一）"),
])
def test_who_enforces_cites_the_item_naming_the_department(smoking_assistant, question, department, item):
    answer = smoking_assistant.ask(question)
    conclusion = answer.conclusion
    assert not answer.no_basis and f"由{department}负责" in conclusion
    first = conclusion.index(f"《{SMOKING}》第")
    assert conclusion[first:].startswith(f"《{SMOKING}》第16条第{item}项")
    assert any(h.chunk.article == 16 for h in answer.basis)  # the cited article is verified and shown


def test_a_penalty_question_keeps_the_penalty_article_first(smoking_assistant):
    answer = smoking_assistant.ask("在网吧里抽烟不听劝阻罚多少？")
    assert "罚款50–200 元" in answer.conclusion and "由公安部门" in answer.conclusion
    assert f"《{SMOKING}》第19条" in answer.conclusion and "第16条" not in answer.conclusion


def test_a_penalty_at_a_place_no_item_names_cites_the_penalty_article_before_the_list(smoking_assistant):
    # No item of 第十六条 is about a 商场: every department is named, after the penalty's own citation,
    # so that the 结论's first citation is the rule punishing (diagnostic N13-04).
    from assistant.answering.citation_finder import find_citations

    answer = smoking_assistant.ask("在商场里面抽烟，保安劝了还继续抽，个人要罚多少？")
    conclusion = answer.conclusion
    assert "罚款50–200 元" in conclusion and "由有关部门责令改正" in conclusion
    assert conclusion.endswith("有关部门按本条例第十六条的分工确定：公安部门、住房城乡建设部门。")
    found = [(law, article) for _, law, _, article in find_citations(conclusion, smoking_assistant.retriever.names) if law]
    assert found[0] == (SMOKING, 19)
