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
