"""The regulation whose title names what the question is about (「放鞭炮」 → 烟花爆竹 → 上海市烟花爆竹
安全管理条例) is the special rule for it: its 款 lead over another law's 款 that mentions the subject in
passing (大气污染防治条例 「逐步扩大烟花爆竹的禁止燃放区域」). Diagnostic N18-16 had been answered from
食品安全条例 for 烟花 sold outside the licensed point, N1-04 from 市容条例 for 偷接自来水."""
from __future__ import annotations

import pytest

from tests.unit.conftest import mini_library_assistant

FIREWORKS = "上海市烟花爆竹安全管理条例"
AIR = "上海市大气污染防治条例"
PROPERTY = "上海市住宅物业管理规定"
REVIEW = "中华人民共和国行政复议法"


def _law(title: str, date: str, articles: str) -> str:
    return f"# {title}\n\n{date}上海市人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n{articles}"


FILES = [
    (f"DLC/上海地方法规/地方性法规/上海/{FIREWORKS}(2015-12-30).md", _law(FIREWORKS, "2015年12月30日", """
第二十条 禁止在外环线以内区域燃放烟花爆竹。

第二十八条 违反本条例第二十条规定的，由公安部门责令改正，处一百元以上五百元以下罚款。
""")),
    (f"DLC/上海地方法规/地方性法规/上海/{AIR}(2018-12-20).md", _law(AIR, "2018年12月20日", """
第六十四条 本市根据实际需要逐步扩大烟花爆竹的禁止燃放区域，严格限制燃放时间。

第八十一条 在市区燃放烟花爆竹的，由公安机关处五十元以上二百元以下罚款。
""")),
    (f"DLC/上海地方法规/地方性法规/上海/{PROPERTY}(2020-12-30).md", _law(PROPERTY, "2020年12月30日", """
第五十一条 利用物业共用部位、共用设施设备进行经营的，应当征得业主大会同意。
""")),
    ("诉讼与非诉讼程序法/行政复议法(2023-09-01).md", f"# {REVIEW}\n\n<!-- INFO END -->\n\n"
     "第四十二条 行政复议期间行政行为不停止执行。\n"),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    return mini_library_assistant(tmp_path_factory, "title", FILES)


def test_title_subject_is_what_the_title_regulates(assistant):
    matcher = assistant.composer.matcher
    assert matcher.title_subject(FIREWORKS) == {"烟花", "爆竹", "烟花爆竹"}
    assert "大气" in matcher.title_subject(AIR) and "管理" not in matcher.title_subject(AIR)
    # 「物业」 is the company a question is about, not its subject.
    assert matcher.title_subject(PROPERTY) == {"住宅"}
    assert matcher.title_subject("不在库里的法规") == frozenset()


def _hits(assistant, *articles):
    from assistant.core.models import Hit

    return [Hit(assistant.retriever.show(law, number)[0], 1.0) for law, number in articles]


def test_the_dedicated_regulation_leads(assistant):
    from assistant.answering.intent import classify

    question = "市区里过年燃放烟花爆竹会被怎么处罚？"
    # The air-pollution 款 comes first from retrieval and covers the question as much.
    hits = _hits(assistant, (AIR, 81), (FIREWORKS, 28))
    matcher = assistant.composer.matcher
    matches = matcher.matches(question, hits, classify(question))
    by_law = {m.chunk.law: m for m in matches}
    assert by_law[FIREWORKS].features["title"] == 1.0 and not by_law[AIR].features.get("title")
    assert by_law[FIREWORKS].coverage == pytest.approx(by_law[AIR].coverage, abs=0.01)
    assert matches[0].chunk.law == FIREWORKS
    # Without the title's weight the first hit would have led.
    weights, matcher.weights = matcher.weights, {**matcher.weights, "title": 0.0}
    try:
        assert matcher.matches(question, hits, classify(question))[0].chunk.law == AIR
    finally:
        matcher.weights = weights


def test_procedure_codes_get_no_title_bonus(assistant):
    from assistant.answering.intent import classify

    question = "已经申请行政复议了，罚款是不是可以先不交"
    # The title names 复议, which the question asks about: only being a procedure code keeps it out.
    assert "复议" in assistant.composer.matcher.title_subject(REVIEW)
    hits = [h for h in assistant.retriever.search(question, k=10).hits if h.chunk.article is not None]
    matches = assistant.composer.matcher.matches(question, hits, classify(question),
                                                 procedure_laws=frozenset({REVIEW}))
    assert all(not m.features.get("title") for m in matches if m.chunk.law == REVIEW)
