"""Tests for assistant.penalty on real LawRefBook articles and on edge inputs."""
from __future__ import annotations

import re

import pytest

from assistant.core.penalty import (
    Fine,
    PenaltyClause,
    departments,
    extract_penalties,
    format_fine,
)
from tests.full.conftest import SHARED_CORPUS

CORPUS = SHARED_CORPUS
_ARTICLE_START = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条[\s\u3000]")

LITTER = "上海市生活垃圾管理条例"
CITY = "上海市市容环境卫生管理条例"
PROPERTY = "上海市住宅物业管理规定(2020-12-30)"
AIR = "上海市大气污染防治条例"
NOISE = "噪声污染防治法(2021-12-24)"
GREEN = "上海市绿化条例"
DEMOLISH = "上海市拆除违法建筑若干规定"
PLANNING = "城乡规划法"
PUBLIC_ORDER = "治安管理处罚法"


def article(law: str, number: str) -> str:
    """Text of article 第<number>条 of the law file whose name starts with ``law``."""
    files = sorted(p for p in CORPUS.rglob("*.md") if p.name.startswith(law))
    if not files:
        pytest.skip(f"corpus file for {law} not found under {CORPUS}")
    lines, inside = [], False
    for line in files[0].read_text(encoding="utf-8").splitlines():
        m = _ARTICLE_START.match(line)
        if m or line.startswith("#"):
            inside = bool(m) and m.group(1) == number
        if inside:
            lines.append(line)
    assert lines, f"{law} 第{number}条 not found"
    return "\n".join(lines)


def only(clauses: list[PenaltyClause]) -> PenaltyClause:
    assert len(clauses) == 1, clauses
    return clauses[0]


# --- 上海市生活垃圾管理条例 ---------------------------------------------------------


def test_litter_57_unit_and_individual():
    unit, person = extract_penalties(article(LITTER, "五十七"))
    assert unit.subject == "单位"
    assert unit.conduct == "未将生活垃圾分别投放至相应收集容器"
    assert unit.department == "城管执法部门"
    assert unit.measures == ("责令立即改正",)
    assert unit.fines == (Fine(5000, 50000, None, "拒不改正", "处五千元以上五万元以下罚款"),)

    assert person.subject == "个人"
    assert person.conduct == (
        "将有害垃圾与可回收物、湿垃圾、干垃圾混合投放，或者将湿垃圾与可回收物、干垃圾混合投放"
    )
    assert person.department == "城管执法部门"
    assert person.measures == ("责令立即改正",)
    assert person.fines == (Fine(50, 200, None, "拒不改正", "处五十元以上二百元以下罚款"),)
    assert format_fine(person.fines[0]) == "50–200 元（拒不改正的）"
    assert person.sentence.startswith("个人违反本条例第二十四条第一款规定")


def test_litter_56_three_paragraphs_two_departments():
    text = article(LITTER, "五十六")
    clauses = extract_penalties(text)
    assert [c.subject for c in clauses] == [
        "农贸市场、标准化菜场",
        "餐饮服务提供者或者餐饮配送服务提供者",
        "旅馆经营单位",
    ]
    assert [c.department for c in clauses] == ["市场监管部门", "市场监管部门", "文化旅游部门"]
    assert [(f.min_yuan, f.max_yuan, f.condition) for c in clauses for f in c.fines] == [
        (5000, 50000, "逾期不改正"),
        (500, 5000, "逾期不改正"),
        (500, 5000, "逾期不改正"),
    ]
    assert departments(text) == ["市场监管部门", "文化旅游部门"]


def test_litter_59_unconditional_fine_with_order():
    c = only(extract_penalties(article(LITTER, "五十九")))
    assert c.subject is None
    assert c.conduct.startswith("擅自从事有害垃圾、湿垃圾、干垃圾经营性收集、运输")
    assert c.measures == ("责令停止违法行为",)
    assert c.fines == (Fine(30000, 100000, None, None, "并处三万元以上十万元以下罚款"),)
    assert format_fine(c.fines[0]) == "30000–100000 元"


