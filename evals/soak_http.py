"""Soak over HTTP: concurrent sessions against the real app server on loopback (issue #13).

    python -m evals.soak_http [--sessions 20] [--seconds 120] [--client ws|browser] [--data-dir DIR] [--json]

Starts `streamlit run streamlit_app.py` on 127.0.0.1 over a COPY of `--data-dir`'s index (so the
users, notebooks and audit rows made here never reach a real data dir), creates one officer
account and notebook per session, and drives each session through the server's websocket:
`--client ws` (default) with Streamlit's own protocol (evals/st_client.py: the messages a browser
sends, without rendering), `--client browser` from its own context of one headless Chromium
(Debian's package, Playwright's async API) — on 2 cores twenty rendering pages starve the server,
so the browser client is for a few sessions. Until the time is up every session, as a person
would through the pages: signs in, asks a question on 法律问答 and waits for the finished answer,
pins it with 「收藏到笔记本」, goes to 诉件分拣, triages a complaint and pins the result, and comes
back; every few answers it clears the conversation.

Measured at the client: answer time from sending the question to the finished answer, triage
time from the click to the result, pin time from 「收藏」 to its confirmation.
Errors: a step that times out or fails, a Streamlit exception box or the app's 「出现内部错误」
message. At the end every notebook is read from SQLite and must hold exactly the pins the page
confirmed, at positions 0..n-1. Exit status 1 on any error or lost entry.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals.browser import CHROMIUM, CHROMIUM_ARGS, app_process_env, rss_mb, running_app
from evals.soak import COMPLAINTS, QUESTIONS, percentile

PASSWORD = "soak horse battery 7"
STEP_TIMEOUT_MS = 180_000  # one answer on 2 shared cores with 20 sessions and a browser: generous
CLEAR_EVERY = 4  # answers before 「清空对话」: a long chat re-renders every answer on each rerun
ERROR_TEXT = "出现内部错误"


@dataclass
class BrowserSession:
    user: str
    notebook: str
    ask_s: list[float] = field(default_factory=list)
    triage_s: list[float] = field(default_factory=list)
    pin_s: list[float] = field(default_factory=list)
    pins_confirmed: int = 0
    errors: list[str] = field(default_factory=list)


async def _sign_in(page, url: str, user: str) -> None:
    await page.goto(url + "/", wait_until="domcontentloaded")
    box = page.get_by_label("用户名")
    await box.wait_for()
    await box.fill(user)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_text(f"当前用户：{user}", exact=False).first.wait_for()


async def _nav(page, title: str) -> None:
    await page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()


async def _check_page(page, log: BrowserSession, step: str) -> None:
    if await page.locator('[data-testid="stException"]').count():
        log.errors.append(f"{log.user} {step}: Streamlit exception shown")
    if await page.get_by_text(ERROR_TEXT, exact=False).count():
        log.errors.append(f"{log.user} {step}: {ERROR_TEXT}")


async def _pin_newest(page, log: BrowserSession) -> None:
    """Open the newest 「收藏到笔记本」 popover, pin to the session's notebook, wait for 第 k 条."""
    await page.get_by_role("button", name=re.compile("收藏到笔记本")).last.click()
    go = page.get_by_role("button", name="收藏", exact=True)
    await go.wait_for()
    expected = f"已收藏到「{log.notebook}」（第 {log.pins_confirmed + 1} 条）"
    t = time.perf_counter()
    await go.click()
    await page.get_by_text(expected, exact=False).first.wait_for()
    log.pin_s.append(time.perf_counter() - t)
    log.pins_confirmed += 1


async def _ask(page, question: str, answers_shown: int, log: BrowserSession) -> None:
    box = page.get_by_placeholder("请输入问题", exact=False)
    await box.wait_for()
    await box.fill(question)
    t = time.perf_counter()
    await box.press("Enter")
    finished = page.get_by_text("复制答案", exact=True)
    while await finished.count() <= answers_shown:
        if time.perf_counter() - t > STEP_TIMEOUT_MS / 1000:
            raise TimeoutError(f"no answer to {question!r} within {STEP_TIMEOUT_MS / 1000:.0f} s")
        await page.wait_for_timeout(100)
    log.ask_s.append(time.perf_counter() - t)


