"""A user's own documents (.txt .md .docx .pdf) → Document with headed sections."""
from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from assistant.core.models import Document, Section
from ingestion.read import SourceError, decode_text

USER_DOC_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
# Lines that read as headings in plain text: markdown #, 「一、」「（一）」「第一章」, or 「问：」 in a Q&A guide.
TEXT_HEADING = re.compile(r"^(#{1,6}\s+.+|[一二三四五六七八九十]+、.{1,40}|第[一二三四五六七八九十百]+[章节部分].{0,40}|问[:：].+)$")


def parse_user_doc(data: bytes, rel_path: str) -> Document:
    name = PurePosixPath(rel_path).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in USER_DOC_SUFFIXES:
        raise SourceError(f"{name}: 不支持的文件类型（支持 .txt .md .docx .pdf）")
    if suffix == ".docx":
        lines = _docx_lines(data, name)
    elif suffix == ".pdf":
        lines = _pdf_lines(data, name)
    else:
        lines = decode_text(data, name).replace("\r\n", "\n").split("\n")
    sections = sections_from_lines(lines)
    if not sections:
        raise SourceError(f"{name}: 没有可提取的文字")
    title = PurePosixPath(name).stem
    return Document(path=rel_path, title=title, kind="user_doc", level="内部文件",
                    jurisdiction="内部", version=None, sections=sections)


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
    except Exception as exc:  # python-docx raises several types for a broken file
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
    except Exception as exc:  # pypdf raises many error types for damaged files
        raise SourceError(f"{name}: 无法读取 PDF 文件（{type(exc).__name__}）") from None
    return text.split("\n")

