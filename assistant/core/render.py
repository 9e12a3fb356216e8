"""The one way citations, versions and status are written, for the CLI, the app, answers,
LLM prompts and exports alike."""
from __future__ import annotations

from assistant.core.models import Chunk

STATUS_WORDS = {"current": "现行有效", "superseded": "已修订/废止"}
UNKNOWN_VERSION = "版本日期未知"


UNCONFIRMED = "未能确认是否现行"


def status_word(status: str, version: str | None = "") -> str:
    """现行有效 / 已修订/废止; a file without any date is not asserted to be in force."""
    if version is None and status == "current":
        return UNCONFIRMED
    return STATUS_WORDS.get(status, status)


def book_title(name: str) -> str:
    """《name》, a title inside it in 〈〉 as Chinese typesetting nests them: 《上海市实施〈中华人民共和国
    土地管理法〉办法》. Written 《上海市实施《中华人民共和国土地管理法》办法》, a reader (and the citation
    finder) ends the title at the inner 》 and cites the national law instead (19 titles of the library)."""
    return f"《{name.replace('《', '〈').replace('》', '〉')}》"


def title_in_book(written: str) -> str:
    """The library's title of a name read from between 《》 (inner 〈〉 back to 《》)."""
    return written.replace("〈", "《").replace("〉", "》")


def article_label(law: str, article: int | None = None, heading: str | None = None) -> str:
    """《上海市生活垃圾管理条例》第57条, or 《案例标题》基本案情 for a headed section."""
    where = f"第{article}条" if article is not None else (heading or "")
    return f"{book_title(law)}{where}"


def chunk_label(chunk: Chunk) -> str:
    return article_label(chunk.law, chunk.article, chunk.heading)


def version_text(version: str | None) -> str:
    return version or UNKNOWN_VERSION


def stated_in_force_text(date: str) -> str:
    """「（条文载明2011-05-15起施行）」: beside an unknown version, the date the text says it took effect."""
    return f"（条文载明{date}起施行）"


def version_line(chunk: Chunk) -> str:
    """2019-01-31版 · 上海 · 地方性法规 · 现行有效 (版本日期未知（条文载明2011-05-15起施行） · … ·
    未能确认是否现行)"""
    version = f"{chunk.version}版" if chunk.version else UNKNOWN_VERSION
    if not chunk.version and chunk.in_force_since:
        version += stated_in_force_text(chunk.in_force_since)
    return f"{version} · {chunk.jurisdiction} · {chunk.level} · {status_word(chunk.status, chunk.version)}"


VECTOR_STATES = {"missing": "未建立", "building": "构建中", "interrupted": "已中断（可续建）",
                 "stale": "待更新", "ready": "就绪"}


def vector_state_text(state: str) -> str:
    return VECTOR_STATES.get(state, state)
