"""Triage machinery on the tiny three-category taxonomy of tests/unit/tiny_corpus.py (the real
one is tested in the full tier): explicit error rows in order, the one spreadsheet batch function, fields, masking."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from assistant.config import Settings
from assistant.triage.batch import (
    XlsxWriter,
    open_table,
    pick_text_column,
    triage_table,
)
from assistant.triage.fields import extract_fields, mask_personal_data
from assistant.triage.service import RowError, Triager


@pytest.fixture(scope="module")
def triager(tiny_authored) -> Triager:
    authored, labels = tiny_authored
    return Triager(Settings(authored_dir=authored, triage_labels_path=labels, data_dir=authored / "data"))


def test_contract_mismatch_is_refused(tmp_path, triager):
    labels = tmp_path / "labels.tsv"
    labels.write_text("code\tname\tscope\nstreet_vending\tx\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="分类体系与合同标签不一致"):
        Triager(triager.settings.model_copy(update={"triage_labels_path": labels}))


def test_classifies_and_routes(triager):
    result = triager.triage("马路边有人摆地摊卖水果", id=7)
    assert result.id == 7 and result.label == "street_vending" and result.is_enforcement
    assert result.basis == [{"law": "上海市市容环境卫生管理条例", "article": 21}]
    assert triager.triage("物业费太贵了").is_enforcement is False
    empty = triager.triage("   ")
    assert empty.label is None and empty.needs_review and empty.message == "诉件内容为空"


def test_error_rows_pass_through_in_order(triager):
    rows = [(1, "夜里打桩很吵"), RowError(2, "无法解析的 JSON 行"), (3, None), (4, float("nan"))]
    out = list(triager.triage_many(rows, batch=2))
    assert [type(r).__name__ for r in out] == ["TriageResult", "RowError", "TriageResult", "TriageResult"]
    assert out[0].label == "night_construction_noise"
    assert out[1].to_json() == {"id": None, "line": 2, "error": "无法解析的 JSON 行", "label": None}
    assert out[2].label is None and out[3].label is None


def test_one_batch_function_for_spreadsheets(triager):
    csv_text = '编号,诉件内容\n1,小区门口有人摆摊，电话13812345678\n2,"=HYPERLINK(""http://x"")工地半夜施工"\n3,\n'
    table = open_table(csv_text.encode("gb18030"), "诉件.csv")
    assert table.encoding_note  # GBK is read, and said so
    column = pick_text_column(table.columns, None)
    writer = XlsxWriter(table.columns)
    results = list(triage_table(triager, table, column, writer, max_rows=2))
    assert [r.id for r in results] == [0, 1]  # max_rows honoured
    out = io.BytesIO()
    writer.save(out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "诉件内容", "分类代码") and len(rows) == 3
    assert rows[2][1].startswith("'=")  # a formula is written as text
    assert "138****5678" in rows[1][rows[0].index("脱敏内容")]


def test_fields_and_masking():
    fields = extract_fields("浦东新区张杨路1500号小区门口每天晚上八点以后有烧烤摊，多次投诉没人管")
    assert fields.district == "浦东新区" and fields.repeat and fields.times
    masked = mask_personal_data("电话13812345678，身份证310101199001011234，车牌沪A12345，邮箱ab@x.com")
    assert "13812345678" not in masked and "310101199001011234" not in masked
    assert "沪A****5" in masked and "a***@x.com" in masked


def test_masking_is_the_core_function():
    from assistant.core import privacy

    assert mask_personal_data is privacy.mask_personal_data


def test_fields_never_carry_personal_data():
    fields = extract_fields("门口“13812345678”饭店和「老王烧烤」油烟很大，13812345678饭店也是，联系沪A12345车主")
    assert fields.shops == ["老王烧烤"]
    assert not any("1381234" in s or "*" in s for s in fields.shops)


def test_control_characters_are_removed_before_extraction():
    fields = extract_fields("浦东新区张\x00杨\x0b路1500号\r\n每天晚\x1b上八点以后有烧烤摊")
    assert fields.district == "浦东新区" and fields.address == "张杨路1500号"
    assert "每天晚上八点以后" in fields.times


def test_long_complaints_are_read_up_to_the_limit_and_say_so():
    from assistant.triage.fields import FIELD_SCAN_CHARS

    short = extract_fields("徐汇区漕溪北路有人摆摊")
    assert short.note is None and "note" not in short.to_json()
    # district, street and place (issue #11) beside the old five; note and candidates only when set
    assert set(short.to_json()) == {"district", "street", "place", "address", "times", "repeat", "shops"}
    long = extract_fields("徐汇区漕溪北路有人摆摊。" + "很吵" * FIELD_SCAN_CHARS + "闵行区")
    assert long.district == "徐汇区" and long.note and "过长" in long.note
    assert long.to_json()["note"] == long.note


# Guards against catastrophic backtracking, not a benchmark: one 60,000-digit cell took 68 s,
# 40k + 80k characters 148 s with the earlier patterns.
@pytest.mark.parametrize("text", [
    "1" * 60_000,
    "闵" * 40_000 + "1" * 80_000,
    "路" * 40_000 + "1a" * 40_000,
    "1" * 40_000 + "镇" * 80_000,
    "闵行路" * 13_334 + "a1" * 40_000,
    "老王的饭店" * 24_000,
])
def test_extraction_and_masking_are_fast_on_hostile_cells(text):
    import time

    start = time.perf_counter()
    fields = extract_fields(text)
    mask_personal_data(text)
    assert time.perf_counter() - start < 5
    assert fields.note


def test_extraction_patterns_are_linear_without_the_limit(monkeypatch):
    """The limit is a second line of defence: the patterns themselves stay linear."""
    import time

    from assistant.triage import fields as fields_module

    monkeypatch.setattr(fields_module, "FIELD_SCAN_CHARS", 10**9)
    for text in ("1" * 60_000, "闵" * 40_000 + "1" * 80_000, "镇" * 120_000, "1号" * 60_000):
        start = time.perf_counter()
        fields_module.extract_fields(text)
        assert time.perf_counter() - start < 5
