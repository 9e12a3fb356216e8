"""A real headless Chromium (Debian's package) drives the 题库生成 page: generate a paper from a
regulation of the small test corpus, see the questions, download the Word paper and open it with
python-docx (header 姓名/得分, numbered questions, then the answer sheet with 解析)."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from assistant.config import REPO_ROOT
from tests.full.conftest import app_env, launch_chromium, running_app

pytestmark = pytest.mark.browser
REPO = REPO_ROOT
LAW = "上海市生活垃圾管理条例"  # in tests/full/conftest.py SMALL_CORPUS_FILES


def _plain(text: str) -> str:
    """Text without spaces and markdown escapes (the page escapes 「*」 and collapses 「（  ）」)."""
    return re.sub(r"[\s\\]", "", text)


@pytest.fixture
def app_url(built, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(built.data_dir, data)  # the paper history written by the page stays in tmp_path
    with running_app(app_env(built, data)) as url:
        yield url


def test_generate_paper_in_browser_and_download_docx(app_url, tmp_path):
    from docx import Document
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.goto(app_url + "/exams", wait_until="domcontentloaded")
        page.get_by_role("heading", name="题库生成").wait_for(timeout=60_000)
        page.get_by_role("button", name="生成试卷").wait_for(timeout=60_000)
        # the law is chosen: the page's default, shown as a tag of the multiselect
        laws = page.locator("[data-testid='stMultiSelect']").first
        laws.wait_for(timeout=30_000)
        assert LAW in laws.inner_text()
        page.get_by_role("button", name="生成试卷").click()
        page.get_by_text("【单选】", exact=False).first.wait_for(timeout=120_000)
        page.get_by_text("【判断】", exact=False).first.wait_for(timeout=30_000)
        page.get_by_text(f"《{LAW}》", exact=False).first.wait_for(timeout=30_000)  # each question's source
        first_stem = page.locator("p", has_text="1.【").first.inner_text()
        download_button = page.get_by_role("button", name="下载 Word 试卷（DOCX）")
        download_button.wait_for(timeout=30_000)
        with page.expect_download() as info:
            download_button.click()
        target = tmp_path / "paper.docx"
        info.value.save_as(target)
        filename = info.value.suggested_filename
        page.screenshot(path=str(tmp_path / "exam.png"), full_page=True)
        if os.environ.get("ASSISTANT_KEEP_SCREENSHOT"):
            shutil.copyfile(tmp_path / "exam.png", os.environ["ASSISTANT_KEEP_SCREENSHOT"])
        browser.close()

    assert filename.endswith(".docx") and LAW in filename
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    text = "\n".join(paragraphs)
    assert LAW in paragraphs[0]  # the title
    header = next(p for p in paragraphs if p.startswith("姓名"))
    assert "得分" in header
    assert any(p.startswith("一、") and "题（共" in p for p in paragraphs)  # 一、单项选择题（共5题，每题…分…）
    numbered = [p for p in paragraphs if re.match(r"^\d+\. ", p)]
    assert numbered, "the questions are numbered"
    # the question shown first on the page is question 1 of the paper
    stem_page = _plain(first_stem.split("】", 1)[1])[:40]
    first_docx = next(p for p in paragraphs if p.startswith("1. "))
    assert _plain(first_docx.removeprefix("1. ")).startswith(stem_page), (stem_page, first_docx)
    sheet = paragraphs.index("参考答案与解析")
    assert sheet > paragraphs.index(header)
    answers = paragraphs[sheet:]
    assert any(re.match(r"^1\. (参考)?答案：", p) for p in answers)
    explanations = [p for p in answers if p.startswith("解析：")]
    sources = [p for p in answers if p.startswith("出处：")]
    questions_total = int(re.search(r"本卷共 (\d+) 题", text).group(1))
    assert len(explanations) == len(sources) == questions_total > 0
    assert all(f"《{LAW}》" in s for s in sources)
