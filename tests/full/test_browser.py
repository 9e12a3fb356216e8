"""A real headless Chromium (Debian's package) drives the running app: ask a question in the chat
and see a cited article on the page."""
from __future__ import annotations

import os
import shutil

import pytest

from assistant.config import REPO_ROOT
from tests.full.conftest import app_env, launch_chromium, running_app

pytestmark = pytest.mark.browser
REPO = REPO_ROOT


@pytest.fixture
def app_url(built):
    with running_app(app_env(built)) as url:
        yield url


def test_ask_in_browser_and_see_cited_article(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
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


def test_triage_spreadsheet_upload_in_browser(app_url, tmp_path):
    """Upload a spreadsheet on 诉件分拣: preview, column picker, progress, charts, XLSX download."""
    from openpyxl import Workbook, load_workbook
    from playwright.sync_api import sync_playwright

    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "诉件内容"])
    rows = ["徐汇区漕溪北路每天晚上都有人摆地摊卖烧烤", "闵行区楼上装修把承重墙敲掉了", "=HYPERLINK(\"http://x\")",
            "小区物业费太贵了", "浦东新区工地凌晨两点还在打桩"]
    for i, text in enumerate(rows, 1):
        ws.append([i, text])
    ws.cell(row=4, column=2).data_type = "s"  # a text cell that starts with "=", not a formula
    upload = tmp_path / "诉件 测试.xlsx"
    wb.save(upload)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.goto(app_url + "/triage", wait_until="domcontentloaded")
        page.get_by_role("tab", name="批量分拣（表格）").click()
        page.locator("input[type=file]").set_input_files(str(upload))
        page.get_by_text("共 5 行", exact=False).wait_for(timeout=60_000)
        page.get_by_role("button", name="开始分拣").click()
        page.get_by_text("完成：5 条").wait_for(timeout=90_000)
        page.get_by_text("按分类").wait_for()
        with page.expect_download() as info:
            page.get_by_role("button", name="下载分拣结果（XLSX）").click()
        target = tmp_path / "out.xlsx"
        info.value.save_as(target)
        page.screenshot(path=str(tmp_path / "triage.png"), full_page=True)
        browser.close()
    values = list(load_workbook(target).active.iter_rows(values_only=True))
    header = values[0]
    assert len(values) == 6 and "分类代码" in header
    labels = [r[header.index("分类代码")] for r in values[1:]]
    assert labels[0] == "street_vending" and labels[1] == "load_bearing_structure"
    assert values[3][1] == "'=HYPERLINK(\"http://x\")"
