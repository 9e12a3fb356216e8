"""Helpers shared by the checkers of the team's authored content.

The checkers are run as scripts (``python corpus/check_*.py``), so Python puts this folder on
``sys.path`` and they import it with ``from _checks import ...``; ``evals/check_qa.py`` puts
this folder on its path to do the same.

They share the product's settings and readers (the package is installed editable):

* the corpus is ``Settings().corpus_path`` (``$ASSISTANT_CORPUS_PATH``, default
  ``../shared/corpus``), overridden by ``--corpus``;
* articles are read with ``ingestion.library.Library``, i.e. the parser ingestion uses, so that
  "article 57 of X" means the same thing to a checker as to the index;
* Chinese numerals are converted by ``assistant.core.legaltext.cn_int`` (inside the parser).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.config import Settings

# ---------------------------------------------------------------- corpus setting

def default_corpus() -> Path:
    """The product's corpus setting: ``$ASSISTANT_CORPUS_PATH`` or ``../shared/corpus``."""
    return Settings().corpus_path


def add_corpus_option(ap: argparse.ArgumentParser) -> None:
    """``--corpus PATH``: the folder holding ``lawrefbook/`` or ``lawrefbook/`` itself."""
    ap.add_argument("--corpus", type=Path, default=default_corpus(),
                    help="folder holding lawrefbook/, or lawrefbook/ itself "
                         "(default: $ASSISTANT_CORPUS_PATH or ../shared/corpus: %(default)s)")


# ---------------------------------------------------------------- report

class Report:
    """Problems (which fail the check) and notes (informational), each ``where: message``."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def note(self, where: str, msg: str) -> None:
        self.notes.append(f"{where}: {msg}")

    def finish(self, *, notes: bool = False) -> int:
        """Print the notes (when asked), the problems and the totals; return the exit status:
        0 when there are no problems, 1 otherwise."""
        if notes:
            for n in self.notes:
                print(f"note: {n}")
        for p in self.problems:
            print(f"PROBLEM: {p}")
        print(f"{len(self.problems)} problem(s), {len(self.notes)} note(s)")
        return 1 if self.problems else 0


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


def read_jsonl(path: Path, rep: Report) -> list[tuple[int, str, object]]:
    """(line number, raw line, parsed value) of every line of a JSON Lines file.

    Besides what ``read_lines`` reports, reports blank lines and lines that are not JSON
    (those are left out)."""
    lines = read_lines(path, rep, empty_needs_newline=False)
    if lines is None:
        return []
    out = []
    for i, ln in enumerate(lines, 1):
        where = f"{path.name}:{i}"
        if not ln.strip():
            rep.bad(where, "blank line")
            continue
        try:
            out.append((i, ln, json.loads(ln)))
        except json.JSONDecodeError as e:
            rep.bad(where, f"invalid JSON: {e}")
    return out


def read_records(path: Path, rep: Report) -> list[tuple[str, dict]]:
    """(where, record) of every line that is a JSON object; ``where`` names the file, the line
    and the record's id. Lines that are not objects, and escaped unicode, are reported."""
    out = []
    for lineno, raw, rec in read_jsonl(path, rep):
        where = f"{path.name}:{lineno}"
        if not isinstance(rec, dict):
            rep.bad(where, "not a JSON object")
            continue
        if "\\u" in raw:
            rep.bad(where, "escaped unicode (write with ensure_ascii=False)")
        out.append((f"{where} ({rec.get('id')})", rec))
    return out


# ---------------------------------------------------------------- raw corpus text

def corpus_base(root: Path) -> Path:
    """``root/lawrefbook`` when that folder exists, else ``root`` (as ``Library.read``)."""
    return root / "lawrefbook" if (root / "lawrefbook").is_dir() else root


def load_corpus(root: Path) -> dict[str, str]:
    """Relative path -> raw text of every .md file of the corpus, LawRefBook or not (for the
    "does this word occur anywhere in the library" checks); exits if there are none."""
    base = corpus_base(root)
    files = {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(base.rglob("*.md"))}
    if not files:
        raise SystemExit(f"no .md files under {base}")
    return files


# ---------------------------------------------------------------- text

def longest_shared(a: str, b: str) -> tuple[int, str]:
    """Length and text of the longest common substring of a and b."""
    best, best_s = 0, ""
    n = len(a)
    for i in range(n):
        for j in range(i + best + 1, n + 1):
            if a[i:j] in b:
                best, best_s = j - i, a[i:j]
            else:
                break
    return best, best_s
