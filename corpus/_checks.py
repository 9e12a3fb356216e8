"""Helpers shared by the checker scripts in this folder (standard library only).

The checkers are run as scripts (``python corpus/check_*.py``), so Python puts
this folder on ``sys.path`` and they import it with ``from _checks import ...``.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CORPUS_ENV = "LEXICON_CORPUS"
FALLBACK_CORPUS = REPO.parent / "shared" / "corpus"


def default_corpus() -> str:
    """``$LEXICON_CORPUS`` when set and non-empty, else ``<repo>/../shared/corpus``."""
    return os.environ.get(CORPUS_ENV) or str(FALLBACK_CORPUS)


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def note(self, where: str, msg: str) -> None:
        self.notes.append(f"{where}: {msg}")


# ---------------------------------------------------------------- io

def read_lines(
    path: Path,
    rep: Report,
    *,
    missing: str = "file missing",
    bom: str = "UTF-8 BOM",
    cr: str = "CR characters (use LF line ends)",
    cr_to_lf: bool = False,
    empty_needs_newline: bool = True,
) -> list[str] | None:
    """Lines of a UTF-8 text file, without the final newline.

    Reports (under the file name) a missing file, a BOM, bytes that are not
    UTF-8, CR characters and a missing final newline; returns None when the
    file is missing or not UTF-8.  CRs are dropped, or with ``cr_to_lf`` taken
    as line ends.  With ``empty_needs_newline=False`` an empty file is not
    reported for lacking a final newline.  The messages can be overridden.
    """
    name = path.name
    if not path.is_file():
        rep.bad(name, missing)
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        rep.bad(name, bom)
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        rep.bad(name, f"not UTF-8: {e}")
        return None
    if "\r" in text:
        rep.bad(name, cr)
        if cr_to_lf:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        else:
            text = text.replace("\r", "")
    if (text or empty_needs_newline) and not text.endswith("\n"):
        rep.bad(name, "no final newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# ---------------------------------------------------------------- corpus

def corpus_base(root: Path) -> Path:
    """``root/lawrefbook`` when that folder exists, else ``root``."""
    return root / "lawrefbook" if (root / "lawrefbook").is_dir() else root


def corpus_md_files(base: Path) -> list[tuple[str, Path]]:
    """(path relative to base in / form, path) of every .md file under base, sorted."""
    return [(p.relative_to(base).as_posix(), p) for p in sorted(base.rglob("*.md"))]


def load_corpus(root: Path) -> dict[str, str]:
    """Relative path -> text of every .md file of the corpus; exits if there are none."""
    base = corpus_base(root)
    files = {rel: p.read_text(encoding="utf-8") for rel, p in corpus_md_files(base)}
    if not files:
        raise SystemExit(f"no .md files under {base}")
    return files


# ---------------------------------------------------------------- numerals

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(s: str) -> int:
    """Chinese numeral below 10000 (二十一, 一百零五, 十) -> int; ValueError otherwise."""
    total, num = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            num = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (num or 1) * CN_UNITS[ch]
            num = 0
        else:
            raise ValueError(s)
    return total + num
