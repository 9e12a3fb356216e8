"""Masking of personal data (assistant/core/privacy.py): the formats that must be masked, the
numbers that must stay, the rest of the text unchanged, nested values, and cost linear in the
length of hostile input."""
from __future__ import annotations

import random
import re
import time
from collections import namedtuple

import pytest

from assistant.core.privacy import fold, mask_personal_data, mask_value

# (input, masked form that must appear). Every input is personal data in one written form.
POSITIVES = [
    # mobiles
    ("13812345678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("138 - 1234 - 5678", "138****5678"),
    ("138—1234—5678", "138****5678"),
    ("+86 138 1234 5678", "+86 138****5678"),
    ("+86-138-1234-5678", "+86-138****5678"),
    ("+8613812345678", "+86138****5678"),
    ("8613812345678", "86138****5678"),
    ("008613812345678", "0086138****5678"),
    ("0086 138 1234 5678", "0086 138****5678"),
    ("013812345678", "0138****5678"),
    ("１３８１２３４５６７８", "138****5678"),
    ("１３８－１２３４－５６７８", "138****5678"),
    ("＋８６　１３８　１２３４　５６７８", "138****5678"),
    ("“13812345678”饭店", "“138****5678”饭店"),
    ("我是13812345678的机主", "我是138****5678的机主"),
    ("tel:13812345678", "tel:138****5678"),
    ("手机19912345678。", "手机199****5678。"),
    # landlines
    ("(021)12345678", "(021)****5678"),
    ("（021）1234-5678", "（021）****5678"),
    ("021-12345678", "021-****5678"),
    ("021 6488 1234", "021 ****1234"),
    ("02164881234", "021****1234"),
    ("010-62751234", "010-****1234"),
    ("0512-68881234", "0512-****1234"),
    ("+86 21 6488 1234", "+86 21 ****1234"),
    ("0086-21-64881234", "0086-21-****1234"),
    ("座机64881234", "座机****1234"),
    ("电话：6488-1234", "电话：****1234"),
    ("联系方式 64881234", "联系方式 ****1234"),
    ("请联系6488 1234", "请联系****1234"),
    ("Tel: 6488 1234", "Tel: ****1234"),
    ("医保所电话8881528", "医保所电话***1528"),  # forms seen in the TipDM messages
    ("座机（0735-6621655）", "座机（0735-***1655）"),
    ("联系电话：189 7318 7780", "联系电话：189****7780"),
    # ID numbers
    ("310101199001011234", "310***********1234"),
    ("310101 19900101 1234", "310***********1234"),
    ("310101-19900101-1234", "310***********1234"),
    ("310101 1990 0101 1234", "310***********1234"),
    ("31010119900101123X", "310***********123X"),
    ("31010119900101123x", "310***********123X"),
    ("310101900101123", "310********1123"),
    ("３１０１０１１９９００１０１１２３４", "310***********1234"),
    # bank cards
    ("6222021234567890", "6222********7890"),
    ("6222 0212 3456 7890 123", "6222***********0123"),
    ("6222-0212-3456-7890", "6222********7890"),
    ("622202123456789012", "6222**********9012"),
    # plates
    ("沪A12345", "沪A****5"),
    ("沪 A12345", "沪A****5"),
    ("沪A·12345", "沪A****5"),
    ("沪A-12345", "沪A****5"),
    ("沪a12345", "沪A****5"),
    ("沪AD12345", "沪A*****5"),
    ("京B·D12345", "京B*****5"),
    ("沪A1234学", "沪A****学"),
    ("沪Ａ１２３４５", "沪A****5"),
    # e-mail
    ("zhang.san@example.com", "z***@example.com"),
    ("zhang.san@example.com.cn", "z***@example.com.cn"),
    ("zhang＠example．com", "z***@example.com"),
    ("13812345678@qq.com", "1***@qq.com"),
    ("zhang at example dot com", "z***@example.com"),
    ("zhang[at]example[dot]com", "z***@example.com"),
    ("zhang(at)163.com", "z***@163.com"),
]

# Numbers and words that are not personal data: they come out exactly as they went in.
NEGATIVES = [
    "2024年5月1日", "２０２４年５月１日", "20240501", "2024-05-01", "2024-05-01 12:30", "2024/05/01",
    "罚款50000元", "处5000元以上50000元以下罚款", "罚款1500000元",
    "莘松路1208弄12号", "张杨路1500号3号楼1201室",
    "《上海市生活垃圾管理条例》第五十七条", "第57条第2款", "沪府规〔2023〕5号", "（2023）沪0112行初123号",
    "拨打12345热线", "110", "400-820-8820", "95588",
    "GB 3096-2008", "GB 50016-2014", "晚上10:30到凌晨2:00", "面积120.5平方米", "3.14159265",
    "编号1234567", "订单1381234567", "号码为2019-6-12办理", "电话号码2019-06-12更换",
    "新ipad12", "新ipad Pro", "沪语", "look at this", "email me at home", "a@b",
    "全角标点：，。！？（）【】“”「」", "",
]


def longest_digit_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"\d+", fold(text))), default=0)


