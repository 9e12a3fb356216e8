#!/usr/bin/env python3
"""Consistency checks for the 12345 complaint-triage data.

Checks
  * taxonomy.yaml  <->  triage_labels.tsv: same set of codes, same names, required fields,
    expressions 10-20, is_enforcement false only for not_enforcement, 1-4 bases per
    enforcement code and none for not_enforcement;
  * every basis `law` is exactly the `# ` title of a regulation in the corpus (Beijing local
    regulations are not accepted), the article number exists in it as the product's parser
    reads it (ingestion.library.Library), and the article text contains at least one of the
    code's basis_keywords;
  * complaints.jsonl: UTF-8 without BOM, LF line ends, final newline; valid JSON per line,
    unique ids, valid labels and splits, >= 32 complaints and >= 9 dev complaints per code,
    no exact duplicate texts.

Where the corpus holds several versions of a title (e.g. 上海市住宅物业管理规定 2010 and
2020), the version with the latest date in its file name is used, i.e. the current one.

Usage (from the repository root, with the project's virtualenv):
    python corpus/check_triage.py [--corpus DIR] [--labels TSV] [--taxonomy YAML]
                                  [--complaints JSONL]
The corpus is the product's setting ($ASSISTANT_CORPUS_PATH, default ../shared/corpus; --corpus
takes the folder holding lawrefbook/ or lawrefbook/ itself), the labels file the contract's
(Settings().triage_labels_path) and the taxonomy and complaints those of
Settings().authored_dir / "triage" (corpus/triage/).
Exit status 0 when no problems were found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from _checks import Report, add_corpus_option, read_jsonl

from assistant.config import Settings
from assistant.core.models import Document
from ingestion.library import Library

NON_ENFORCEMENT = "not_enforcement"
MIN_PER_CODE = 32
MIN_DEV_PER_CODE = 9
SPLITS = ("train", "dev")
ID_RE = re.compile(r"^c\d{4,}$")


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


def regulations(library: Library, title: str) -> list[Document]:
    """The versions (oldest first) of a title that may be a basis: Beijing's are another
    jurisdiction."""
    return [d for d in library.versions(title) if d.kind == "law" and d.jurisdiction != "北京"]


def check_taxonomy(taxonomy, labels, library: Library, rep: Report) -> None:
    if not isinstance(taxonomy, dict):
        rep.bad("taxonomy", "top level is not a mapping")
        return
    for code in labels:
        if code not in taxonomy:
            rep.bad("taxonomy", f"code {code} from triage_labels.tsv is missing")
    for code in taxonomy:
        if code not in labels:
            rep.bad("taxonomy", f"code {code} is not in triage_labels.tsv")

    used_versions: set[tuple[str, str]] = set()

    for code, entry in taxonomy.items():
        where = f"taxonomy[{code}]"
        if not isinstance(entry, dict):
            rep.bad(where, "entry is not a mapping")
            continue
        for field in ("name", "description", "expressions", "department",
                      "is_enforcement", "bases", "basis_keywords"):
            if field not in entry:
                rep.bad(where, f"missing field {field}")
        if code in labels and entry.get("name") != labels[code]["name"]:
            rep.bad(where, f"name {entry.get('name')!r} != "
                           f"contract name {labels[code]['name']!r}")
        desc = entry.get("description")
        if not isinstance(desc, str) or len(desc) < 20:
            rep.bad(where, "description missing or too short")
        exprs = entry.get("expressions") or []
        if not isinstance(exprs, list) or not 10 <= len(exprs) <= 20:
            rep.bad(where, f"expressions must be a list of 10-20 phrases "
                           f"(has {len(exprs) if isinstance(exprs, list) else 'none'})")
        elif len(set(exprs)) != len(exprs):
            rep.bad(where, "duplicate expressions")
        if not isinstance(entry.get("department"), str) or not entry.get("department"):
            rep.bad(where, "department missing")
        expected_enf = code != NON_ENFORCEMENT
        if entry.get("is_enforcement") is not expected_enf:
            rep.bad(where, f"is_enforcement should be {str(expected_enf).lower()}")

        bases = entry.get("bases")
        keywords = entry.get("basis_keywords") or []
        if not isinstance(bases, list):
            rep.bad(where, "bases must be a list")
            continue
        if code == NON_ENFORCEMENT:
            if bases:
                rep.bad(where, "not_enforcement must have bases: []")
            continue
        if not 1 <= len(bases) <= 4:
            rep.bad(where, f"needs 1-4 bases (has {len(bases)})")
        if not keywords or not all(isinstance(k, str) and k for k in keywords):
            rep.bad(where, "basis_keywords must be a non-empty list of words")
            keywords = []
        seen = set()
        for basis in bases:
            if not isinstance(basis, dict) or set(basis) != {"law", "article"}:
                rep.bad(where, f"basis {basis!r} must have exactly law and article")
                continue
            law, art = basis["law"], basis["article"]
            if (law, art) in seen:
                rep.bad(where, f"duplicate basis {law} 第{art}条")
            seen.add((law, art))
            if not isinstance(art, int) or art <= 0:
                rep.bad(where, f"article of {law} must be a positive integer")
                continue
            versions = regulations(library, law)
            if not versions:
                hint = " (only a Beijing regulation has this title)" if library.versions(law) else ""
                rep.bad(where, f"law {law!r} is not a corpus title{hint}")
                continue
            doc = versions[-1]                       # the current one
            used_versions.add((law, doc.path))
            text = library.articles(doc).get(art)
            if text is None:
                rep.bad(where, f"{law} has no 第{art}条 in {Path(doc.path).name}")
                continue
            if keywords and not any(k in text for k in keywords):
                rep.bad(where, f"{law} 第{art}条 contains none of basis_keywords {keywords}")
    for law, rel in sorted(used_versions):
        if len(regulations(library, law)) > 1:
            rep.note(law, f"several versions in corpus, used current {rel}")


def check_complaints(path: Path, labels, rep: Report) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    ids: Counter = Counter()
    texts: dict[str, str] = {}
    for lineno, _, rec in read_jsonl(path, rep):
        where = f"{path.name}:{lineno}"
        if not isinstance(rec, dict) or set(rec) != {"id", "text", "label", "split"}:
            rep.bad(where, "keys must be exactly id, text, label, split")
            if not isinstance(rec, dict):
                continue
        cid, text = rec.get("id"), rec.get("text")
        label, split = rec.get("label"), rec.get("split")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            rep.bad(where, f"bad id {cid!r}")
        ids[cid if isinstance(cid, str) else repr(cid)] += 1
        if label not in labels:
            rep.bad(where, f"unknown label {label!r}")
        if split not in SPLITS:
            rep.bad(where, f"split must be train or dev, got {split!r}")
        if not isinstance(text, str) or not text.strip():
            rep.bad(where, "empty text")
            continue
        key = text.strip()
        if key in texts:
            rep.bad(where, f"duplicate text (same as {texts[key]})")
        else:
            texts[key] = cid
        counts[label][split] += 1
    for cid, n in ids.items():
        if n > 1:
            rep.bad("complaints", f"id {cid} used {n} times")
    for code in labels:
        total = sum(counts[code].values())
        if total < MIN_PER_CODE:
            rep.bad("complaints", f"{code} has {total} complaints (< {MIN_PER_CODE})")
        if counts[code]["dev"] < MIN_DEV_PER_CODE:
            rep.bad("complaints", f"{code} has {counts[code]['dev']} dev complaints "
                                  f"(< {MIN_DEV_PER_CODE})")
    return counts


def main(argv=None) -> int:
    settings = Settings()
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_corpus_option(ap)
    ap.add_argument("--labels", type=Path, default=settings.triage_labels_path)
    ap.add_argument("--taxonomy", type=Path, default=settings.authored_dir / "triage" / "taxonomy.yaml")
    ap.add_argument("--complaints", type=Path,
                    default=settings.authored_dir / "triage" / "complaints.jsonl")
    args = ap.parse_args(argv)

    rep = Report()
    labels = load_labels(args.labels)
    taxonomy = yaml.safe_load(args.taxonomy.read_text(encoding="utf-8"))
    check_taxonomy(taxonomy, labels, Library.read(args.corpus), rep)
    counts = check_complaints(args.complaints, labels, rep)

    entries = taxonomy.values() if isinstance(taxonomy, dict) else []
    n_bases = sum(len(v.get("bases") or []) for v in entries if isinstance(v, dict))
    print(f"labels: {len(labels)} codes; taxonomy: {len(entries)} codes, {n_bases} bases")
    print(f"{'code':<24}{'train':>6}{'dev':>6}{'total':>7}")
    tot = Counter()
    for code in labels:
        c = counts.get(code, Counter())
        tot.update(c)
        print(f"{code:<24}{c['train']:>6}{c['dev']:>6}{c['train'] + c['dev']:>7}")
    print(f"{'TOTAL':<24}{tot['train']:>6}{tot['dev']:>6}{tot['train'] + tot['dev']:>7}")
    return rep.finish(notes=True)


if __name__ == "__main__":
    sys.exit(main())