def test_litter_60_list_items_inherit_department_and_subject():
    clauses = extract_penalties(article(LITTER, "六十"))
    assert len(clauses) == 3
    assert {c.department for c in clauses} == {"城管执法部门"}
    assert {c.subject for c in clauses} == {"收集、运输单位"}
    assert clauses[0].measures == ("责令限期改正", "吊销其生活垃圾经营服务许可证（情节严重的）")
    assert clauses[2].conduct == "未按照要求将生活垃圾运输至符合条件的转运场所"
    assert clauses[2].measures == ("责令限期改正",)
    assert clauses[2].fines == (Fine(10000, 100000, None, "逾期不改正", "处一万元以上十万元以下罚款"),)


def test_litter_62_disciplinary_sanction_is_not_a_penalty():
    assert extract_penalties(article(LITTER, "六十二")) == []


# --- 上海市市容环境卫生管理条例 -------------------------------------------------------


def test_city_26_per_target_fines_and_back_reference():
    c = only(extract_penalties(article(CITY, "二十六")))
    assert c.conduct == "在道路及其他公共场所的树木和护栏、路牌、电线杆等设施上吊挂、晾晒物品"
    assert c.department == "城管执法部门"
    assert c.measures == ("责令改正",)
    assert c.fines == (
        Fine(20, 20, None, "拒不改正的，对个人", "对个人可处二十元罚款"),
        Fine(20, 200, None, "拒不改正的，对单位", "对单位处二十元以上二百元以下罚款"),
    )
    assert format_fine(c.fines[0]) == "20 元（拒不改正的，对个人）"
    assert c.sentence.startswith("禁止在道路")


def test_city_20_outdoor_ads_two_targets():
    first = extract_penalties(article(CITY, "二十"))[0]
    assert first.department == "城管执法部门或者其他有关管理部门"
    assert first.measures == ("责令限期改造或者拆除", "强制拆除（逾期不改造或者拆除的）")
    assert [(f.min_yuan, f.max_yuan, f.condition) for f in first.fines] == [
        (5000, 50000, "逾期不改造或者拆除的，对户外广告设施设置者"),
        (500, 5000, "逾期不改造或者拆除的，对其他户外设施设置者"),
    ]


def test_city_33_construction_site_conditional_fines():
    c = only(extract_penalties(article(CITY, "三十三")))
    assert c.measures == ("责令改正", "代为清除（对未及时清除建筑垃圾、工程渣土及其他废弃物的）",
                          "代为拆除（对未及时拆除施工临时设施的）")
    assert [(f.min_yuan, f.max_yuan) for f in c.fines] == [
        (300, 3000), (3000, 30000), (5000, 50000), (3000, 30000),
    ]
    assert c.fines[0].condition == (
        "未按规定设置临时厕所和生活垃圾收集容器，或者向建设工地外排放污水、散落粉尘"
    )
    assert c.fines[3].condition == "未及时拆除施工临时设施"


def test_city_36_per_animal_fine_and_warning():
    poultry, pigeons, pets = extract_penalties(article(CITY, "三十六"))
    assert poultry.conduct == "饲养鸡、鸭、鹅、兔等家禽家畜和食用鸽"
    assert poultry.measures == ("责令限期处理或者予以没收",)
    assert poultry.fines == (Fine(None, None, "每只五十元", "拒不改正", "可按每只五十元处以罚款"),)
    assert format_fine(poultry.fines[0]) == "每只五十元（拒不改正的）"
    assert pigeons.department == "城管执法部门"  # not 「市容环境卫生责任区的责任人」
    assert pigeons.measures == ("警告（拒不改正的）", "责令拆除鸽舍（污染环境严重、周围居民意见大的）")
    assert pigeons.fines == (Fine(50, 500, None, "拒不改正", "并处五十元以上五百元以下罚款"),)
    assert pets.fines == (Fine(20, 200, None, "拒不改正", "处二十元以上二百元以下罚款"),)


def test_city_43_per_ton_fine_and_impound():
    c = only(extract_penalties(article(CITY, "四十三")))
    assert c.conduct == "未将装修垃圾运至指定场所"
    assert c.measures == ("责令改正", "暂扣违法当事人的运输工具")
    assert c.fines == (Fine(None, None, "每吨二百元", None, "可按每吨二百元处以罚款"),)


