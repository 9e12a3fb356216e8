"""Every written form of personal data in tests/unit/test_privacy.py, fed through each boundary that
writes or shows text: triage results, the CLI's JSONL output, the XLSX export (input columns
included), feedback storage and the log of a forced error. None may come out unmasked."""
from __future__ import annotations

import io
import json
import logging

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from assistant.cli import cli
from assistant.core.privacy import fold
from assistant.feedback import FeedbackStore
from assistant.logs import MaskingFormatter
from assistant.triage.batch import Table, XlsxWriter, triage_table
from assistant.triage.service import Triager
from tests.unit.conftest import tiny_settings_for
from tests.unit.test_privacy import POSITIVES, leaks_seven_digits

SECRETS = [text for text, _ in POSITIVES]


def complaint(secret: str) -> str:
    return f"楼下“{secret}”饭店每天占道经营，联系{secret}，请处理"


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def leaked(secret: str, value) -> list[str]:
    return [s for s in strings(value) if fold(secret) in fold(s) or leaks_seven_digits(secret, s)]


@pytest.fixture(scope="module")
def triager(tiny_authored, tmp_path_factory):
    settings = tiny_settings_for(tmp_path_factory.mktemp("mask"), tmp_path_factory.mktemp("mask-corpus"))
    return Triager(settings.model_copy(update={"authored_dir": tiny_authored[0],
                                               "triage_labels_path": tiny_authored[1]}))


def test_at_least_forty_formats():
    assert len(SECRETS) >= 40


def test_triage_results(triager):
    for secret in SECRETS:
        assert not leaked(secret, triager.triage(complaint(secret)).to_json()), secret


def test_cli_jsonl(tiny_authored, tmp_path):
    lines = "".join(json.dumps({"id": n, "text": complaint(s)}, ensure_ascii=False) + "\n"
                    for n, s in enumerate(SECRETS))
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "triage", "--jsonl"], input=lines,
                                env={"ASSISTANT_AUTHORED_DIR": str(tiny_authored[0]),
                                     "ASSISTANT_TRIAGE_LABELS_PATH": str(tiny_authored[1])})
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(SECRETS)
    for secret, row in zip(SECRETS, out):
        assert not leaked(secret, row), secret


def test_xlsx_export_masks_every_column(triager):
    rows = [[n, complaint(s), s] for n, s in enumerate(SECRETS)]  # a phone column copied as it came
    writer = XlsxWriter(["编号", "诉件内容", "联系电话"])
    list(triage_table(triager, Table(["编号", "诉件内容", "联系电话"], iter(rows), None, len(rows)), 1, writer))
    buf = io.BytesIO()
    writer.save(buf)
    written = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True))[1:]
    for secret, row in zip(SECRETS, written):
        assert not leaked(secret, [c for c in row if isinstance(c, str)]), secret


def test_feedback(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    for secret in SECRETS:
        store.add(complaint(secret), f"答复中引用了{secret}", [], "offline", 1, f"我的号码是{secret}")
    for secret, row in zip(SECRETS, store.all()):
        assert not leaked(secret, [row["question"], row["answer"], row["comment"]]), secret


def test_forced_error_log():
    formatter = MaskingFormatter()
    for secret in SECRETS:
        try:
            raise ValueError(f"{complaint(secret)} cannot be used in worksheets")
        except ValueError:
            import sys

            record = logging.LogRecord("assistant", logging.ERROR, __file__, 1, "row %s failed: %s", (1, secret),
                                       sys.exc_info())
        assert not leaked(secret, formatter.format(record)), secret
