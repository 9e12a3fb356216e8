"""Notebooks (issue #13): what officers and trainers collect — answers with their citations,
search hits, triage results, question sets, their own markdown notes — kept in order, shared
read-only and exported to DOCX or Markdown with every citation's law, article and version.

    store.py    SQLite (data_dir/notebooks.sqlite), own migrations, WAL, one connection per operation
    models.py   Citation, Entry, NotebookInfo
    convert.py  what can be pinned → (kind, payload, citations)
    export.py   Markdown and DOCX
    api.py      `Notebook`, the Python front door (`from assistant import Notebook`)
"""