# --- 上海市住宅物业管理规定 --------------------------------------------------------------


def test_property_83_load_bearing_structure():
    c = only(extract_penalties(article(PROPERTY, "八十三")))
    assert c.conduct == "损坏房屋承重结构"
    assert c.department == "区房屋行政管理部门"
    assert c.measures == ("责令立即改正", "恢复原状")
    assert c.fines == (
        Fine(10000, 100000, None, None, "可处一万元以上十万元以下的罚款"),
        Fine(100000, 200000, None, "情节严重", "可处十万元以上二十万元以下的罚款"),
    )
    assert format_fine(c.fines[1]) == "100000–200000 元（情节严重的）"


def test_property_86_87_change_of_use_and_manager_duty():
    # 群租 is handled as 擅自改变物业使用性质 (art. 86) and the manager's duty to report (art. 87).
    change = only(extract_penalties(article(PROPERTY, "八十六")))
    assert (change.subject, change.conduct) == ("业主、使用人", "擅自改变物业使用性质")
    assert change.measures == ("责令限期改正", "恢复原状")
    assert change.fines == (Fine(10000, 50000, None, None, "可处一万元以上五万元以下的罚款"),)
    manager = only(extract_penalties(article(PROPERTY, "八十七")))
    assert manager.subject == "物业服务企业"
    assert manager.conduct.startswith("对业主、使用人的违法行为未予以劝阻、制止")
    assert (manager.fines[0].min_yuan, manager.fines[0].max_yuan) == (1000, 10000)


def test_property_82_multiple_of_embezzled_amount():
    c = only(extract_penalties(article(PROPERTY, "八十二")))
    assert c.conduct == "挪用、侵占公共收益"
    assert c.measures == ("追回挪用、侵占的公共收益", "没收违法所得")
    assert c.fines == (Fine(None, None, "挪用、侵占金额二倍以下", None, "并处挪用、侵占金额二倍以下的罚款"),)


# --- 上海市大气污染防治条例 ---------------------------------------------------------------


def test_air_99_restaurant_fumes():
    odour, fumes = extract_penalties(article(AIR, "九十九"))
    assert [f.condition for f in odour.fines] == ["对单位", "对个人"]
    assert fumes.subject == "饮食服务业的经营者"
    assert fumes.conduct.startswith("未按照规定安装油烟净化和异味处理设施或在线监控设施")
    assert fumes.department == "市或者区生态环境部门"
    assert fumes.measures == ("责令改正", "责令停业整治（拒不改正的）")
    assert fumes.fines == (Fine(5000, 50000, None, None, "处五千元以上五万元以下罚款"),)


def test_air_88_fixed_and_per_machine_fines():
    fixed, per_machine = extract_penalties(article(AIR, "八十八"))
    assert fixed.fines == (Fine(5000, 5000, None, None, "处五千元罚款"),)
    assert format_fine(fixed.fines[0]) == "5000 元"
    assert per_machine.fines == (Fine(None, None, "每台一千元", None, "处每台一千元罚款"),)


def test_air_81_departments_in_order():
    assert departments(article(AIR, "八十一")) == [
        "市或者区生态环境部门",
        "建设、交通、房屋等有关行政管理部门或城管执法部门",
        "公安机关",
    ]


# --- 中华人民共和国噪声污染防治法 ------------------------------------------------------------


def test_noise_77_night_construction_list():
    c = only(extract_penalties(article(NOISE, "七十七")))
    assert c.subject == "建设单位、施工单位"
    assert c.department == "工程所在地人民政府指定的部门"
    assert c.conduct == (
        "超过噪声排放标准排放建筑施工噪声；"
        "未按照规定取得证明，在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业"
    )
    assert c.measures == ("责令改正", "责令暂停施工（拒不改正的）")
    assert c.fines == (Fine(10000, 100000, None, None, "处一万元以上十万元以下的罚款"),)
    assert "（二）未按照规定取得证明" in c.sentence


