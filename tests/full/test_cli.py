"""The command-line contract used by evaluations."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from assistant.cli import cli

HIT_KEYS = {"law", "article", "version", "jurisdiction", "level", "status", "chapter", "text", "score"}


def run(built, *args, input=None):
    result = CliRunner().invoke(cli, ["--data-dir", str(built.data_dir), "--corpus", str(built.corpus_path), *args],
                                input=input, env={"ASSISTANT_CACHE_PATH": str(built.cache_dir)})
    return result


def test_search_json_contract(built):
    result = run(built, "search", "个人垃圾混投拒不改正罚多少", "--k", "3", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["query"] == "个人垃圾混投拒不改正罚多少"
    assert out["no_basis"] is False
    assert len(out["hits"]) == 3
    assert HIT_KEYS <= set(out["hits"][0])
    first = next(h for h in out["hits"] if h["article"] == 57)
    assert first["law"] == "上海市生活垃圾管理条例"
    assert first["version"] == "2019-01-31"
    assert (first["jurisdiction"], first["level"], first["status"]) == ("上海", "地方性法规", "current")
    assert first["chapter"] == "第九章 法律责任"
    assert first["text"].startswith("第五十七条")


def test_search_filters(built):
    out = json.loads(run(built, "search", "个人混投生活垃圾罚款", "--json", "-j", "北京").output)
    assert out["hits"] and all(h["jurisdiction"] == "北京" for h in out["hits"])
    out = json.loads(run(built, "search", "业主大会 自行管理", "--json", "--all-versions", "--k", "10").output)
    assert any(h["status"] == "superseded" for h in out["hits"])


def test_search_jsonl_in_a_real_process(built):
    lines = [
        {"id": "a", "question": "生活垃圾管理条例第57条"},
        {"id": 2, "question": "个人所得税怎么算"},
        {"id": "c", "question": ""},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n"
    env = os.environ | {"ASSISTANT_DATA_DIR": str(built.data_dir), "ASSISTANT_CORPUS_PATH": str(built.corpus_path),
                        "ASSISTANT_CACHE_PATH": str(built.cache_dir)}
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "--jsonl", "--k", "5"],
                          input=stdin, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(l) for l in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c", None]
    assert out[0]["no_basis"] is False and out[0]["hits"][0]["article"] == 57
    assert out[1]["no_basis"] is True
    assert out[2]["no_basis"] is True and out[2]["hits"] == []
    assert "error" in out[3]


def test_show(built):
    result = run(built, "show", "上海市生活垃圾管理条例", "57")
    assert result.exit_code == 0
    assert "第五十七条" in result.output and "五十元以上二百元以下" in result.output
    assert "2019-01-31" in result.output
    missing = run(built, "show", "上海市生活垃圾管理条例", "999")
    assert missing.exit_code != 0 and "没有" in missing.output


def test_search_without_index_explains(tmp_path):
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "search", "垃圾"])
    assert result.exit_code != 0
    assert "assistant ingest" in result.output


def test_status(built):
    out = json.loads(run(built, "status", "--json").output)
    assert out["documents"] == 7
    assert out["vectors"]["state"] == "ready"
