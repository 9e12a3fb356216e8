"""Soak: many concurrent sessions asking, triaging and pinning for a while (issue #13).

    python -m evals.soak [--sessions 20] [--seconds 120] [--data-dir DIR] [--state-dir DIR] [--llm] [--json]

Each session is a thread of this process, standing for one signed-in user of the app, and does
what the app does for it, in the same sharing: ONE Retriever for all sessions (the app's
`IndexService` keeps one cached retriever per server process, assistant/ui/state.py), one
`Assistant` per session built on that shared retriever (chat_page._assistant keeps one per
browser session), ONE shared `Triager` (triage_page caches one per process). In a loop, until
the time is up, a session asks a question (`Assistant.ask`, with its own conversation history,
reset every few turns), triages a complaint (`Triager.triage`), pins the answer and the triage
result to its own notebook through the Notebook API (`Notebook.pin`; every 5th round also
`add_note`), and writes an audit row for each action, as the pages do.

At the end: every exception is counted and reported; every notebook is read back and must hold
exactly the entries its session pinned, at positions 0..n-1 with no duplicate; the audit log must
hold every row written. Exit status 1 on any error or lost entry.

The index is read from `--data-dir` (default: the configured data dir). Notebooks and audit rows
go to `--state-dir` (default: a fresh temporary directory), so a soak never adds notebooks or audit
rows to a real data dir. Answers are offline unless `--llm` keeps the configured LLM.
"""
from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