async def _triage(page, complaint: str, log: BrowserSession) -> None:
    await _nav(page, "诉件分拣")
    area = page.get_by_label("诉件内容")
    await area.wait_for()
    await area.fill(complaint)
    await area.press("Tab")  # Streamlit commits a text area's value on blur; the button then enables
    button = page.get_by_role("button", name="分拣", exact=True)
    await button.wait_for()
    t = time.perf_counter()
    await button.click()
    # The result shows the (masked) complaint, which ends with this round's unique number.
    await page.get_by_text(complaint[-12:], exact=False).last.wait_for()
    await page.get_by_text("候选分类：", exact=False).first.wait_for()
    log.triage_s.append(time.perf_counter() - t)


async def _session(n: int, browser, url: str, deadline: float, log: BrowserSession) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        await _sign_in(page, url, log.user)
    except Exception as exc:  # noqa: BLE001 — counted and reported
        log.errors.append(f"{log.user} sign-in: {type(exc).__name__}: {str(exc)[:200]}")
        await context.close()
        return
    shown, rounds = 0, 0
    while time.monotonic() < deadline:
        rounds += 1
        question = QUESTIONS[(n + rounds) % len(QUESTIONS)]
        complaint = f"{COMPLAINTS[(n + rounds) % len(COMPLAINTS)]}（会话{n}第{rounds}次反映）"
        step = "ask"
        try:
            if shown >= CLEAR_EVERY:
                step = "clear"
                await page.get_by_role("button", name=re.compile("清空对话")).click()
                await page.get_by_text("可以这样问", exact=False).first.wait_for()
                shown = 0
            step = "ask"
            await _ask(page, question, shown, log)
            shown += 1
            await _check_page(page, log, step)
            if time.monotonic() >= deadline:
                break
            step = "pin answer"
            await _pin_newest(page, log)
            step = "triage"
            await _triage(page, complaint, log)
            await _check_page(page, log, step)
            step = "pin triage"
            await _pin_newest(page, log)
            step = "back to chat"
            await _nav(page, "法律问答")
            await page.get_by_placeholder("请输入问题", exact=False).wait_for()
        except Exception as exc:  # noqa: BLE001 — counted, then the session starts over from the chat
            log.errors.append(f"{log.user} {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            try:
                await page.goto(url + "/", wait_until="domcontentloaded")
                await _sign_in(page, url, log.user)
                shown = 0
            except Exception:  # noqa: BLE001
                break
    await context.close()


async def _warm_up(browser, url: str, user: str) -> float:
    """One session loads the index and answers once before the clock starts: the soak measures
    concurrent use, not the app's cold start (evals.coldstart measures that). The triage model
    is trained on the first triage of the process; the ws warm-up triages once too."""
    t = time.perf_counter()
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(600_000)
    await _sign_in(page, url, user)
    await _ask(page, QUESTIONS[0], 0, BrowserSession(user, ""))
    await context.close()
    return time.perf_counter() - t


async def _drive(url: str, logs: list[BrowserSession], seconds: float, warm_user: str) -> tuple[float, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = await _warm_up(browser, url, warm_user)
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(_session(n, browser, url, deadline, log) for n, log in enumerate(logs)))
        elapsed = time.monotonic() - start
        await browser.close()
    return elapsed, warm


# --- the same session through Streamlit's websocket protocol (evals/st_client.py) ------------------
async def _ws_sign_in(session, user: str):
    from evals import st_client as sc

    page = await session.run()
    page = await session.run(sc.text(page.widget("text_input", "用户名"), user),
                             sc.text(page.widget("text_input", "密码"), PASSWORD),
                             sc.click(page.widget("button", "登录")))
    if f"当前用户：{user}" not in page.texts():
        raise RuntimeError("sign-in did not take")
    return page


async def _ws_pin(session, page, log: BrowserSession):
    from evals import st_client as sc

    expected = f"已收藏到「{log.notebook}」（第 {log.pins_confirmed + 1} 条）"
    t = time.perf_counter()
    page = await session.run(sc.click(page.widget("button", "收藏", id_contains="pin-go-", last=True)))
    if expected not in page.texts():
        raise RuntimeError(f"no confirmation {expected!r}")
    log.pin_s.append(time.perf_counter() - t)
    log.pins_confirmed += 1
    return page


async def _ws_session(n: int, url: str, deadline: float, log: BrowserSession) -> None:
    from evals import st_client as sc

    rounds, shown, step = 0, 0, "connect"
    while time.monotonic() < deadline:
        try:
            async with sc.Session(url, timeout=STEP_TIMEOUT_MS / 1000) as session:
                step = "sign-in"
                page = await _ws_sign_in(session, log.user)
                shown = 0
                while time.monotonic() < deadline:
                    rounds += 1
                    question = QUESTIONS[(n + rounds) % len(QUESTIONS)]
                    complaint = f"{COMPLAINTS[(n + rounds) % len(COMPLAINTS)]}（会话{n}第{rounds}次反映）"
                    if shown >= CLEAR_EVERY:
                        step = "clear"
                        page = await session.run(sc.click(page.widget("button", "清空对话")))
                        shown = 0
                    step = "ask"
                    t = time.perf_counter()
                    page = await session.run(sc.chat(page.widget("chat_input"), question))
                    if len(page.of("code")) != shown + 1:  # each finished answer has its 「复制答案」 block
                        raise RuntimeError(f"{len(page.of('code'))} answers shown, expected {shown + 1}")
                    log.ask_s.append(time.perf_counter() - t)
                    shown += 1
                    log.errors += [f"{log.user} {step}: {e}" for e in page.errors]
                    if time.monotonic() >= deadline:
                        break
                    step = "pin answer"
                    page = await _ws_pin(session, page, log)
                    step = "triage"
                    page = await session.run(page="诉件分拣")
                    area = page.widget("text_area", "诉件内容")
                    page = await session.run(sc.text(area, complaint))
                    t = time.perf_counter()
                    page = await session.run(sc.text(area, complaint), sc.click(page.widget("button", "分拣")))
                    if complaint[-12:] not in page.texts() or "候选分类：" not in page.texts():
                        raise RuntimeError("no triage result for this complaint")
                    log.triage_s.append(time.perf_counter() - t)
                    log.errors += [f"{log.user} {step}: {e}" for e in page.errors]
                    step = "pin triage"
                    page = await _ws_pin(session, page, log)
                    step = "back to chat"
                    page = await session.run(page="法律问答")
        except Exception as exc:  # noqa: BLE001 — counted; the session reconnects and goes on
            log.errors.append(f"{log.user} {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}")


async def _drive_ws(url: str, logs: list[BrowserSession], seconds: float, warm_user: str) -> tuple[float, float]:
    from evals import st_client as sc

    t = time.perf_counter()
    async with sc.Session(url, timeout=600) as session:  # the index loads, answers and triages once first
        page = await _ws_sign_in(session, warm_user)
        await session.run(sc.chat(page.widget("chat_input"), QUESTIONS[0]))
        page = await session.run(page="诉件分拣")
        area = page.widget("text_area", "诉件内容")
        page = await session.run(sc.text(area, COMPLAINTS[0]))
        await session.run(sc.text(area, COMPLAINTS[0]), sc.click(page.widget("button", "分拣")))
    warm = time.perf_counter() - t
    start = time.monotonic()
    await asyncio.gather(*(_ws_session(n, url, start + seconds, log) for n, log in enumerate(logs)))
    return time.monotonic() - start, warm


@dataclass
class HttpSoakReport:
    sessions: int
    client: str
    seconds: float
    warmup_s: float
    elapsed_s: float
    asks: int
    triages: int
    pins_confirmed: int
    pins_stored: int
    lost_pins: int
    notebook_problems: list[str]
    errors: list[str]
    answer_p50_s: float
    answer_p95_s: float
    answer_max_s: float
    triage_p50_s: float
    triage_p95_s: float
    pin_p95_s: float
    app_rss_mb: float
    load_average: tuple[float, float, float]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.lost_pins and not self.notebook_problems

    def to_json(self) -> dict:
        return self.__dict__ | {"ok": self.ok, "error_count": len(self.errors), "errors": self.errors[:20]}


def _check_notebooks(state: Path, logs: list[BrowserSession]) -> tuple[int, int, list[str]]:
    from assistant.config import Settings
    from assistant.notebook.store import NotebookStore

    store = NotebookStore.for_settings(Settings(data_dir=state))
    stored, lost, problems = 0, 0, []
    for log in logs:
        info = store.find(log.notebook, log.user)
        entries = store.entries(info.id, log.user)
        stored += len(entries)
        if len(entries) < log.pins_confirmed:
            lost += log.pins_confirmed - len(entries)
        if [e.position for e in entries] != list(range(len(entries))):
            problems.append(f"{log.user}: positions {[e.position for e in entries]}")
        if len(entries) > log.pins_confirmed + 1:  # one pin may land as the clock stops, unconfirmed
            problems.append(f"{log.user}: {len(entries)} entries, {log.pins_confirmed} confirmed")
    return stored, lost, problems


def soak_http(sessions: int, seconds: float, data_dir: Path, corpus_path: Path | None = None,
              cache_path: Path | None = None, progress=print, server_log: Path | None = None,
              client: str = "ws") -> HttpSoakReport:
    from assistant.accounts.users import UserStore
    from assistant.config import Settings
    from assistant.notebook.store import NotebookStore

    with tempfile.TemporaryDirectory(prefix="soak-http-") as tmp:
        state = Path(tmp) / "data"
        progress(f"copying the index of {data_dir} …")
        shutil.copytree(Path(data_dir) / "index", state / "index")
        settings = Settings(data_dir=state)
        users, notebooks = UserStore.for_settings(settings), NotebookStore.for_settings(settings)
        users.add("soakwarm", PASSWORD, "officer")
        logs = []
        for n in range(sessions):
            log = BrowserSession(f"soak{n:02d}", f"压测笔记本{n:02d}")
            users.add(log.user, PASSWORD, "officer")
            notebooks.create(log.notebook, log.user)
            logs.append(log)
        env = app_process_env(state, corpus_path, cache_path)
        with running_app(env, timeout=180, log=server_log) as (url, proc):
            progress(f"app on {url}; {sessions} {client} sessions for {seconds:.0f} s …")
            drive = _drive_ws if client == "ws" else _drive
            elapsed, warm = asyncio.run(drive(url, logs, seconds, "soakwarm"))
            rss = rss_mb(proc.pid)
            load = os.getloadavg()
        stored, lost, problems = _check_notebooks(state, logs)
    ask = [s for log in logs for s in log.ask_s]
    triage = [s for log in logs for s in log.triage_s]
    pin = [s for log in logs for s in log.pin_s]
    return HttpSoakReport(
        sessions=sessions, client=client, seconds=seconds, warmup_s=round(warm, 1), elapsed_s=round(elapsed, 1), asks=len(ask), triages=len(triage),
        pins_confirmed=sum(log.pins_confirmed for log in logs), pins_stored=stored, lost_pins=lost,
        notebook_problems=problems, errors=[e for log in logs for e in log.errors],
        answer_p50_s=round(statistics.median(ask), 2) if ask else float("nan"),
        answer_p95_s=round(percentile(ask, 95), 2), answer_max_s=round(max(ask), 2) if ask else float("nan"),
        triage_p50_s=round(statistics.median(triage), 2) if triage else float("nan"),
        triage_p95_s=round(percentile(triage, 95), 2), pin_p95_s=round(percentile(pin, 95), 2),
        app_rss_mb=round(rss), load_average=tuple(round(x, 1) for x in load))


def main(argv: list[str] | None = None) -> int:
    from assistant.config import Settings

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--data-dir", type=Path, default=None, help="whose index to copy (default: the configured data dir)")
    ap.add_argument("--client", choices=["ws", "browser"], default="ws",
                    help="Streamlit's websocket protocol (default) or headless Chromium pages")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--server-log", type=Path, default=None, help="write the app server's output here")
    args = ap.parse_args(argv)
    if args.client == "browser" and not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei")
        return 2
    settings = Settings()
    data_dir = args.data_dir or settings.data_dir
    if not (Path(data_dir) / "index").exists():
        print(f"no index in {data_dir}: run `assistant ingest` first")
        return 2
    report = soak_http(args.sessions, args.seconds, data_dir, settings.corpus_path, settings.cache_dir,
                       progress=lambda m: print(m, file=sys.stderr), server_log=args.server_log,
                       client=args.client)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"warm-up (index load and a first answer) {report.warmup_s} s")
        print(f"{report.sessions} {report.client} sessions on loopback, {report.elapsed_s} s: {report.asks} answers, "
              f"{report.triages} triages, {report.pins_confirmed} pins confirmed / {report.pins_stored} stored")
        print(f"  errors {len(report.errors)}, lost pins {report.lost_pins}, notebook problems {len(report.notebook_problems)}")
        print(f"  answer p50 {report.answer_p50_s} s, p95 {report.answer_p95_s} s, max {report.answer_max_s} s; "
              f"triage p50 {report.triage_p50_s} s, p95 {report.triage_p95_s} s; pin p95 {report.pin_p95_s} s")
        print(f"  app RSS {report.app_rss_mb} MB, load average {report.load_average}")
        for e in report.errors[:10]:
            print("  !", e)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
