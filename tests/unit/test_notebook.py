"""Notebooks (issue #13): the store and its migrations, pinning every kind, order, read-only sharing,
export with every citation's law, article and version, concurrency, hostile notes, the README
example, and the 笔记本 page through Streamlit's AppTest."""
from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import threading

import pytest

from assistant.config import REPO_ROOT, Settings
from assistant.core.models import Chunk, Document, Hit
from assistant.core.sqlitedb import connect, schema_version
from assistant.notebook import store as store_mod
from assistant.notebook.api import Notebook
from assistant.notebook.convert import MAX_NOTE_CHARS, NotPinnable
from assistant.notebook.models import Citation
from assistant.notebook.store import NotebookError, NotebookStore, ReadOnly

GARBAGE = "上海市生活垃圾管理条例"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_path=tmp_path / "corpus", embedder="hashing")


def chunk(law=GARBAGE, article=57, version="2019-01-31", text="第五十七条 个人违反本条例……处五十元以上二百元以下罚款。"):
    return Chunk(law=law, article=article, part=0, version=version, jurisdiction="上海", level="地方性法规",
                 chapter="第七章 法律责任", status="current", text=text, source="x.md", article_label="第五十七条")


def make_answer():
    from assistant.answering.answer import Answer, CitationRef, PenaltySummary

    basis = [Hit(chunk(), 1.0)]
    penalty = PenaltySummary(CitationRef.of(basis[0]), "个人", "未分类投放", "城管执法部门", ("责令改正",),
                             ["50–200 元"], paragraph=2)
    extra = Hit(chunk(article=22, text="第二十二条 个人应当将生活垃圾分别投放。"), 0.5)
    return Answer(question="个人垃圾混投拒不改正罚多少？", no_basis=False, mode="offline",
                  conclusion="由城管执法部门责令立即改正；拒不改正的，处五十元以上二百元以下罚款。",
                  basis=basis + [extra], penalties=[penalty])


def make_triage():
    from assistant.triage.fields import Fields
    from assistant.triage.service import TriageResult

    return TriageResult(id=1, label="street_vending", name="乱设摊", confidence=0.8, top=[("street_vending", 0.8)],
                        is_enforcement=True, department="城管执法部门",
                        basis=[{"law": "上海市市容环境卫生管理条例", "article": 21}], fields=Fields(),
                        masked_text="小区门口天天有人摆摊，电话138****5678", needs_review=False)


def docx_text(path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# --- store and migrations ------------------------------------------------------------------------
def test_migrations_apply_once_and_in_order(tmp_path, monkeypatch):
    path = tmp_path / "nb.sqlite"
    shipped = list(store_mod.MIGRATIONS)
    # A file made by the first release (schema 1: no sources) …
    monkeypatch.setattr(store_mod, "MIGRATIONS", shipped[:1])
    s = NotebookStore(path)
    first = s.create("一", "local")
    s.add_entry(first.id, "local", "note", {"text": "旧笔记"}, [])
    with connect(path) as db:
        assert schema_version(db) == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # … opened by this release: migration 2 (the sources table) runs once, the data kept.
    monkeypatch.setattr(store_mod, "MIGRATIONS", shipped)
    assert [n.name for n in s.list("local")] == ["一"]
    assert s.sources(first.id, "local") == []
    with connect(path) as db:
        assert schema_version(db) == len(shipped) == 2
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'sources'").fetchone()
    assert [e.payload["text"] for e in s.entries(first.id, "local")] == ["旧笔记"]
    # A later release appends a migration: it runs once on the existing file, data kept.
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*shipped, "ALTER TABLE notebooks ADD COLUMN colour TEXT;"])
    s.create("二", "local")
    with connect(path) as db:
        assert schema_version(db) == 3
        assert "colour" in [r[1] for r in db.execute("PRAGMA table_info(notebooks)")]
    assert [n.name for n in s.list("local")] == ["二", "一"]


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    path = tmp_path / "nb.sqlite"
    NotebookStore(path).create("一", "local")
    monkeypatch.setattr(store_mod, "MIGRATIONS",
                        [*store_mod.MIGRATIONS, "CREATE TABLE extra (x INTEGER);\nTHIS IS NOT SQL;"])
    with pytest.raises(sqlite3.Error):
        NotebookStore(path).list("local")
    with connect(path) as db:
        assert schema_version(db) == len(store_mod.MIGRATIONS) - 1  # the shipped ones, not the broken one
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchone() is None


