"""A notebook as Markdown or DOCX: every entry in order, each with its citations written out
(law, article and version), and a list of all citations at the end.

Notes are the user's markdown, kept as written except that raw HTML, images and links are made
inert (`defang_markdown`), as on the page: an exported note opened in a markdown viewer runs no
script and fetches nothing."""
from __future__ import annotations

import io
import re
import time
from pathlib import Path

from assistant.core.safetext import defang_markdown, escape_markdown
from assistant.notebook.models import Citation, Entry, NotebookInfo

FORMATS = {".md": "markdown", ".markdown": "markdown", ".docx": "docx"}
# Not allowed in XML 1.0 (python-docx refuses them): control characters, lone surrogates, U+FFFE/F.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TYPES = {"single": "单选", "multi": "多选", "judge": "判断", "blank": "填空", "case": "案例分析"}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"无法导出为「{suffix or '无后缀'}」：文件名请以 .docx（Word）或 .md（Markdown）结尾")
    return FORMATS[suffix]


def entry_markdown(entry: Entry) -> str:
    """The entry's body as markdown (without its title and citations)."""
    p = entry.payload
    if entry.kind == "note":
        return defang_markdown(p.get("text", ""))
    if entry.kind == "answer":
        return p.get("markdown") or p.get("conclusion", "")
    if entry.kind == "hit":
        quote = "\n> ".join(escape_markdown(str(p.get("text", ""))).split("\n"))
        return f"{p.get('version_line', '')}\n\n> {quote}"
    if entry.kind == "triage":
        return "\n\n".join(_triage_markdown(r) for r in p.get("group", [p]))
    if entry.kind == "question_set":
        return "\n\n".join(_question_markdown(n, q) for n, q in enumerate(p.get("questions", []), 1))
    return str(p.get("text", ""))


def _triage_markdown(r: dict) -> str:
    lines = [f"> {line}" for line in escape_markdown(str(r.get("masked_text", ""))).split("\n")]
    lines.append("")
    lines.append(f"- 分类：{r.get('label') or '未能分类'}（置信度 {float(r.get('confidence') or 0):.2f}）")
    if r.get("department"):
        lines.append(f"- 主管部门：{r['department']}")
    if r.get("route"):
        lines.append(f"- 转办：{r['route']}")
    if r.get("needs_review"):
        lines.append("- 需人工复核" + (f"：{r['message']}" if r.get("message") else ""))
    return "\n".join(lines)


def _question_markdown(n: int, q: dict) -> str:
    e = escape_markdown
    lines = [f"{n}. （{_TYPES.get(q.get('type'), q.get('type') or '题')}）{e(str(q.get('stem', '')))}"]
    for letter, text in (q.get("options") or {}).items():
        lines.append(f"   - {e(str(letter))}. {e(str(text))}")
    answer = q.get("answer")
    answer = ("正确" if answer else "错误") if isinstance(answer, bool) else answer
    lines.append(f"   - 答案：{e(str(answer))}")
    if q.get("explanation"):
        lines.append(f"   - 解析：{e(str(q['explanation']))}")
    return "\n".join(lines)


def all_citations(entries: list[Entry]) -> list[Citation]:
    return list(dict.fromkeys(c for e in entries for c in e.citations))


def _sources_line(sources) -> str | None:
    return ("来源：" + "；".join(s.label() for s in sources)) if sources else None


def to_markdown(info: NotebookInfo, entries: list[Entry], sources=()) -> str:
    out = [f"# {info.name}", "",
           f"所有者：{info.owner} · 共 {len(entries)} 条 · 导出时间：{time.strftime('%Y-%m-%d %H:%M')}", ""]
    if line := _sources_line(sources):
        out += [escape_markdown(line), ""]
    for n, e in enumerate(entries, 1):
        out += [f"## {n}. {e.title}", "", entry_markdown(e), ""]
        if e.citations:
            out.append("**引用：**")
            out += [f"- {c.label()}" for c in e.citations]
            out.append("")
    cites = all_citations(entries)
    if cites:
        out += ["---", "", "## 引用汇总（法规 · 条 · 版本）", ""]
        out += [f"- {c.label()}" for c in cites]
    return "\n".join(out).rstrip() + "\n"


def to_docx_bytes(info: NotebookInfo, entries: list[Entry], sources=()) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(_xml(info.name), level=0)
    document.add_paragraph(_xml(f"所有者：{info.owner} · 共 {len(entries)} 条 · 导出时间：{time.strftime('%Y-%m-%d %H:%M')}"))
    if line := _sources_line(sources):
        document.add_paragraph(_xml(line))
    for n, e in enumerate(entries, 1):
        document.add_heading(_xml(f"{n}. {e.title}"), level=1)
        _markdown_into(document, entry_markdown(e))
        if e.citations:
            document.add_paragraph().add_run("引用：").bold = True
            for c in e.citations:
                document.add_paragraph(_xml(c.label()), style="List Bullet")
    cites = all_citations(entries)
    if cites:
        document.add_heading("引用汇总（法规 · 条 · 版本）", level=1)
        for c in cites:
            document.add_paragraph(_xml(c.label()), style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def export(info: NotebookInfo, entries: list[Entry], path: str | Path, sources=()) -> Path:
    path = Path(path)
    fmt = format_for(path)
    data = (to_docx_bytes(info, entries, sources) if fmt == "docx"
            else to_markdown(info, entries, sources).encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _xml(text: str) -> str:
    return _XML_BAD.sub("", str(text))


_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD = re.compile(r"(?<!\\)\*\*")  # a ** that is not an escaped \*
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")


def _markdown_into(document, text: str) -> None:
    """A small markdown → Word mapping: headings, list items, quotes and **bold**; the rest is
    written as plain paragraphs (nothing is dropped)."""
    for raw in text.split("\n"):
        line = _xml(raw.rstrip())
        if not line.strip():
            continue
        if m := _HEADING.match(line):
            document.add_heading(_unescape(m.group(2)), level=min(len(m.group(1)) + 1, 6))
            continue
        style = None
        if line.lstrip().startswith(">"):
            line, style = line.lstrip()[1:].strip(), "Quote"
        elif m := _BULLET.match(line):
            line, style = m.group(1), "List Bullet"
        para = document.add_paragraph(style=style)
        for i, part in enumerate(_BOLD.split(line)):
            if part:
                para.add_run(_unescape(part)).bold = i % 2 == 1


def _unescape(text: str) -> str:
    """Markdown escapes (\\* \\_ …) and the entities defang_markdown wrote, back to plain text:
    a Word document renders nothing."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\1", text).replace("&lt;", "<").replace("&gt;", ">")
