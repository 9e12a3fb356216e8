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