def test_create_open_list(settings):
    nb = Notebook.create("培训素材", settings=settings)
    assert nb.owner == "local" and len(nb) == 0 and not nb.read_only
    with pytest.raises(NotebookError, match="已有名为「培训素材」"):
        Notebook.create("培训素材", settings=settings)
    assert Notebook.create("培训素材", settings=settings, exist_ok=True).id == nb.id
    Notebook.create("案例", settings=settings)
    assert sorted(n.name for n in Notebook.list(settings=settings)) == ["培训素材", "案例"]
    assert Notebook.open("培训素材", settings=settings).id == nb.id
    with pytest.raises(NotebookError, match="没有名为"):
        Notebook.open("不存在", settings=settings)
    for bad in ("", "   ", "x" * 81, "a\x00b"):
        with pytest.raises(NotebookError):
            Notebook.create(bad, settings=settings)


def test_store_location_is_the_data_dir(settings):
    Notebook.create("x", settings=settings)
    assert (settings.data_dir / "notebooks.sqlite").exists()


# --- pinning ------------------------------------------------------------------------------------
def test_pin_every_kind_with_its_citations(settings):
    nb = Notebook.create("全部", settings=settings)
    answer = nb.pin(make_answer())
    assert answer.kind == "answer"
    assert answer.citations == [Citation(GARBAGE, 57, "2019-01-31"), Citation(GARBAGE, 22, "2019-01-31")]
    assert "五十元以上二百元以下" in answer.payload["markdown"]
    assert answer.payload["penalties"][0]["fines"] == ["50–200 元"]

    hit = nb.pin(Hit(chunk(), 3.2))
    assert hit.kind == "hit" and hit.citations == [Citation(GARBAGE, 57, "2019-01-31")]
    assert hit.payload["text"].startswith("第五十七条")

    tri = nb.pin(make_triage())
    assert tri.kind == "triage" and tri.payload["label"] == "street_vending"
    assert "13812345678" not in str(tri.payload)
    assert tri.citations == [Citation("上海市市容环境卫生管理条例", 21, None)]  # no index: version unknown
    group = nb.pin([make_triage(), make_triage()])
    assert group.kind == "triage" and len(group.payload["group"]) == 2

    qs = {"title": "练习", "questions": [{"type": "judge", "stem": "混投拒不改正罚50–200元", "answer": True,
                                         "source": {"law": GARBAGE, "article": 57, "version": "2019-01-31"}}]}
    assert nb.pin(qs).kind == "question_set"

    class Paper:  # the exams helper's paper: anything with to_json() giving questions
        def to_json(self):
            return qs

    q = nb.pin(Paper())
    assert q.kind == "question_set" and q.citations == [Citation(GARBAGE, 57, "2019-01-31")]
    note = nb.pin("自己的**笔记**")
    assert note.kind == "note" and note.payload["text"] == "自己的**笔记**"
    assert [e.kind for e in nb.entries] == ["answer", "hit", "triage", "triage", "question_set", "question_set", "note"]
    assert [e.position for e in nb.entries] == list(range(7))


def test_unpinnable_objects_are_refused_in_chinese(settings):
    nb = Notebook.create("x", settings=settings)
    for bad in (42, object(), {"a": 1}, {"questions": []}, [1, 2]):
        with pytest.raises((NotPinnable, ValueError), match="[\u4e00-\u9fff]"):
            nb.pin(bad)
    assert len(nb) == 0