QUESTIONS = [
    "个人垃圾混投拒不改正罚多少？",
    "单位未分类投放生活垃圾怎么处罚？",
    "随意倾倒生活垃圾罚款多少？",
    "楼上敲了承重墙城管能管吗？",
    "损坏房屋承重结构怎么处罚？",
    "夜间施工噪声扰民怎么处罚？",
    "建筑施工噪声超标罚多少？",
    "北京个人垃圾分类不规范怎么罚？",
    "擅自迁移树木怎么处罚？",
    "行政处罚案件多少天内作出决定？",
    "听证要提前几天通知？",
    "离婚财产怎么分割",  # no basis in the library: must still answer (say so), not fail
]
FOLLOWUPS = ["那单位呢？", "拒不改正呢？"]
COMPLAINTS = [
    "小区门口天天有人摆摊卖菜，占了人行道",
    "徐汇区漕溪北路每天晚上都有人摆地摊卖烧烤，电话13812345678",
    "旁边工地半夜施工噪声特别大，吵得睡不着",
    "楼上装修把承重墙敲掉了",
    "物业费涨价太多了",
    "有人在绿化带里乱倒建筑垃圾",
    "公交车老是晚点",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class SessionLog:
    user: str
    ask_s: list[float] = field(default_factory=list)
    triage_s: list[float] = field(default_factory=list)
    pin_s: list[float] = field(default_factory=list)
    pins: int = 0
    audits: int = 0
    errors: list[str] = field(default_factory=list)
    no_basis: int = 0


@dataclass
class SoakReport:
    sessions: int
    seconds: float
    sharing: str
    warmup_s: float
    ops: int
    asks: int
    triages: int
    pins: int
    audit_rows: int
    errors: list[str]
    lost_pins: int
    notebook_problems: list[str]
    lost_audit_rows: int
    answer_p50_ms: float
    answer_p95_ms: float
    answer_max_ms: float
    triage_p50_ms: float
    triage_p95_ms: float
    pin_p50_ms: float
    pin_p95_ms: float
    no_basis_answers: int

    @property
    def ok(self) -> bool:
        return not self.errors and not self.lost_pins and not self.notebook_problems and not self.lost_audit_rows

    def to_json(self) -> dict:
        return self.__dict__ | {"ok": self.ok, "errors": self.errors[:20], "error_count": len(self.errors)}


def _session(n: int, clock: dict, start: threading.Barrier, retriever, triager, settings, store, audit,
             log: SessionLog, notebook_name: str) -> None:
    from assistant.answering.assistant import Assistant
    from assistant.answering.conversation import Turn
    from assistant.notebook.api import Notebook

    try:
        assistant = Assistant(settings, retriever=retriever)  # one per session, on the shared retriever
        nb = Notebook(store, store.create(notebook_name, log.user), log.user, settings)
    except Exception:  # noqa: BLE001 — counted and reported
        log.errors.append(f"{log.user} setup: {traceback.format_exc(limit=3)}")
        start.wait()
        return
    start.wait()
    deadline = clock["deadline"]  # set by the soak before the barrier released the sessions
    questions = itertools.cycle(QUESTIONS[n % len(QUESTIONS):] + QUESTIONS[: n % len(QUESTIONS)])
    complaints = itertools.cycle(COMPLAINTS[n % len(COMPLAINTS):] + COMPLAINTS[: n % len(COMPLAINTS)])
    history: list = []
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        question = FOLLOWUPS[rounds % 2] if history and rounds % 3 == 0 else next(questions)
        try:
            t = time.perf_counter()
            answer = assistant.ask(question, history[-4:])
            log.ask_s.append(time.perf_counter() - t)
            if answer is None:
                raise RuntimeError(f"no answer to {question!r}")
            log.no_basis += bool(answer.no_basis)
            history.append(Turn(question, answer.question, answer))
            if len(history) > 6:
                history = []
            audit.record(log.user, "officer", "ask", question)
            log.audits += 1

            t = time.perf_counter()
            result = triager.triage(next(complaints))
            log.triage_s.append(time.perf_counter() - t)
            audit.record(log.user, "officer", "triage", result.masked_text[:200])
            log.audits += 1

            for obj in ([answer, result] + ([f"第 {rounds} 轮笔记：**{question}**"] if rounds % 5 == 0 else [])):
                t = time.perf_counter()
                entry = nb.add_note(obj) if isinstance(obj, str) else nb.pin(obj)
                log.pin_s.append(time.perf_counter() - t)
                log.pins += 1
                if entry.position != log.pins - 1:
                    log.errors.append(f"{log.user}: entry at position {entry.position}, expected {log.pins - 1}")
                audit.record(log.user, "officer", "note" if isinstance(obj, str) else "pin", entry.title[:200])
                log.audits += 1
        except Exception:  # noqa: BLE001 — counted and reported; the session goes on
            log.errors.append(f"{log.user} round {rounds} ({question}): {traceback.format_exc(limit=4)}")


def soak(sessions: int = 20, seconds: float = 120, data_dir: Path | None = None, state_dir: Path | None = None,
         llm: bool = False, settings=None, progress=None) -> SoakReport:
    """Run the soak; `settings` (optional) overrides how the index and the triage model are found."""
    from assistant.accounts.audit import AuditLog
    from assistant.answering.assistant import Assistant
    from assistant.config import Settings
    from assistant.notebook.store import NotebookStore
    from assistant.retrieval.retriever import Retriever
    from assistant.triage.service import Triager

    if settings is None:
        overrides = {"data_dir": data_dir} if data_dir else {}
        if not llm:
            overrides |= {"llm_base_url": None, "llm_model": None}
        settings = Settings(**overrides)
    scratch = None
    if state_dir is None:
        scratch = tempfile.TemporaryDirectory(prefix="soak-state-")
        state_dir = Path(scratch.name)
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        retriever = Retriever(settings)  # shared, as the app's cached IndexService retriever
        triager = Triager(settings)  # shared, as triage_page's cached Triager
        t = time.perf_counter()  # first use loads lazily (tokenizer, gazetteers): not timed as an answer
        Assistant(settings, retriever=retriever).ask(QUESTIONS[0])
        triager.triage(COMPLAINTS[1])
        warmup = time.perf_counter() - t
        store = NotebookStore(state_dir / "notebooks.sqlite")
        audit = AuditLog(state_dir / "audit.sqlite")
        audit_before = len(audit.query(limit=10**9)) if audit.path.exists() else 0
        run = time.strftime("%Y%m%d-%H%M%S")
        logs = [SessionLog(f"soak{n:02d}") for n in range(sessions)]
        names = [f"压力测试 {run} #{n:02d}" for n in range(sessions)]
        clock = {"deadline": float("inf"), "began": 0.0}

        def start_clock():  # run once, when every session has its Assistant and notebook
            clock["began"] = time.monotonic()
            clock["deadline"] = clock["began"] + seconds

        start = threading.Barrier(sessions + 1, action=start_clock)
        threads = [threading.Thread(target=_session, name=f"soak-{n}", daemon=True,
                                    args=(n, clock, start, retriever, triager, settings, store, audit, logs[n], names[n]))
                   for n in range(sessions)]
        for th in threads:
            th.start()
        start.wait()
        began = clock["began"]
        shown = began
        while alive := [t for t in threads if t.is_alive()]:
            alive[0].join(timeout=1.0)
            if progress and time.monotonic() - shown >= 15:
                shown = time.monotonic()
                progress(shown - began, sum(len(l.ask_s) for l in logs))
        elapsed = time.monotonic() - began

        # Read every notebook back: nothing lost, nothing doubled, positions 0..n-1.
        problems, lost = [], 0
        for log, name in zip(logs, names):
            try:
                info = store.find(name, log.user)
                entries = store.entries(info.id, log.user)
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{log.user}: notebook unreadable: {exc}")
                lost += log.pins
                continue
            lost += max(0, log.pins - len(entries))
            if len(entries) != log.pins:
                problems.append(f"{log.user}: {len(entries)} entries, {log.pins} pinned")
            if sorted(e.position for e in entries) != list(range(len(entries))):
                problems.append(f"{log.user}: positions {[e.position for e in entries][:10]}…")
            if len({e.id for e in entries}) != len(entries):
                problems.append(f"{log.user}: duplicate entry ids")
        audit_rows = len(audit.query(limit=10**9)) - audit_before if audit.path.exists() else 0
        written = sum(l.audits for l in logs)
        asks = [s for l in logs for s in l.ask_s]
        triages = [s for l in logs for s in l.triage_s]
        pins = [s for l in logs for s in l.pin_s]
        ms = 1000
        return SoakReport(
            sessions=sessions, seconds=round(elapsed, 1),
            sharing="one Retriever and one Triager shared by all sessions (as the app's cached resources); "
                    "one Assistant and one notebook per session",
            warmup_s=round(warmup, 1),
            ops=len(asks) + len(triages) + len(pins), asks=len(asks), triages=len(triages), pins=len(pins),
            audit_rows=audit_rows, errors=[e for l in logs for e in l.errors], lost_pins=lost,
            notebook_problems=problems, lost_audit_rows=max(0, written - audit_rows),
            answer_p50_ms=round(statistics.median(asks) * ms, 1) if asks else float("nan"),
            answer_p95_ms=round(percentile(asks, 95) * ms, 1), answer_max_ms=round(max(asks, default=float("nan")) * ms, 1),
            triage_p50_ms=round(statistics.median(triages) * ms, 1) if triages else float("nan"),
            triage_p95_ms=round(percentile(triages, 95) * ms, 1),
            pin_p50_ms=round(statistics.median(pins) * ms, 1) if pins else float("nan"),
            pin_p95_ms=round(percentile(pins, 95) * ms, 1),
            no_basis_answers=sum(l.no_basis for l in logs))
    finally:
        if scratch is not None:
            scratch.cleanup()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--data-dir", type=Path, default=None, help="the index to read (default: the configured data dir)")
    ap.add_argument("--state-dir", type=Path, default=None,
                    help="where notebooks and audit rows go (default: a temporary directory, removed after)")
    ap.add_argument("--llm", action="store_true", help="keep the configured LLM (default: offline answers)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    def progress(elapsed, asks):
        print(f"  {elapsed:5.0f} s: {asks} answers", file=sys.stderr, flush=True)

    report = soak(args.sessions, args.seconds, args.data_dir, args.state_dir, args.llm, progress=progress)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"soak: {report.sessions} sessions × {report.seconds:.0f} s ({report.sharing}); "
              f"warm-up (first answer and triage, untimed) {report.warmup_s:.1f} s")
        print(f"  operations {report.ops}: {report.asks} answers, {report.triages} triages, {report.pins} pins/notes; "
              f"{report.audit_rows} audit rows")
        print(f"  answer time p50 {report.answer_p50_ms:.0f} ms, p95 {report.answer_p95_ms:.0f} ms, "
              f"max {report.answer_max_ms:.0f} ms ({report.no_basis_answers} 'no basis' answers)")
        print(f"  triage p50 {report.triage_p50_ms:.0f} ms, p95 {report.triage_p95_ms:.0f} ms; "
              f"pin p50 {report.pin_p50_ms:.0f} ms, p95 {report.pin_p95_ms:.0f} ms")
        print(f"  errors {len(report.errors)}, lost pins {report.lost_pins}, lost audit rows {report.lost_audit_rows}, "
              f"notebook problems {len(report.notebook_problems)}")
        for line in (report.notebook_problems + report.errors)[:10]:
            print("   ", line.strip().replace("\n", "\n    "))
        print("  OK" if report.ok else "  FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
