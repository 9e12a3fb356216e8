"""Hostile and careless input at the edges (issue #9): JSONL batches, bad arguments, spreadsheets,
markdown from complaints and models, read-only and deleted data dirs, a copied corpus."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from assistant.cli import cli, read_jsonl
from assistant.core.safetext import defang_markdown, escape_markdown
from assistant.feedback import FeedbackStore, FeedbackUnavailable
from assistant.triage.batch import XLSX_CELL_CHARS, XlsxWriter, open_table, triage_table
from assistant.triage.service import Triager
from ingestion.pipeline import ingest
from tests.unit.conftest import tiny_settings_for

REPO = Path(__file__).resolve().parents[2]


def run(settings, *args, input=None):
    env = {"ASSISTANT_EMBEDDER": "hashing", "ASSISTANT_USER_DOCS_PATH": "", "ASSISTANT_LLM_BASE_URL": ""}
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "--corpus", str(settings.corpus_path),
                                    *args], input=input, env=env)


# --- JSONL: every line answered, errors with their line number, output always valid JSON ----------
HOSTILE_LINES = [
    b'{"id": 1, "question": "\\udc80\xe5\x9e\x83\xe5\x9c\xbe"}',  # a lone surrogate escaped in JSON
    b'{"id": NaN, "question": "\xe5\x9e\x83\xe5\x9c\xbe"}',  # NaN id (Python's json reads it)
    b'{"id": 3}',  # no question
    b'{"id": 4, "question": 42}',  # not text
    b'[1, 2]',  # not an object
    b'{"id": 6, "question": "\xff\xfe broken utf-8"}',
    b'{not json',
    b'{"id": 8, "question": "\xe4\xb8\xaa\xe4\xba\xba\xe6\xb7\xb7\xe6\x8a\x95\xe7\x94\x9f\xe6\xb4\xbb\xe5\x9e\x83\xe5\x9c\xbe"}',
]


def test_jsonl_reader_reports_each_bad_line_with_its_number():
    items = list(read_jsonl(io.BytesIO(b"\n".join(HOSTILE_LINES) + b"\n"), "question"))
    assert [i.line for i in items] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [bool(i.error) for i in items] == [True] * 7 + [False]
    assert "代理项" in items[0].error and "id" in items[1].error and "缺少字段" in items[2].error
    assert items[7].text == "个人混投生活垃圾" and items[7].id == 8


@pytest.mark.parametrize("command", ["search", "ask"])
def test_jsonl_batch_survives_every_hostile_line(tiny_settings, command):
    result = run(tiny_settings, command, "--jsonl", input=b"\n".join(HOSTILE_LINES) + b"\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]  # strict: no NaN, no surrogates
    assert len(out) == len(HOSTILE_LINES)
    assert [o.get("line") for o in out[:7]] == [1, 2, 3, 4, 5, 6, 7]
    assert all(o["error"] for o in out[:7]) and "error" not in out[7] and out[7]["id"] == 8


def test_triage_jsonl_keeps_going(tiny_settings, tiny_authored):
    env_settings = tiny_settings.model_copy(update={"authored_dir": tiny_authored[0]})
    result = CliRunner().invoke(
        cli, ["--data-dir", str(env_settings.data_dir), "triage", "--jsonl"],
        input=b'{"id": 1, "text": "\\ud800"}\n{"id": 2, "text": "\xe8\xb7\xaf\xe8\xbe\xb9\xe6\x91\x86\xe6\x91\x8a"}\n',
        env={"ASSISTANT_AUTHORED_DIR": str(tiny_authored[0]), "ASSISTANT_TRIAGE_LABELS_PATH": str(tiny_authored[1])})
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["line"] == 1 and first["error"] and second["label"] == "street_vending"


# --- arguments -------------------------------------------------------------------------------
@pytest.mark.parametrize("args, expected", [
    (["show", "上海市生活垃圾管理条例", "99999999999999999999"], "10000"),
    (["search", "垃圾", "--k", "-1"], "-1"),
    (["triage", "--in", "/nonexistent/诉件.xlsx"], "does not exist"),
])
def test_bad_arguments_get_a_message_not_a_traceback(tiny_settings, args, expected):
    result = run(tiny_settings, *args)
    assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, (OverflowError, ValueError, TypeError))


# --- spreadsheets ----------------------------------------------------------------------------
def test_control_characters_duplicate_columns_and_long_cells(tiny_authored, tmp_path):
    settings = tiny_settings_for(tmp_path, tmp_path).model_copy(
        update={"authored_dir": tiny_authored[0], "triage_labels_path": tiny_authored[1]})
    long_cell = "路边摊" * 12_000  # 36,000 characters: more than one XLSX cell holds
    csv_text = ("编号,内容,内容\n"
                "1,电话13812345678 身份证310101199001011234\x0b,x\n"
                f"2,{long_cell},y\n"
                "3,=HYPERLINK(\"http://ev.il\"),z\n"
                "4,路边摆摊卖水果,13912345678\n")
    table = open_table(csv_text.encode("utf-8"), "诉件.csv")
    assert table.columns == ["编号", "内容", "内容(2)"]
    writer = XlsxWriter(table.columns)
    results = list(triage_table(Triager(settings), table, 1, writer))
    assert len(results) == 4 and results[0].needs_review and "控制字符" in results[0].message
    assert results[2].needs_review and "公式" in results[2].message
    out = io.BytesIO()
    writer.save(out)
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert len(rows) == 5
    text = json.dumps(rows, ensure_ascii=False)
    assert "13812345678" not in text and "13912345678" not in text and "310101199001011234" not in text
    assert all(len(c) <= XLSX_CELL_CHARS for r in rows for c in r if isinstance(c, str))
    assert "截断" in rows[2][-1] and rows[3][1].startswith("'=")


# --- markdown from complaints and models -----------------------------------------------------
@pytest.mark.parametrize("text", [
    "![](//ev.il/a.png)", "![x](https://ev.il/a.png)", "[《上海市生活垃圾管理条例》第57条](https://ev.il/phish)",
    "<img src=https://ev.il/a.png>", "<https://ev.il>", "见 https://ev.il/a.png", "www.ev.il/x",
    "[a]: https://ev.il\n[引用][a]", "<script>alert(1)</script>",
])
def test_defanged_markdown_loads_and_links_nothing(text):
    safe = defang_markdown(text)
    assert "](" not in safe and "<img" not in safe and "<script" not in safe and "<http" not in safe
    for url in ("https://ev.il", "www.ev.il"):
        if url in safe:
            assert f"`{url}" in safe  # inside a code span: shown, never linked


def test_escaped_markdown_shows_exactly_what_was_written():
    import markdown_it  # Streamlit's renderer is remark; markdown-it follows the same CommonMark rules

    text = "“![](//ev.il/a.png)”饭店 **粗体** [链接](http://x) <b>b</b> :red[红] $x$"
    html = markdown_it.MarkdownIt().render(escape_markdown(text))
    assert "<img" not in html and "<a " not in html and "<strong>" not in html and "<b>" not in html


# --- read-only and deleted data dirs, feedback -----------------------------------------------
def test_feedback_is_masked_expires_and_fails_with_a_message(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite", retention_days=30)
    store.add("我的电话13812345678，楼下摆摊怎么罚", "答", [], "offline", 1, "身份证310101199001011234")
    saved = store.all()[0]
    assert "13812345678" not in saved["question"] and "310101199001011234" not in saved["comment"]
    store._connect().execute("UPDATE feedback SET ts = ts - 31 * 86400")
    store._connect().commit()
    assert store.all() == []  # past the retention period
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    with pytest.raises(FeedbackUnavailable, match="反馈未能保存"):
        FeedbackStore(blocked / "fb.sqlite").add("q", "a", [], "offline", 1)


# --- the same corpus under a second path -----------------------------------------------------
def test_a_copied_corpus_is_not_indexed_twice(tiny_corpus, tmp_path):
    settings = tiny_settings_for(tmp_path / "data", tiny_corpus)
    first = ingest(settings, vectors=False)
    copy = tmp_path / "copy"
    shutil.copytree(tiny_corpus, copy)
    second = ingest(settings, [copy], vectors=False)
    from assistant.index.status import index_status

    assert index_status(settings)["documents"] == first.documents == 8
    assert second.added == 0 and any("已入库的文档相同" in w for w in second.warnings)
    # the original folder gone: the copy takes over instead of leaving nothing
    moved = tmp_path / "moved"
    shutil.copytree(tiny_corpus, moved)
    settings2 = tiny_settings_for(tmp_path / "data2", moved)
    ingest(settings2, vectors=False)
    shutil.rmtree(moved)
    ingest(settings2, [copy], vectors=False)
    assert index_status(settings2)["documents"] == 8