def test_triage_citation_gets_the_current_version_from_the_index(settings):
    from assistant.index.layout import IndexLayout
    from assistant.index.store import ChunkStore

    law = "上海市市容环境卫生管理条例"
    store = ChunkStore(IndexLayout.of(settings).store)
    doc = Document(path="a.md", title=law, kind="law", level="地方性法规", jurisdiction="上海", version="2022-02-18")
    store.replace_root("r", [doc], [chunk(law=law, article=21, version="2022-02-18")])
    store.close()
    nb = Notebook.create("分拣", settings=settings)
    assert nb.pin(make_triage()).citations == [Citation(law, 21, "2022-02-18")]


# --- order, deletion, notes ----------------------------------------------------------------------
def test_move_and_remove_keep_a_dense_order(settings):
    nb = Notebook.create("顺序", settings=settings)
    ids = [nb.add_note(f"笔记{i}").id for i in range(4)]
    nb.move(ids[3], 0)
    assert [e.id for e in nb.entries] == [ids[3], ids[0], ids[1], ids[2]]
    nb.move(ids[3], 99)  # clamped to the end
    assert [e.id for e in nb.entries] == ids
    nb.remove(ids[1])
    assert [(e.id, e.position) for e in nb.entries] == [(ids[0], 0), (ids[2], 1), (ids[3], 2)]
    with pytest.raises(NotebookError):
        nb.remove(ids[1])
    nb.edit_note(ids[0], "改过的")
    assert nb.entries[0].payload["text"] == "改过的"


def test_long_note_is_stored_whole_and_a_longer_one_refused(settings):
    nb = Notebook.create("长笔记", settings=settings)
    text = ("城管执法" * 25_000)
    assert len(text) == 100_000
    nb.add_note(text)
    assert Notebook.open("长笔记", settings=settings).entries[0].payload["text"] == text
    with pytest.raises(ValueError, match="笔记过长"):
        nb.add_note("字" * (MAX_NOTE_CHARS + 1))
    with pytest.raises(ValueError, match="笔记内容为空"):
        nb.add_note("  \n ")
    assert len(nb) == 1
    out = nb.export(settings.data_dir / "long.md")
    assert text in out.read_text(encoding="utf-8")


# --- sharing -------------------------------------------------------------------------------------
def test_shared_notebooks_are_read_only(settings):
    nb = Notebook.create("共享", user="wang", settings=settings)
    entry = nb.add_note("原文")
    nb.share("zhang")
    assert nb.info.shared_with == ("zhang",)
    [seen] = Notebook.list(user="zhang", settings=settings)
    assert seen.read_only and seen.name == "共享" and seen.entries[0].payload["text"] == "原文"
    reader = Notebook.open("共享", user="zhang", settings=settings)
    for change in (lambda: reader.add_note("改"), lambda: reader.pin(Hit(chunk(), 1.0)),
                   lambda: reader.move(entry.id, 0), lambda: reader.remove(entry.id),
                   lambda: reader.share("li"), lambda: reader.delete(), lambda: reader.edit_note(entry.id, "x")):
        with pytest.raises(ReadOnly, match="只读"):
            change()
    assert reader.export(settings.data_dir / "shared.md").exists()  # reading and exporting are allowed
    assert [e.payload["text"] for e in nb.entries] == ["原文"]
    # Someone it was not shared with does not even learn it exists.
    assert Notebook.list(user="li", settings=settings) == []
    with pytest.raises(NotebookError, match="不存在"):
        NotebookStore.for_settings(settings).entries(nb.id, "li")
    with pytest.raises(NotebookError, match="不存在"):
        NotebookStore.for_settings(settings).add_entry(nb.id, "li", "note", {"text": "x"}, [])
    nb.unshare("zhang")
    assert Notebook.list(user="zhang", settings=settings) == []


