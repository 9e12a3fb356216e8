"""Exam builder for trainers (issue #12): questions written from the regulations' own text,
every key proven against the cited article, papers by blueprint, XLSX/DOCX export and bank import.

    scope → articles (scope.py) → facts (facts.py) → questions (generate.py, distractors.py)
          → self-check (check.py) → paper (paper.py) → export (export.py) / history (history.py)

`builder.ExamBuilder` ties them together; the front door exports it (`from assistant import
ExamBuilder`)."""
