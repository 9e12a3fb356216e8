"""上海城管执法助手 — the Python front door.

    from assistant import Assistant, Filters, Triager, ingest

    ingest()                                   # build or update the index (default settings)
    answer = Assistant().ask("跨门营业怎么罚？")  # grounded answer with verified citations
    result = Triager().triage("小区门口天天有人摆摊")
    nb = Notebook.create("培训素材"); nb.pin(answer); nb.export("培训素材.docx")
    paper = ExamBuilder().paper(Scope(laws=("上海市生活垃圾管理条例",)), default_blueprint(20))  # from assistant.exams.models

Names are loaded on first use (PEP 562), so that importing one small part of the package (the
core models, say) never pulls in Chroma, LangChain or scikit-learn.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# public name → module that defines it
_EXPORTS = {
    "Settings": "assistant.config",
    "Assistant": "assistant.answering.assistant",
    "Answer": "assistant.answering.answer",
    "Turn": "assistant.answering.conversation",
    "Retriever": "assistant.retrieval.retriever",
    "Filters": "assistant.retrieval.types",
    "SearchResult": "assistant.retrieval.types",
    "IndexNotReady": "assistant.retrieval.types",
    "Triager": "assistant.triage.service",
    "TriageResult": "assistant.triage.service",
    "ExamBuilder": "assistant.exams.builder",
    "Notebook": "assistant._front",
    "ingest": "assistant._front",
    "index_status": "assistant._front",
}

__all__ = [
    "Answer", "Assistant", "ExamBuilder", "Filters", "IndexNotReady", "Notebook", "Retriever", "SearchResult", "Settings",
    "TriageResult", "Triager", "Turn", "index_status", "ingest",
]
assert sorted(__all__) == sorted(_EXPORTS)

if TYPE_CHECKING:  # for editors and type checkers; at run time names load lazily
    from assistant._front import Notebook, index_status, ingest
    from assistant.answering.answer import Answer
    from assistant.answering.assistant import Assistant
    from assistant.answering.conversation import Turn
    from assistant.config import Settings
    from assistant.exams.builder import ExamBuilder
    from assistant.retrieval.retriever import Retriever
    from assistant.retrieval.types import Filters, IndexNotReady, SearchResult
    from assistant.triage.service import Triager, TriageResult


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
