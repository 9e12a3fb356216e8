"""What can be pinned to a notebook, as (kind, payload, citations).

Recognised by shape rather than by class, so that this layer needs neither the answering layer
(an `Answer`: conclusion + basis) nor the triage model (a `TriageResult`: masked_text + label):

- str                                     → note (markdown, as written)
- Answer (conclusion, basis, markdown())  → answer, citing its basis and penalty articles
- Hit (chunk, score)                      → hit, citing its article
- TriageResult (masked_text, label, basis) → triage (already masked); a list of them → one group
- an object with to_json() giving {"questions": …}, a dict with "questions", or a list of
  questions (objects with to_json() giving a "stem")  → question_set, citing each question's source
"""
from __future__ import annotations

from assistant.core.render import chunk_label, version_line
from assistant.notebook.models import Citation

# A note longer than this is refused (decision): 200,000 characters is some 130 pages — any
# longer text is a document to upload, not a note, and it would make every export and page
# render slow. A 100,000-character note is stored whole.
MAX_NOTE_CHARS = 200_000


class NotPinnable(TypeError):
    """The object is not something a notebook can hold; the message is for the user."""


def _dedupe(citations: list[Citation]) -> list[Citation]:
    return list(dict.fromkeys(c for c in citations if c.law))


def _is_answer(obj) -> bool:
    return hasattr(obj, "conclusion") and hasattr(obj, "basis") and callable(getattr(obj, "markdown", None))


def _is_hit(obj) -> bool:
    return hasattr(obj, "chunk") and hasattr(obj, "score")


def _is_triage(obj) -> bool:
    return hasattr(obj, "masked_text") and hasattr(obj, "label") and hasattr(obj, "basis")


def _chunk_citation(chunk) -> Citation:
    return Citation(chunk.law, chunk.article, chunk.version)


def note(text: str) -> tuple[str, dict, list[Citation]]:
    if not isinstance(text, str):
        raise NotPinnable("笔记内容必须是文字")
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if not text.strip():
        raise ValueError("笔记内容为空，未保存")
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"笔记过长（{len(text):,} 字，上限 {MAX_NOTE_CHARS:,} 字）：请拆成几条笔记，"
                         "或作为文档上传到法规库")
    return "note", {"text": text}, []


def answer(obj) -> tuple[str, dict, list[Citation]]:
    citations = [_chunk_citation(h.chunk) for h in obj.basis]
    penalties = []
    for p in getattr(obj, "penalties", None) or []:
        ref = p.citation
        citations.append(Citation(ref.law, ref.article, ref.version))
        penalties.append({"where": p.where(), "subject": p.subject, "department": p.department,
                          "measures": list(p.measures), "fines": list(p.fines)})
    for s in getattr(obj, "steps", None) or []:
        citations.append(Citation(s.citation.law, s.citation.article, s.citation.version))
    violated = list(getattr(obj, "violated", None) or [])
    citations += [Citation(v.law, v.article, v.version) for v in violated]
    payload = {
        "question": obj.question, "conclusion": obj.conclusion, "no_basis": bool(obj.no_basis),
        "mode": getattr(obj, "mode", None), "markdown": obj.markdown(), "penalties": penalties,
        "violated": [v.to_json() | {"where": v.where()} for v in violated],
        "basis": [{"label": chunk_label(h.chunk), "version_line": version_line(h.chunk), "text": h.chunk.text}
                  for h in obj.basis],
    }
    return "answer", payload, _dedupe(citations)


def hit(obj) -> tuple[str, dict, list[Citation]]:
    payload = obj.to_json() if callable(getattr(obj, "to_json", None)) else {}
    c = obj.chunk
    payload |= {"law": c.law, "article": c.article, "version": c.version, "heading": c.heading,
                "text": c.text, "label": chunk_label(c), "version_line": version_line(c)}
    return "hit", payload, [_chunk_citation(c)]


def triage(obj) -> tuple[str, dict, list[Citation]]:
    payload = obj.to_json()  # masked_text and fields: personal data already masked
    payload["text"] = payload.get("masked_text") or ""
    citations = [Citation.from_json(b) for b in (obj.basis or []) if b.get("law")]
    return "triage", payload, _dedupe(citations)


def triage_group(items) -> tuple[str, dict, list[Citation]]:
    parts = [triage(r) for r in items]
    payload = {"group": [p for _, p, _ in parts], "text": "\n\n".join(p["text"] for _, p, _ in parts)}
    return "triage", payload, _dedupe([c for _, _, cs in parts for c in cs])


def question_set(data: dict) -> tuple[str, dict, list[Citation]]:
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise NotPinnable("题目集合为空：没有 questions")
    questions = [q.to_json() if callable(getattr(q, "to_json", None)) else q for q in questions]
    if not all(isinstance(q, dict) for q in questions):
        raise NotPinnable("题目格式不对：每道题应是一个字典")
    citations = [Citation.from_json(q["source"]) for q in questions
                 if isinstance(q.get("source"), dict) and q["source"].get("law")]
    payload = {"title": str(data.get("title") or ""), "questions": questions}
    return "question_set", payload, _dedupe(citations)


def to_entry(obj) -> tuple[str, dict, list[Citation]]:
    """(kind, payload, citations) for anything a notebook holds; NotPinnable otherwise."""
    if isinstance(obj, str):
        return note(obj)
    if isinstance(obj, dict):
        if "questions" in obj:
            return question_set(obj)
        raise NotPinnable("无法收藏这个字典：题目集合应含 questions")
    if _is_answer(obj):
        return answer(obj)
    if _is_hit(obj):
        return hit(obj)
    if _is_triage(obj):
        return triage(obj)
    if isinstance(obj, (list, tuple)) and obj:
        if all(_is_triage(x) for x in obj):
            return triage_group(obj)
        if all(callable(getattr(x, "to_json", None)) for x in obj):
            return question_set({"questions": list(obj)})
    if callable(getattr(obj, "to_json", None)):
        data = obj.to_json()
        if isinstance(data, dict) and "questions" in data:
            return question_set(data)
    raise NotPinnable(f"无法收藏 {type(obj).__name__}：可收藏问答结果、检索条文、分拣结果、题目集合或文字笔记")
