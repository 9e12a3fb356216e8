"""A real headless Chromium (Debian's package) drives the running app: ask a question in the chat
and see a cited article on the page."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(built, tmp_path):
    port = _free_port()
    env = os.environ | {"ASSISTANT_DATA_DIR": str(built.data_dir), "ASSISTANT_CORPUS_PATH": str(built.corpus_path),
                        "ASSISTANT_CACHE_PATH": str(built.cache_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_ask_in_browser_and_see_cited_article(app_url, tmp_path):
    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by scripts/test.sh"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(app_url + "/", wait_until="domcontentloaded")
        box = page.get_by_placeholder("请输入问题", exact=False)
        box.wait_for(timeout=60_000)
        box.fill("个人垃圾混投拒不改正罚多少？")
        box.press("Enter")
        page.get_by_text("《上海市生活垃圾管理条例》第57条", exact=False).first.wait_for(timeout=90_000)
        page.get_by_text("复制答案").first.wait_for(timeout=60_000)  # the finished, re-rendered answer
        page.locator("summary", has_text="《上海市生活垃圾管理条例》第57条").first.click()
        page.get_by_text("五十元以上二百元以下", exact=False).first.wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        if os.environ.get("ASSISTANT_KEEP_SCREENSHOT"):
            shutil.copyfile(tmp_path / "chat.png", os.environ["ASSISTANT_KEEP_SCREENSHOT"])
        assert "50–200 元" in page.content()
        browser.close()
