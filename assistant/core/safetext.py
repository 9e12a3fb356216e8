"""Text from complaints, uploaded documents and language models, made safe to show as markdown.

Streamlit renders markdown: an image `![](//ev.il/a.png)` in a complaint would make every browser
that opens it fetch from a third party (telling it who read the complaint), and a link can be a
phishing link dressed as a citation. Two strengths:

- `escape_markdown` for text that must appear exactly as written (a complaint, a question, a
  shop name, a law title from an upload): every markdown and HTML character is escaped.
- `defang_markdown` for text that is meant as markdown (a model's reply, an answer built from
  it): headings, lists and emphasis stay; images, links, raw HTML and bare URLs become inert text.

Hand-written because the rules are Streamlit's renderer's (remark-gfm autolinks, `$` for LaTeX),
not a general sanitiser's: a library that strips HTML would leave markdown images alone.
"""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_IMAGE = re.compile(r"!\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]\n]{1,200}\]:\s*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto|data|javascript):[^>\s]{0,2000})>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(/?[A-Za-z!][^>\n]{0,500})>")
# remark-gfm links bare http(s):// and www. addresses; a code span is never linked.
_BARE_URL = re.compile(r"(?<![`\w])((?:https?://|www\.)[^\s<>`]{1,2000})", re.IGNORECASE)


def escape_markdown(text: str) -> str:
    """Shown exactly as written: nothing in it is markup."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def defang_markdown(text: str) -> str:
    """Keep the formatting of a markdown reply, but nothing in it loads or links anywhere."""
    text = text or ""
    text = _IMAGE.sub(lambda m: f"［图片：{m.group(1) or '已移除'}］", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub("", text)
    text = _AUTOLINK.sub(lambda m: f"`{m.group(1)}`", text)
    text = _HTML_TAG.sub(lambda m: f"&lt;{m.group(1)}&gt;", text)
    return _BARE_URL.sub(lambda m: f"`{m.group(1)}`", text)
