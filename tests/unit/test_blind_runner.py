"""evals/blind.py's counting, without a model: what kind of miss a scored item was."""
from evals.blind import MISS_KINDS, miss_kind

ITEM = {"group": "penalty", "gold": [{"law": "上海市市容环境卫生管理条例", "article": 25}]}
NO_BASIS_ITEM = {"group": "no-basis", "gold": []}


def scored(right, cited=None, no_basis=False):
    return {"right": right, "cited": cited, "no_basis": no_basis}


def test_each_miss_is_one_kind_and_a_right_answer_none():
    assert miss_kind(ITEM, scored(True, ["上海市市容环境卫生管理条例", 25])) is None
    assert miss_kind(ITEM, scored(False, None, no_basis=True)) == "no basis"
    assert miss_kind(ITEM, scored(False, ["上海市市容环境卫生管理条例", 26])) == "same law"
    assert miss_kind(ITEM, scored(False, ["上海市城市道路管理条例", 42])) == "other law"
    assert miss_kind(NO_BASIS_ITEM, scored(False, ["上海市城市道路管理条例", 42])) == "answered"
    assert miss_kind(NO_BASIS_ITEM, scored(True, None, no_basis=True)) is None
    assert set(MISS_KINDS) == {"no basis", "same law", "other law", "answered"}


def test_the_conclusion_rests_on_the_article_it_cites_by_name_not_on_a_bare_number_in_its_conduct():
    from types import SimpleNamespace

    from assistant.retrieval.lawnames import LawNames
    from evals.officer import first_citation

    law = "上海市大气污染防治条例"
    names = LawNames([law])
    conclusion = ("企事业单位和其他生产经营者违反本条例，除第二十九条、第三十三条规定的情形外，受到罚款处罚，"
                  f"被责令改正，拒不改正的，按照原处罚数额按日连续处罚（《{law}》第102条）。")
    answer = SimpleNamespace(mode="offline", conclusion=conclusion, body=None)
    assert first_citation(answer, names) == (law, 102)
    # With no reference naming its law, a bare one is still read (as the finder resolves it).
    bare = SimpleNamespace(mode="offline", conclusion=f"依据{law}，第八十五条规定罚款。", body=None)
    assert first_citation(bare, names) == (law, 85)
    assert first_citation(SimpleNamespace(mode="offline", conclusion="没有依据。", body=None), names) is None


def test_a_department_is_named_without_the_remark_the_helper_put_after_it_in_brackets():
    from evals.blind import blind_department_right

    item = {"department": "市场监督管理部门（餐饮业经营场所）", "chengguan": False}
    assert blind_department_right(item, "不属城管职责，由市场监督管理部门责令改正。")
    assert not blind_department_right(item, "由区绿化市容行政管理部门处理。")
    # A bracket inside the name is part of it: 「乡水利机构」 is not 「乡（镇）水利机构」.
    inside = {"department": "乡（镇）水利机构", "chengguan": False}
    assert not blind_department_right(inside, "由乡水利机构处理。")
    assert blind_department_right(inside, "由乡（镇）水利机构处理。")
    # Without its remark the department still must not be handed to 城管 when another is named.
    assert not blind_department_right(item, "市场监督管理部门……该项处罚权由城管执法部门行使。")