# --- export -------------------------------------------------------------------------------------
def test_export_writes_every_citation_with_law_article_and_version(settings, tmp_path):
    nb = Notebook.create("导出", settings=settings)
    nb.pin(make_answer())
    nb.pin(make_triage())
    nb.add_note("# 小结\n- 先责令改正\n- <b>拒不改正</b>再罚款")
    md = nb.export(tmp_path / "out.md").read_text(encoding="utf-8")
    doc = docx_text(nb.export(tmp_path / "out.docx"))
    for text in (md, doc):
        assert "《上海市生活垃圾管理条例》第57条（2019-01-31版）" in text
        assert "《上海市生活垃圾管理条例》第22条（2019-01-31版）" in text
        assert "《上海市市容环境卫生管理条例》第21条（版本日期未知）" in text
        assert "引用汇总" in text
        assert "13812345678" not in text
    assert "138\\*\\*\\*\\*5678" in md  # the complaint shown as written: its stars are not markup
    assert "138****5678" in doc
    assert "&lt;b&gt;拒不改正&lt;/b&gt;" in md and "<b>" not in md
    assert "先责令改正" in doc
    with pytest.raises(ValueError, match="文件名请以 .docx（Word）或 .md（Markdown）结尾"):
        nb.export(tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_export_survives_control_characters(settings, tmp_path):
    nb = Notebook.create("控制字符", settings=settings)
    nb.add_note("响铃\x07与换页\x0c字符")
    assert "响铃与换页字符" in docx_text(nb.export(tmp_path / "c.docx"))


# --- concurrency --------------------------------------------------------------------------------
def test_twenty_threads_pinning_at_once_lose_nothing(settings):
    nb = Notebook.create("并发", settings=settings)
    errors: list[BaseException] = []
    per_thread = 10
    start = threading.Barrier(20)

    def worker(t: int) -> None:
        try:
            mine = Notebook.open("并发", settings=settings)  # each thread its own object, as each session
            start.wait()
            for i in range(per_thread):
                mine.pin(f"线程{t}-{i}")
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    entries = nb.entries
    assert len(entries) == 20 * per_thread
    assert sorted(e.payload["text"] for e in entries) == sorted(f"线程{t}-{i}" for t in range(20) for i in range(per_thread))
    assert [e.position for e in entries] == list(range(20 * per_thread))


# --- the README example --------------------------------------------------------------------------
def readme_notebook_example() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 笔记本（Python）", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_readme_notebook_example_runs_as_written(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_PATH": str(tmp_path / "corpus")}
    proc = subprocess.run([sys.executable, "-c", readme_notebook_example()], check=False, cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout.splitlines()
    assert out[0] == "['question_set', 'note']"
    assert out[1] == "培训素材.docx 培训素材.md"
    assert out[2] == "['培训素材']"
    assert out[3] == "《上海市生活垃圾管理条例》第57条（2019-01-31版）"
    assert "混投垃圾先责令改正" in docx_text(tmp_path / "培训素材.docx")
    assert (tmp_path / "data" / "notebooks.sqlite").exists()


PIN_WIDGET = """
from assistant.core.models import Chunk, Hit
from assistant.ui.notebook_widgets import pin_button
c = Chunk(law="上海市生活垃圾管理条例", article=57, part=0, version="2019-01-31", jurisdiction="上海",
          level="地方性法规", chapter=None, status="current", text="第五十七条 ……", source="x.md")
pin_button(Hit(c, 1.0), key="h1")
"""


def test_pin_button_pins_to_a_new_or_existing_notebook(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from assistant.accounts.audit import AuditLog

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_string(PIN_WIDGET, default_timeout=30).run()
    assert not at.exception
    at.text_input(key="pin-new-h1").input("<b>培训</b>")
    at.button(key="pin-go-h1").click().run()
    assert not at.exception
    assert "已收藏到" in at.caption[0].value and "<b>" not in at.caption[0].value
    [nb] = Notebook.list(settings=settings)
    assert nb.name == "<b>培训</b>" and nb.entries[0].citations == [Citation(GARBAGE, 57, "2019-01-31")]
    assert [r.action for r in AuditLog.for_settings(settings).query()] == ["pin"]
    again = AppTest.from_string(PIN_WIDGET, default_timeout=30).run()
    assert again.selectbox(key="pin-nb-h1").options[0] == "<b>培训</b>"
    again.button(key="pin-go-h1").click().run()
    assert len(Notebook.open("<b>培训</b>", settings=settings)) == 2