def test_noise_82_individual_and_unit_after_refusal():
    c = only(extract_penalties(article(NOISE, "八十二")))
    assert c.measures == ("说服教育", "责令改正", "警告（拒不改正的）")
    assert c.fines == (
        Fine(200, 1000, None, "拒不改正的，对个人", "对个人可以处二百元以上一千元以下的罚款"),
        Fine(2000, 20000, None, "拒不改正的，对单位", "对单位可以处二千元以上二万元以下的罚款"),
    )


# --- 上海市绿化条例 ------------------------------------------------------------------------


def test_green_44_per_square_metre():
    # The 3rd paragraph only refers back (「按照前款规定处理」) and names no penalty itself.
    temp, occupy, vertical = extract_penalties(article(GREEN, "四十四"))
    assert temp.fines == (
        Fine(None, None, "临时使用绿地每日每平方米十元以上三十元以下", None,
             "按临时使用绿地每日每平方米十元以上三十元以下处以罚款"),
    )
    assert occupy.conduct == "未经许可占用绿地"
    assert occupy.department == "市或者区绿化管理部门"
    assert occupy.fines[0].basis == "占用绿地面积每平方米五百元以上二千元以下"
    assert vertical.measures == ("责令限期改正",)


def test_green_41_43_multiples():
    build, removal = extract_penalties(article(GREEN, "四十一"))
    assert build.subject == "建设单位"
    assert build.fines[0].basis == "未完成建设的绿地建设预算费用的一至三倍"
    assert build.fines[0].condition == "逾期不改正"
    assert removal.measures == ("责令限期改正", "组织拆除（逾期不改正的）") and removal.fines == ()
    move, fell, _replant = extract_penalties(article(GREEN, "四十三"))
    assert move.fines[0].basis == "绿化补偿标准三至五倍"
    assert (fell.conduct, fell.measures, fell.fines[0].basis) == ("擅自砍伐树木", (), "绿化补偿标准五至十倍")


# --- 上海市拆除违法建筑若干规定 -----------------------------------------------------------


def test_demolition_11_fine_without_amount():
    c = only(extract_penalties(article(DEMOLISH, "十一")))
    assert c.department == "拆违实施部门"
    assert c.measures == (
        "责令当事人暂停施工", "责令当事人停止建设、自行拆除", "暂扣施工工具和材料等措施",
        "强制拆除（当事人拒不停止建设或者拒不拆除的）",
    )
    assert c.fines == (Fine(None, None, None, "当事人拒不停止建设或者拒不拆除", "并可以依法予以罚款"),)
    assert format_fine(c.fines[0]) == "罚款（未定数额）（当事人拒不停止建设或者拒不拆除的）"


def test_demolition_21_referral_only_is_empty():
    assert extract_penalties(article(DEMOLISH, "二十一")) == []


# --- 中华人民共和国城乡规划法 ------------------------------------------------------------


def test_planning_64_percentage_of_construction_cost():
    c = only(extract_penalties(article(PLANNING, "六十四")))
    assert c.department == "县级以上地方人民政府城乡规划主管部门"
    assert c.conduct == "未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设"
    assert c.measures == ("责令停止建设", "限期改正（尚可采取改正措施消除对规划实施的影响的）",
                          "限期拆除（无法采取改正措施消除影响的）", "没收实物或者违法收入（不能拆除的）")
    assert c.fines == (
        Fine(None, None, "建设工程造价百分之五以上百分之十以下", "尚可采取改正措施消除对规划实施的影响",
             "处建设工程造价百分之五以上百分之十以下的罚款"),
        Fine(None, None, "建设工程造价百分之十以下", "无法采取改正措施消除影响，不能拆除",
             "可以并处建设工程造价百分之十以下的罚款"),
    )


# --- 中华人民共和国治安管理处罚法 ----------------------------------------------------------