def leaks_seven_digits(text: str, masked: str) -> bool:
    """Whether 7 consecutive digits of the personal number (country code 0086/86 aside) are
    still in the output, separators ignored."""
    secret = re.sub(r"^(?:0086|86)", "", re.sub(r"\D", "", fold(text)))
    out = re.sub(r"[^0-9*]", "", fold(masked))
    return any(secret[i:i + 7] in out for i in range(len(secret) - 6))


@pytest.mark.parametrize("text,expected", POSITIVES, ids=[p[0] for p in POSITIVES])
def test_personal_data_is_masked(text, expected):
    masked = mask_personal_data(text)
    assert expected in masked
    assert not leaks_seven_digits(text, masked)
    assert fold(text) not in fold(masked) and "zhang" not in masked  # no whole plate or e-mail left


def test_enough_formats():
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 25


@pytest.mark.parametrize("text", NEGATIVES)
def test_other_numbers_stay(text):
    assert mask_personal_data(text) == text


def test_rest_of_text_unchanged():
    text = "您好，我住在莘松路1208弄12号（近莘庄），电话１３８１２３４５６７８，车牌沪A·12345。谢谢！\n第二行\t2024年5月1日"
    assert mask_personal_data(text) == ("您好，我住在莘松路1208弄12号（近莘庄），电话138****5678，车牌沪A****5。谢谢！"
                                        "\n第二行\t2024年5月1日")


def test_several_numbers_in_a_row():
    assert mask_personal_data("13812345678 13912345678") == "138****5678 139****5678"
    assert mask_personal_data("13812345678/13912345678，2次") == "138****5678/139****5678，2次"
    assert mask_personal_data("138 1234 5678 2次") == "138****5678 2次"
    assert mask_personal_data("13812345678 20240501") == "138****5678 20240501"  # not one bank card
    assert mask_personal_data("2019-6-12 13812345678") == "2019-6-12 138****5678"
    assert mask_personal_data("热线12329 0731-84861234") == "热线12329 0731-****1234"
    assert mask_personal_data("号码是6222 0212 3456 7890 123") == "号码是6222***********0123"
    assert mask_personal_data("2019-06-12 310101199001011234") == "2019-06-12 310***********1234"


def test_masking_is_idempotent():
    for text, _ in POSITIVES:
        once = mask_personal_data(text)
        assert mask_personal_data(once) == once


def test_random_mobiles_in_chinese_text():
    rng = random.Random(7)
    words = "小区门口天天有人摆摊占道经营油烟很大我的电话是请回电谢谢，。！"
    for _ in range(200):
        number = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        written = rng.choice([number, f"{number[:3]}-{number[3:7]}-{number[7:]}",
                              f"{number[:3]} {number[3:7]} {number[7:]}", f"+86 {number}",
                              number.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})])
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 20))) + written + \
            "".join(rng.choice(words) for _ in range(rng.randint(0, 20)))
        masked = mask_personal_data(text)
        assert f"{number[:3]}****{number[7:]}" in masked and longest_digit_run(masked) < 7


def test_mask_value_walks_nested_values():
    Row = namedtuple("Row", "id text")
    value = {"masked_text": "电话13812345678", "rows": [Row(1, "沪A12345"), ("ab@x.com", None)],
             "phone": 13812345678, "float_phone": 13812345678.0, "count": 3, "ok": True, "13812345678": "key"}
    out = mask_value(value)
    assert out["masked_text"] == "电话138****5678"
    assert out["rows"][0] == Row(1, "沪A****5") and isinstance(out["rows"][0], Row)
    assert out["rows"][1] == ("a***@x.com", None)
    assert out["phone"] == "138****5678" and out["float_phone"] == "138****5678.0"
    assert out["count"] == 3 and out["ok"] is True
    assert "13812345678" in out  # keys are field names and stay


# Guards against catastrophic backtracking, not a benchmark: each input took from seconds to
# minutes with the earlier patterns (unbounded e-mail user name tried from every position, …).
HOSTILE = {
    "digits": "1" * 200_000,
    "digits with separators": "12-" * 66_667,
    "single digits": "1 " * 100_000,
    "ID-like runs": ("1" * 17 + "x") * 11_112,
    "letters": "a" * 200_000,
    "digit-letter": "1a" * 100_000,
    "at signs": "a@" * 100_000,
    "dots": "a@" + "a." * 100_000,
    "spelled e-mail": "x at a dot " * 18_182,
    "plates": "沪A1" * 66_667,
    "full-width digits": "１" * 200_000,
    "CJK and digits": "闵" * 80_000 + "1" * 120_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_masking_is_linear_on_hostile_input(name):
    text = HOSTILE[name]
    start = time.perf_counter()
    mask_personal_data(text)
    assert time.perf_counter() - start < 5
