"""A user's own documents (.txt .md .docx .pdf) → Document with headed sections."""
from __future__ import annotations

import io
import itertools
import re
from pathlib import PurePosixPath

from assistant.core.legaltext import ARTICLE_START, cn_int, fold_digits
from assistant.core.models import Document, Section
from ingestion.read import SourceError, decode_text

USER_DOC_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
# Lines that read as headings in plain text: markdown #, 「一、」「（一）」「第一章」, or 「问：」 in a Q&A guide.
TEXT_HEADING = re.compile(r"^(#{1,6}\s+.+|[一二三四五六七八九十]+、.{1,40}|第[一二三四五六七八九十百]+[章节部分].{0,40}|问[:：].+"
                          r"|【?(?:基本案情|案情简介|处理结果|处理情况|处理决定|裁判结果|裁判要旨|典型意义|案例评析|法律依据)】?[:：]?)$")
# A typical case (典型案例) is written in these parts: the facts, then how it was decided or why it matters.
CASE_FACTS = ("基本案情", "案情简介", "案情")
CASE_OUTCOME = ("处理结果", "处理情况", "处理决定", "裁判结果", "裁判要旨", "典型意义", "案例评析")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])\s*")


def parse_user_doc(data: bytes, rel_path: str) -> Document:
    name = PurePosixPath(rel_path).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in USER_DOC_SUFFIXES:
        raise SourceError(f"{name}: 不支持的文件类型（支持 .txt .md .docx .pdf）")
    if suffix in (".docx", ".pdf"):
        # Read as text files are (decode_text): a time limit typed 「１５日内」 is a number.
        lines = [fold_digits(line) for line in (_docx_lines if suffix == ".docx" else _pdf_lines)(data, name)]
    else:
        lines = decode_text(data, name).replace("\r\n", "\n").split("\n")
    regulation = regulation_from_lines(lines, rel_path)
    if regulation is not None:
        return regulation
    sections = sections_from_lines(lines)
    if not sections:
        raise SourceError(f"{name}: 没有可提取的文字")
    title = PurePosixPath(name).stem
    if is_typical_case(sections):
        return Document(path=rel_path, title=_case_title(lines, title), kind="case", level="案例",
                        jurisdiction="内部", version=None, sections=sections)
    return Document(path=rel_path, title=title, kind="user_doc", level="内部文件",
                    jurisdiction="内部", version=None, sections=sections)


def _part_name(heading: str) -> str:
    return _ORDINAL.sub("", heading.strip("【】:：# ")).strip("【】:： ")


def is_typical_case(sections: list[Section]) -> bool:
    """基本案情 and one of 处理结果 / 裁判结果 / 裁判要旨 / 典型意义 … among the headings."""
    names = [_part_name(s.heading) for s in sections]
    return any(n.startswith(CASE_FACTS) for n in names) and any(n.startswith(CASE_OUTCOME) for n in names)


def _case_title(lines: list[str], fallback: str) -> str:
    """The case's name: its first line when that is a title (「张某占道经营案」), else the file name."""
    first = next((line.strip().lstrip("#").strip() for line in lines if line and line.strip()), "")
    if 2 <= len(first) <= 60 and not TEXT_HEADING.match(first) and not first.endswith(("。", "；", "：")) \
            and not _part_name(first).startswith(CASE_FACTS + CASE_OUTCOME):
        return first
    return fallback


# A regulation typed into Word or a text file: at least this many 「第N条 」 paragraphs with rising
# numbers. Three, because a memo quoting one or two articles is not a regulation.
MIN_ARTICLES = 3
TITLE_WORDS = re.compile(r"(条例|办法|规定|细则|规则|决定|法|标准|通知|意见)$")
HEADING_LINE = re.compile(r"^(第[一二三四五六七八九十百]+[章节编]|附则|总则)")


def regulation_from_lines(lines: list[str], rel_path: str) -> Document | None:
    """A document written as articles (第一条 …, 第二条 …) → a Document with articles, so its
    articles are cited by number like the library's; None when it is not written that way.

    The lines are rewritten into the LawRefBook shape (title, dated history, marker, `##`
    headings, one article per paragraph) and parsed by the library's own parser, so uploaded
    and shipped regulations cannot drift apart. It stays in the 内部 jurisdiction with level
    「内部文件」: the team uploaded it, the official library did not ship it."""
    from ingestion.lawref import HISTORY_DATE, parse_lawref

    stripped = [line.strip() for line in lines if line and line.strip()]
    starts = [i for i, line in enumerate(stripped) if ARTICLE_START.match(line.lstrip("# "))]
    numbers = [cn_int(ARTICLE_START.match(stripped[i].lstrip("# ")).group(2)) for i in starts]
    rising = sum(1 for a, b in itertools.pairwise(numbers) if b > a)
    if len(starts) < MIN_ARTICLES or rising < MIN_ARTICLES - 1:
        return None
    head, body = stripped[: starts[0]], stripped[starts[0]:]
    title = PurePosixPath(rel_path).stem
    history, preamble = [], []
    for line in head:
        text = line.lstrip("#").strip()
        dated = text.strip("（）() ")
        if HISTORY_DATE.match(dated):
            history.append(dated)
        elif title == PurePosixPath(rel_path).stem and len(text) <= 60 and TITLE_WORDS.search(text) \
                and not HEADING_LINE.match(text):
            title = text
        elif HEADING_LINE.match(text) or line.startswith("#"):
            preamble.append(f"## {text}")
        else:
            preamble.append(text)
    out = [f"# {title}", "", *[h + "\n" for h in history], "<!-- INFO END -->", ""]
    for line in preamble + body:
        text = line.lstrip("#").strip()
        if ARTICLE_START.match(text):
            out += [text, ""]
        elif line.startswith("#") or (HEADING_LINE.match(text) and len(text) <= 40):
            out += [f"## {text}", ""]
        else:
            out += [text, ""]
    doc = parse_lawref("\n".join(out), rel_path)
    if not doc.articles:
        return None
    doc.level, doc.jurisdiction = "内部文件", "内部"
    return doc


def sections_from_lines(lines: list[str]) -> list[Section]:
    sections: list[Section] = []
    heading, paras = "正文", []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if TEXT_HEADING.match(line) and len(line) <= 60:
            if paras:
                sections.append(Section(heading, "\n".join(paras)))
                paras = []
            heading = line.lstrip("#").strip()
        else:
            paras.append(line)
    if paras:
        sections.append(Section(heading, "\n".join(paras)))
    return sections


def _docx_lines(data: bytes, name: str) -> list[str]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — python-docx raises several types for a broken file
        raise SourceError(f"{name}: 无法读取 Word 文件（{type(exc).__name__}）") from None
    lines = []
    for para in document.paragraphs:
        style = (para.style.name or "").lower() if para.style is not None else ""
        text = para.text.strip()
        # Word headings become markdown headings so the same splitter handles them.
        lines.append(f"# {text}" if style.startswith("heading") and text else text)
    return lines


def _pdf_lines(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception as exc:  # noqa: BLE001 — pypdf raises many error types for damaged files
        raise SourceError(f"{name}: 无法读取 PDF 文件（{type(exc).__name__}）") from None
    return text.split("\n")