def test_public_order_43_detention_and_fines():
    assault, aggravated = extract_penalties(article(PUBLIC_ORDER, "四十三"))
    assert assault.conduct == "殴打他人，或者故意伤害他人身体"
    assert assault.department is None
    assert assault.measures == ("处五日以上十日以下拘留", "处五日以下拘留（情节较轻的）")
    assert assault.fines == (
        Fine(200, 500, None, None, "并处二百元以上五百元以下罚款"),
        Fine(None, 500, None, "情节较轻", "处五日以下拘留或者五百元以下罚款"),
    )
    assert format_fine(assault.fines[1]) == "500 元以下（情节较轻的）"
    assert aggravated.conduct.split("；")[0] == "结伙殴打、伤害他人"
    assert aggravated.measures == ("处十日以上十五日以下拘留",)
    assert aggravated.fines == (Fine(500, 1000, None, None, "并处五百元以上一千元以下罚款"),)


def test_public_order_23_warning_or_fine():
    disorder, crowd = extract_penalties(article(PUBLIC_ORDER, "二十三"))
    assert disorder.measures == ("警告", "处五日以上十日以下拘留（情节较重的）")
    assert [(f.min_yuan, f.max_yuan, f.condition) for f in disorder.fines] == [
        (None, 200, None), (None, 500, "情节较重"),
    ]
    assert crowd.conduct == "聚众实施前款行为"
    assert crowd.fines == (Fine(None, 1000, None, None, "可以并处一千元以下罚款"),)


# --- edge inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "第一条 为了加强本市生活垃圾管理，制定本条例。"])
def test_no_penalty_yields_nothing(text):
    assert extract_penalties(text) == []
    assert departments(text) == []


def test_ascii_digits():
    c = only(extract_penalties("违反本规定的，由城管执法部门责令改正，处1000元以上5000元以下罚款。"))
    assert c.fines == (Fine(1000, 5000, None, None, "处1000元以上5000元以下罚款"),)
    fines = only(extract_penalties("处1,000元罚款；情节严重的，处5万元以上10万元以下罚款")).fines
    assert [(f.min_yuan, f.max_yuan, f.condition) for f in fines] == [
        (1000, 1000, None), (50000, 100000, "情节严重"),
    ]


def test_fixed_upper_bound_and_no_amount():
    assert only(extract_penalties("违反规定的，处二百元罚款。")).fines == (
        Fine(200, 200, None, None, "处二百元罚款"),
    )
    assert only(extract_penalties("违反规定的，由公安机关处二千元以下罚款。")).fines == (
        Fine(None, 2000, None, None, "处二千元以下罚款"),
    )
    c = only(extract_penalties("违反本条规定，擅自占用绿地的，由区绿化市容部门责令限期改正，并处以罚款。"))
    assert (c.conduct, c.department) == ("擅自占用绿地", "区绿化市容部门")
    assert c.fines == (Fine(None, None, None, None, "并处以罚款"),)
    assert format_fine(c.fines[0]) == "罚款（未定数额）"


def test_malformed_numeral_is_kept_as_basis():
    fine = only(extract_penalties("违反规定的，处万元罚款。")).fines[0]
    assert (fine.min_yuan, fine.max_yuan, fine.basis) == (None, None, "万元")


def test_wan_yuan_with_severity_condition():
    text = "违反规定的，由城管执法部门处五千元以上五万元以下罚款；情节严重的，处五万元以上五十万元以下罚款。"
    fines = only(extract_penalties(text)).fines
    assert [(f.min_yuan, f.max_yuan, f.condition) for f in fines] == [
        (5000, 50000, None), (50000, 500000, "情节严重"),
    ]


def test_illegal_gains_basis_and_confiscation():
    c = only(extract_penalties("由城管执法部门责令停止违法行为，没收违法所得，可以并处违法所得一倍以上三倍以下罚款。"))
    assert c.measures == ("责令停止违法行为", "没收违法所得")
    assert c.fines == (Fine(None, None, "违法所得一倍以上三倍以下", None, "可以并处违法所得一倍以上三倍以下罚款"),)
    assert format_fine(c.fines[0]) == "违法所得一倍以上三倍以下"


def test_format_fine_open_ranges():
    assert format_fine(Fine(5000, None, None, None, "处五千元以上罚款")) == "5000 元以上"
    assert format_fine(Fine(None, 2000, None, "逾期不改正", "")) == "2000 元以下（逾期不改正的）"
    assert format_fine(Fine(500, 2000, None, "对个人", "")) == "500–2000 元（对个人）"
