"""Parse one LawRefBook markdown file into a Document (pure: text in, Document out).

Format (see ../shared/corpus/README.md): `# 标题`, dated history lines, the header-end marker,
then `##`/`###` headings and one article per paragraph starting `第N条`; an article's further
paragraphs (款) and `（一）` items (项) follow until the next article.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from assistant.core.legaltext import ARTICLE_START, CN_NUM, ITEM_START, cn_int
from assistant.core.models import Article, Document, HistoryEvent, Paragraph, Section
from ingestion.read import SourceError

# Regex rather than a markdown library: the format is line-based and the only structure we
# need is headings, the marker and paragraph starts.
INFO_MARKER = re.compile(r"^\s*<!--\s*INFO\s+END\s*-->\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
HISTORY_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")
FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
HISTORY_KINDS = ("施行", "修订", "修正", "公布", "通过")

LEVEL_BY_FOLDER = {
    "地方性法规": "地方性法规",
    "行政法规": "行政法规",
    "司法解释": "司法解释",
    "案例": "案例",
}


def classify_path(rel_path: str) -> tuple[str, str, str]:
    """(kind, level, jurisdiction) from the LawRefBook folder layout."""
    parts = PurePosixPath(rel_path).parts
    jurisdiction = "全国"
    if "DLC" in parts:
        region = parts[parts.index("DLC") + 1] if len(parts) > parts.index("DLC") + 1 else ""
        jurisdiction = region.removesuffix("地方法规") or "地方"
    level = "法律"
    for folder in parts[:-1]:
        if folder in LEVEL_BY_FOLDER:
            level = LEVEL_BY_FOLDER[folder]
            break
    kind = "case" if level == "案例" else "law"
    return kind, level, jurisdiction


def version_from_name(name: str) -> str | None:
    m = FILE_DATE.search(name)
    return m.group(1) if m else None


def version_from_history(history: list[HistoryEvent]) -> str | None:
    """An undated file is dated by its latest 通过/修正/修订/公布 line (the text it holds)."""
    dates = [h.date for h in history if h.kind in ("通过", "修正", "修订", "公布")]
    return max(dates) if dates else None


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, each stripped of surrounding whitespace."""
    paras, buf = [], []
    for line in lines:
        if line.strip():
            buf.append(line.strip())
        elif buf:
            paras.append("".join(buf) if len(buf) == 1 else "\n".join(buf))
            buf = []
    if buf:
        paras.append("\n".join(buf))
    return paras


def _history(paras: list[str]) -> list[HistoryEvent]:
    events: list[HistoryEvent] = []
    for para in paras:
        for line in para.split("\n"):
            m = HISTORY_DATE.match(line)
            if m:
                y, mo, d = (int(g) for g in m.groups())
                kind = next((k for k in HISTORY_KINDS if k in line), "其他")
                events.append(HistoryEvent(f"{y:04d}-{mo:02d}-{d:02d}", kind, line.strip()))
            elif events:  # a wrapped history line continues the previous event
                prev = events[-1]
                text = prev.text + line.strip()
                kind = next((k for k in HISTORY_KINDS if k in text), prev.kind)
                events[-1] = HistoryEvent(prev.date, kind, text)
    return events


# 「本条例自2011年5月15日起施行」: the date the text itself says it took effect.
STATED_IN_FORCE = re.compile(r"本(?:条例|规定|办法|细则|决定|法)自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")


