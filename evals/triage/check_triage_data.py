#!/usr/bin/env python3
"""Consistency checks for the 12345 complaint-triage data.

Checks
  * taxonomy.yaml  <->  triage_labels.tsv: same set of codes, same names, required fields,
    expressions 10-20, is_enforcement false only for not_enforcement, 1-4 bases per
    enforcement code and none for not_enforcement;
  * every basis `law` is exactly the `# ` title of a regulation in the shared corpus
    (Beijing local regulations are not accepted), the article number exists in it, and the
    article text contains at least one of the code's basis_keywords;
  * complaints.jsonl: valid JSON per line, unique ids, valid labels and splits, >= 32
    complaints and >= 9 dev complaints per code, no exact duplicate texts.

Where the corpus holds several versions of a title (e.g. 上海市住宅物业管理规定 2010 and
2020), the version with the latest date in its file name is used, i.e. the current one.

Usage:  python evals/triage/check_triage_data.py [--corpus DIR] [--labels TSV]
                                                  [--taxonomy YAML] [--complaints JSONL]
Exit status 0 when no problems were found, 1 otherwise.  Standard library only; PyYAML is
used when installed, otherwise a small parser for the block-YAML subset of taxonomy.yaml.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]          # .../main
SHARED = REPO.parent / "shared"

DEFAULT_LABELS = SHARED / "contract" / "triage_labels.tsv"
DEFAULT_CORPUS = SHARED / "corpus"
DEFAULT_TAXONOMY = REPO / "corpus" / "triage" / "taxonomy.yaml"
DEFAULT_COMPLAINTS = REPO / "corpus" / "triage" / "complaints.jsonl"

NON_ENFORCEMENT = "not_enforcement"
MIN_PER_CODE = 32
MIN_DEV_PER_CODE = 9
SPLITS = ("train", "dev")
ID_RE = re.compile(r"^c\d{4,}$")


# --------------------------------------------------------------------------- numerals

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int:
    """Convert a Chinese numeral below 10000 (一, 十二, 二十, 一百零五, 一千二百) to int."""
    if not text:
        raise ValueError("empty numeral")
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def int_to_cn(n: int) -> str:
    """Inverse of cn_to_int for 1..9999, used only for readable messages."""
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    if out.startswith("一十"):
        out = out[1:]
    return out or "零"


# --------------------------------------------------------------------------- corpus

ARTICLE_RE = re.compile(r"^第([" + CN_NUM + r"]+)条(?:[ \u3000]|$)")
DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")


def parse_articles(path: Path) -> dict[int, str]:
    """Article number -> text (the 第N条 paragraph plus following paragraphs)."""
    text = path.read_text(encoding="utf-8")
    if "<!-- INFO END -->" in text:
        text = text.split("<!-- INFO END -->", 1)[1]
    articles: dict[int, list[str]] = {}
    current = None
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if para.startswith("#"):          # chapter / section headings belong to no article
            current = None
            continue
        m = ARTICLE_RE.match(para)
        if m:
            current = cn_to_int(m.group(1))
            articles.setdefault(current, []).append(para)
        elif current is not None:
            articles[current].append(para)
    return {k: "\n".join(v) for k, v in articles.items()}


def index_corpus(corpus: Path) -> dict[str, list[Path]]:
    """Exact `# ` title -> files carrying it, current (latest dated) version first."""
    titles: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(corpus.rglob("*.md")):
        with path.open(encoding="utf-8") as fh:
            first = fh.readline().rstrip("\n")
        if first.startswith("# "):
            titles[first[2:].strip()].append(path)

    def version_key(p: Path) -> str:
        m = DATE_RE.search(p.name)
        return m.group(1) if m else ""

    for paths in titles.values():
        paths.sort(key=version_key, reverse=True)
    return titles


def is_beijing(path: Path) -> bool:
    return "北京" in path.parts or any(part.startswith("北京") for part in path.parts)


# --------------------------------------------------------------------------- yaml

def _scalar(token: str):
    token = token.strip()
    if token in ("[]",):
        return []
    if token in ("{}",):
        return {}
    if token in ("true", "True"):
        return True
    if token in ("false", "False"):
        return False
    if token in ("null", "~", ""):
        return None
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    return token


def _mini_yaml(text: str):
    """Parser for the block-YAML subset used by taxonomy.yaml (mappings, lists, scalars)."""
    lines = []
    for raw in text.splitlines():
        stripped = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if stripped.strip():
            lines.append((len(stripped) - len(stripped.lstrip(" ")), stripped.strip()))

    def parse_block(i: int, indent: int):
        if lines[i][1].startswith("- "):
            return parse_list(i, indent)
        return parse_map(i, indent)

    def parse_map(i: int, indent: int, first_inline: str | None = None):
        result = {}
        pending = [first_inline] if first_inline is not None else []
        while pending or (i < len(lines) and lines[i][0] == indent):
            if pending:
                content = pending.pop()
            else:
                content = lines[i][1]
                i += 1
            key, _, rest = content.partition(":")
            rest = rest.strip()
            if rest:
                result[key.strip()] = _scalar(rest)
            elif i < len(lines) and lines[i][0] > indent:
                result[key.strip()], i = parse_block(i, lines[i][0])
            elif i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                result[key.strip()], i = parse_list(i, indent)
            else:
                result[key.strip()] = None
        return result, i

    def parse_list(i: int, indent: int):
        result = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            item = lines[i][1][2:].strip()
            i += 1
            if re.match(r"^[^\"'\s][^:]*:(\s|$)", item):
                sub_indent = indent + 2
                value, i = parse_map(i, sub_indent, first_inline=item)
                result.append(value)
            else:
                result.append(_scalar(item))
        return result, i

    if not lines:
        return {}
    value, _ = parse_block(0, lines[0][0])
    return value


def load_yaml(path: Path):
    text = path.read_text(encoding="utf-8")
    try:
        import yaml  # type: ignore
    except ImportError:
        return _mini_yaml(text)
    return yaml.safe_load(text)


# --------------------------------------------------------------------------- checks

def load_labels(path: Path) -> dict[str, dict[str, str]]:
    rows = path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    labels = {}
    for row in rows[1:]:
        if row.strip():
            rec = dict(zip(header, row.split("\t")))
            labels[rec["code"]] = rec
    return labels


def check_taxonomy(taxonomy, labels, corpus: Path, problems: list[str], notes: list[str]):
    if not isinstance(taxonomy, dict):
        problems.append("taxonomy: top level is not a mapping")
        return
    for code in labels:
        if code not in taxonomy:
            problems.append(f"taxonomy: code {code} from triage_labels.tsv is missing")
    for code in taxonomy:
        if code not in labels:
            problems.append(f"taxonomy: code {code} is not in triage_labels.tsv")

    titles = index_corpus(corpus)
    article_cache: dict[Path, dict[int, str]] = {}
    used_versions: set[tuple[str, str]] = set()

    for code, entry in taxonomy.items():
        where = f"taxonomy[{code}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: entry is not a mapping")
            continue
        for field in ("name", "description", "expressions", "department",
                      "is_enforcement", "bases", "basis_keywords"):
            if field not in entry:
                problems.append(f"{where}: missing field {field}")
        if code in labels and entry.get("name") != labels[code]["name"]:
            problems.append(f"{where}: name {entry.get('name')!r} != "
                            f"contract name {labels[code]['name']!r}")
        desc = entry.get("description")
        if not isinstance(desc, str) or len(desc) < 20:
            problems.append(f"{where}: description missing or too short")
        exprs = entry.get("expressions") or []
        if not isinstance(exprs, list) or not 10 <= len(exprs) <= 20:
            problems.append(f"{where}: expressions must be a list of 10-20 phrases "
                            f"(has {len(exprs) if isinstance(exprs, list) else 'none'})")
        elif len(set(exprs)) != len(exprs):
            problems.append(f"{where}: duplicate expressions")
        if not isinstance(entry.get("department"), str) or not entry.get("department"):
            problems.append(f"{where}: department missing")
        expected_enf = code != NON_ENFORCEMENT
        if entry.get("is_enforcement") is not expected_enf:
            problems.append(f"{where}: is_enforcement should be {str(expected_enf).lower()}")

        bases = entry.get("bases")
        keywords = entry.get("basis_keywords") or []
        if not isinstance(bases, list):
            problems.append(f"{where}: bases must be a list")
            continue
        if code == NON_ENFORCEMENT:
            if bases:
                problems.append(f"{where}: not_enforcement must have bases: []")
            continue
        if not 1 <= len(bases) <= 4:
            problems.append(f"{where}: needs 1-4 bases (has {len(bases)})")
        if not keywords or not all(isinstance(k, str) and k for k in keywords):
            problems.append(f"{where}: basis_keywords must be a non-empty list of words")
            keywords = []
        seen = set()
        for basis in bases:
            if not isinstance(basis, dict) or set(basis) != {"law", "article"}:
                problems.append(f"{where}: basis {basis!r} must have exactly law and article")
                continue
            law, art = basis["law"], basis["article"]
            if (law, art) in seen:
                problems.append(f"{where}: duplicate basis {law} 第{art}条")
            seen.add((law, art))
            if not isinstance(art, int) or art <= 0:
                problems.append(f"{where}: article of {law} must be a positive integer")
                continue
            paths = [p for p in titles.get(law, []) if not is_beijing(p)]
            if not paths:
                hint = " (only a Beijing regulation has this title)" if titles.get(law) else ""
                problems.append(f"{where}: law {law!r} is not a corpus title{hint}")
                continue
            path = paths[0]
            used_versions.add((law, str(path.relative_to(corpus))))
            if path not in article_cache:
                article_cache[path] = parse_articles(path)
            text = article_cache[path].get(art)
            if text is None:
                problems.append(f"{where}: {law} has no 第{int_to_cn(art)}条 (article {art})"
                                f" in {path.name}")
                continue
            if keywords and not any(k in text for k in keywords):
                problems.append(f"{where}: {law} 第{int_to_cn(art)}条 contains none of "
                                f"basis_keywords {keywords}")
    for law, rel in sorted(used_versions):
        if len([p for p in titles.get(law, []) if not is_beijing(p)]) > 1:
            notes.append(f"{law}: several versions in corpus, used current {rel}")


def check_complaints(path: Path, labels, problems: list[str]):
    counts: dict[str, Counter] = defaultdict(Counter)
    ids: Counter = Counter()
    texts: dict[str, str] = {}
    if not path.exists():
        problems.append(f"complaints: {path} not found")
        return counts
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"complaints line {lineno}"
        if not line.strip():
            problems.append(f"{where}: blank line")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON ({exc})")
            continue
        if not isinstance(rec, dict) or set(rec) != {"id", "text", "label", "split"}:
            problems.append(f"{where}: keys must be exactly id, text, label, split")
            if not isinstance(rec, dict):
                continue
        cid, text = rec.get("id"), rec.get("text")
        label, split = rec.get("label"), rec.get("split")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            problems.append(f"{where}: bad id {cid!r}")
        ids[cid] += 1
        if label not in labels:
            problems.append(f"{where}: unknown label {label!r}")
        if split not in SPLITS:
            problems.append(f"{where}: split must be train or dev, got {split!r}")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: empty text")
            continue
        key = text.strip()
        if key in texts:
            problems.append(f"{where}: duplicate text (same as {texts[key]})")
        else:
            texts[key] = cid
        counts[label][split] += 1
    for cid, n in ids.items():
        if n > 1:
            problems.append(f"complaints: id {cid} used {n} times")
    for code in labels:
        total = sum(counts[code].values())
        if total < MIN_PER_CODE:
            problems.append(f"complaints: {code} has {total} complaints (< {MIN_PER_CODE})")
        if counts[code]["dev"] < MIN_DEV_PER_CODE:
            problems.append(f"complaints: {code} has {counts[code]['dev']} dev complaints "
                            f"(< {MIN_DEV_PER_CODE})")
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--taxonomy", type=Path, default=DEFAULT_TAXONOMY)
    ap.add_argument("--complaints", type=Path, default=DEFAULT_COMPLAINTS)
    args = ap.parse_args(argv)

    problems: list[str] = []
    notes: list[str] = []
    labels = load_labels(args.labels)
    taxonomy = load_yaml(args.taxonomy)
    check_taxonomy(taxonomy, labels, args.corpus, problems, notes)
    counts = check_complaints(args.complaints, labels, problems)

    n_bases = sum(len(v.get("bases") or []) for v in taxonomy.values()
                  if isinstance(v, dict))
    print(f"labels: {len(labels)} codes; taxonomy: {len(taxonomy)} codes, {n_bases} bases")
    for note in notes:
        print(f"note: {note}")
    print(f"{'code':<24}{'train':>6}{'dev':>6}{'total':>7}")
    tot = Counter()
    for code in labels:
        c = counts.get(code, Counter())
        tot.update(c)
        print(f"{code:<24}{c['train']:>6}{c['dev']:>6}{c['train'] + c['dev']:>7}")
    print(f"{'TOTAL':<24}{tot['train']:>6}{tot['dev']:>6}{tot['train'] + tot['dev']:>7}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
