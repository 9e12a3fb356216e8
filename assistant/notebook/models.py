"""The records of a notebook: its entries and their citations."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.core.render import UNKNOWN_VERSION, book_title

Kind = Literal["answer", "hit", "triage", "question_set", "note"]
KINDS: tuple[str, ...] = ("answer", "hit", "triage", "question_set", "note")
KIND_WORDS = {"answer": "问答", "hit": "检索条文", "triage": "诉件分拣", "question_set": "题目", "note": "笔记"}


@dataclass(frozen=True)
class Citation:
    law: str
    article: int | None
    version: str | None

    def label(self) -> str:
        """《上海市生活垃圾管理条例》第57条（2019-01-31版）: law, article and version, always all three."""
        where = f"第{self.article}条" if self.article is not None else ""
        return f"{book_title(self.law)}{where}（{f'{self.version}版' if self.version else UNKNOWN_VERSION}）"

    def to_json(self) -> dict:
        return {"law": self.law, "article": self.article, "version": self.version}

    @classmethod
    def from_json(cls, d: dict) -> Citation:
        article = d.get("article")
        return cls(str(d.get("law") or ""), int(article) if article is not None else None, d.get("version") or None)


@dataclass(frozen=True)
class Entry:
    id: int
    notebook_id: int
    kind: str
    position: int  # 0-based place in the notebook
    created_at: float  # Unix time
    owner: str  # who pinned it
    payload: dict
    citations: list[Citation] = field(default_factory=list)

    @property
    def title(self) -> str:
        p = self.payload
        if self.kind == "answer":
            return f"问答：{p.get('question', '')}"
        if self.kind == "hit":
            where = f"第{p['article']}条" if p.get("article") is not None else (p.get("heading") or "")
            return f"检索条文：{book_title(p.get('law', ''))}{where}"
        if self.kind == "triage":
            if "group" in p:
                return f"诉件分拣：{len(p['group'])} 件"
            return f"诉件分拣：{p.get('label') or '未分类'}"
        if self.kind == "question_set":
            return f"题目：{p.get('title') or ''}（{len(p.get('questions') or [])} 题）"
        return "笔记"

    @property
    def text(self) -> str:
        """The entry's own markdown (a note as written, an answer's markdown …)."""
        return str(self.payload.get("markdown") or self.payload.get("text") or "")


@dataclass(frozen=True)
class NotebookInfo:
    id: int
    name: str
    owner: str
    created_at: float
    updated_at: float
    entries: int = 0
    shared_with: tuple[str, ...] = ()
    read_only: bool = False  # for the user who asked: shared with them, not theirs


SOURCE_KINDS = {"law": "法规", "upload": "上传文档", "qa_guide": "执法问答"}


@dataclass(frozen=True)
class Source:
    """A document a notebook's chat is restricted to: a regulation of the library, an uploaded
    document (both by their title in the index) or a Q&A guide."""

    title: str
    kind: str = "law"

    def label(self) -> str:
        return f"{SOURCE_KINDS.get(self.kind, self.kind)}：{self.title}"