def stated_in_force(articles: list[Article]) -> HistoryEvent | None:
    """The 施行 date stated by the text's own (last) article that states one, as a history
    event; None when none does. For a file without dates it is all that says how old the
    text is (not which version: an amended text keeps its first 施行 date)."""
    for article in reversed(articles):
        m = STATED_IN_FORCE.search(article.text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return HistoryEvent(f"{y:04d}-{mo:02d}-{d:02d}", "施行", f"条文载明：{m.group(0)}")
    return None


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def looks_like_lawref(text: str) -> bool:
    """A `# ` title first, then the header-end marker or an article paragraph."""
    lines = [l.strip() for l in text.split("\n") if l.strip()]
    if not lines or not lines[0].startswith("# "):
        return False
    return any(INFO_MARKER.match(l) or ARTICLE_START.match(l) for l in lines[1:400])


def parse_lawref(text: str, rel_path: str) -> Document:
    """Parse a LawRefBook markdown document. Raises SourceError when it is not one."""
    name = PurePosixPath(rel_path).name
    if not text.strip():
        raise SourceError(f"{name}: 文件为空")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title_idx = next((i for i, l in enumerate(lines) if l.strip()), None)
    m = HEADING.match(lines[title_idx].strip()) if title_idx is not None else None
    if not m or len(m.group(1)) != 1:
        raise SourceError(f"{name}: 第一行不是“# 标题”，不是 LawRefBook 格式的法规文件")
    title = _clean_heading(m.group(2))
    kind, level, jurisdiction = classify_path(rel_path)

    body_start = title_idx + 1
    marker_idx = next((i for i, l in enumerate(lines) if INFO_MARKER.match(l)), None)
    if marker_idx is not None:
        head_lines, body_lines = lines[body_start:marker_idx], lines[marker_idx + 1 :]
    else:
        # No marker: the header runs until the first heading or article paragraph.
        end = next(
            (i for i in range(body_start, len(lines))
             if HEADING.match(lines[i].strip()) or ARTICLE_START.match(lines[i].strip())),
            len(lines),
        )
        head_lines, body_lines = lines[body_start:end], lines[end:]

    # A second `# ` heading in the header (民法典's `# 物权编`) is a part heading, not history.
    head_paras = _paragraphs(head_lines)
    part_heading = next((p[2:].strip() for p in head_paras if p.startswith("# ")), None)
    doc = Document(
        path=rel_path, title=title, kind=kind, level=level, jurisdiction=jurisdiction,
        version=version_from_name(name), history=_history([p for p in head_paras if not p.startswith("#")]),
    )
    if doc.version is None:
        doc.version = version_from_history(doc.history)
    if kind == "case":
        doc.sections = _case_sections(body_lines)
    else:
        doc.articles = _articles(body_lines, part_heading)
        if doc.version is None and not doc.history and (stated := stated_in_force(doc.articles)):
            doc.history.append(stated)
        if not doc.articles:  # a 决定 numbered 一、二、 instead of 第N条: its points, not nothing
            doc.sections = _numbered_points(body_lines)
    return doc


POINT_START = re.compile(rf"^([{CN_NUM}]+)、\s*")


def _numbered_points(body_lines: list[str]) -> list[Section]:
    """「一、……」 paragraphs (with the paragraphs that follow each) as sections 第一点, 第二点 …;
    the preamble before the first point is its own section."""
    sections: list[Section] = []
    heading, buf = "序言", []
    for para in _paragraphs(body_lines):
        m = POINT_START.match(para)
        if m:
            if buf:
                sections.append(Section(heading, "\n".join(buf)))
            heading, buf = f"第{m.group(1)}点", [para]
        elif not HEADING.match(para):
            buf.append(para)
    if buf:
        sections.append(Section(heading, "\n".join(buf)))
    return sections if len(sections) > 1 else []


def _articles(body_lines: list[str], part_heading: str | None) -> list[Article]:
    articles: list[Article] = []
    headings: dict[int, str] = {}  # markdown depth -> heading text
    if part_heading:
        headings[1] = part_heading
    current: Article | None = None
    for para in _paragraphs(body_lines):
        hm = HEADING.match(para) if "\n" not in para else None
        if hm:
            depth = len(hm.group(1))
            headings = {d: t for d, t in headings.items() if d < depth}
            headings[depth] = _clean_heading(hm.group(2))
            current = None
            continue
        am = ARTICLE_START.match(para)
        if am:
            number = cn_int(am.group(2))
            # Numbers only go up; a paragraph that merely begins with a reference to an
            # earlier article (「第五条 规定的……」) stays inside the current article.
            if current is None or number > current.number or (am.group(3) and number == current.number):
                chapter, section = _place(headings)
                current = Article(number, am.group(1), [Paragraph(am.group(4).strip())], chapter, section)
                articles.append(current)
                continue
        if current is None:
            continue  # preamble text outside any article
        if ITEM_START.match(para) and current.paragraphs:
            current.paragraphs[-1].items.append(para)
        else:
            current.paragraphs.append(Paragraph(para))
    return articles


def _place(headings: dict[int, str]) -> tuple[str | None, str | None]:
    """(chapter, section): the chapter is the deepest 编/章 heading, the section a 节 heading."""
    chapter = section = None
    for _, text in sorted(headings.items()):
        if re.match(rf"^第[{CN_NUM}\d]+节", text):
            section = text
        else:
            chapter = text
    return chapter, section


def _case_sections(body_lines: list[str]) -> list[Section]:
    sections: list[Section] = []
    heading, buf = "正文", []
    for para in _paragraphs(body_lines):
        hm = HEADING.match(para) if "\n" not in para else None
        if hm:
            if buf:
                sections.append(Section(heading, "\n".join(buf)))
            heading, buf = _clean_heading(hm.group(2)), []
        else:
            buf.append(para)
    if buf:
        sections.append(Section(heading, "\n".join(buf)))
    return sections
