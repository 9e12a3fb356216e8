"""Where complaints are: district and 街道/镇 from the team's place set, and the real TipDM messages.

    python -m evals.places [--show-misses] [--bench]

evals/places.jsonl holds complaints written the way Shanghai citizens write (town with or without
its suffix, landmark, road, estate, abbreviations, typos, places in two districts, no place at
all), each with gold `district` and `street` (null where the text does not allow one) and a
dev/test split. Rules and tables are tuned on dev only; both halves are reported:

* district accuracy over complaints with a gold district;
* street accuracy over complaints with a gold street (the street must be exactly right);
* never a guess: complaints with no place (style "none") and places in several districts
  (style "ambiguous") must come out without a district — no-place ones also without candidates.

The team's triage complaints (corpus/triage/complaints.jsonl, written by others for the category
set) that name exactly one district are also resolved with that name removed: how often the rest
of the text (town, road, landmark) recovers the district, and how often it gives a wrong one.

The TipDM messages come from another province (places masked as A市 / A3区): every one must come
out without a Shanghai district. full_fujian4 (2,816) was used to find the guards, full_fujian3
(4,326) is the held-out count. --bench times resolution alone and the whole triage."""
from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import Counter
from pathlib import Path

from assistant.config import REPO_ROOT, Settings
from assistant.triage.places import _ELSEWHERE, DISTRICTS, load_gazetteer, resolve

PLACES_SET = REPO_ROOT / "evals" / "places.jsonl"
TIPDM_FILES = ("full_fujian3_msgs.csv", "full_fujian4_msgs_with_replies.csv")


def load_set(path: Path = PLACES_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict], show_misses: bool = False) -> dict:
    with_district = [r for r in rows if r["district"]]
    with_street = [r for r in rows if r["street"]]
    none = [r for r in rows if r["style"] == "none"]
    ambiguous = [r for r in rows if r["style"] == "ambiguous"]
    got = {r["id"]: resolve(r["text"]) for r in rows}
    district_ok = [r for r in with_district if got[r["id"]].district == r["district"]]
    street_ok = [r for r in with_street if got[r["id"]].street == r["street"]]
    none_ok = [r for r in none if got[r["id"]].district is None and not got[r["id"]].candidates]
    ambiguous_ok = [r for r in ambiguous if got[r["id"]].district is None]
    wrong_district = [r for r in with_district if got[r["id"]].district not in (None, r["district"])]
    if show_misses:
        for r in rows:
            p = got[r["id"]]
            if (r["district"] and p.district != r["district"]) or (r["street"] and p.street != r["street"]) \
                    or (not r["district"] and p.district) or (r["style"] == "none" and p.candidates):
                print(f"  {r['id']} [{r['style']}] gold {r['district']}/{r['street']} → {p.district}/{p.street} "
                      f"{list(p.candidates) or ''} via {p.via} 「{p.place}」 {r['text'][:40]}")
    return {"n": len(rows), "district": (len(district_ok), len(with_district)), "street": (len(street_ok), len(with_street)),
            "no_place": (len(none_ok), len(none)), "ambiguous": (len(ambiguous_ok), len(ambiguous)),
            "wrong_district": len(wrong_district),
            "by_style": Counter(r["style"] for r in with_district if got[r["id"]].district != r["district"])}


def tipdm_texts(settings: Settings, name: str) -> list[str]:
    with (settings.external_path / "tipdm2020" / name).open(encoding="utf-8") as f:
        return [f"{r['留言主题']}。{r['留言详情']}" for r in csv.DictReader(f)]


def tipdm_count(texts: list[str]) -> tuple[int, int]:
    """(messages given a Shanghai district, messages that would be given one without the
    other-province guard, i.e. whose names alone point to a district)."""
    assigned = sum(1 for t in texts if resolve(t).district)
    unguarded = 0
    for t in texts:
        if _ELSEWHERE.search(t):  # what the names alone would give, the guard set aside
            unguarded += bool(resolve(_ELSEWHERE.sub("", t)).district)
    return assigned, unguarded


def district_removed(settings: Settings) -> Counter:
    """right / wrong / ambiguous / unknown over team complaints naming one district, that name
    removed from the text."""
    pattern = re.compile("|".join(DISTRICTS))
    out: Counter = Counter()
    path = settings.authored_dir / "triage" / "complaints.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        named = set(pattern.findall(text))
        if len(named) != 1:
            continue
        p = resolve(pattern.sub("", text))
        out["right" if p.district == named.pop() else "wrong" if p.district else
            "ambiguous" if p.candidates else "unknown"] += 1
    return out


def _pct(pair: tuple[int, int]) -> str:
    ok, n = pair
    return f"{ok / n:.3f} ({ok}/{n})" if n else "–"


def _rate(n: int, wall: float, cpu: float) -> str:
    # CPU time too: on a shared machine wall time measures the neighbours as much as the code.
    return f"{n / wall:,.0f}/s wall, {n / cpu:,.0f}/s of CPU time"


def bench(settings: Settings, rounds: int = 3) -> None:
    from assistant.triage import fields as fields_module
    from assistant.triage.places import Place
    from assistant.triage.service import Triager
    from assistant.triage.taxonomy import load_examples

    texts = tipdm_texts(settings, TIPDM_FILES[0])
    load_gazetteer()
    w, c = time.perf_counter(), time.process_time()
    for x in texts:
        resolve(x[:5000])
    print(f"resolution alone: {_rate(len(texts), time.perf_counter() - w, time.process_time() - c)} "
          f"over {len(texts)} TipDM messages")
    triager = Triager(settings)
    team = [x for x, _ in load_examples(settings.authored_dir / "triage" / "complaints.jsonl", "dev")]
    team += [r["text"] for r in load_set()]
    real = fields_module.resolve
    list(triager.triage_many(enumerate(team)))  # warm up (jieba, caches)
    for name, batch in (("team dev complaints + place set", team), ("TipDM messages (long)", texts)):
        best: dict[bool, tuple[float, float]] = {}
        for _ in range(rounds):  # alternate with and without resolution; keep each one's best round
            for with_places in (False, True):
                fields_module.resolve = real if with_places else (lambda text, gazetteer=None: Place())
                w, c = time.perf_counter(), time.process_time()
                for _ in triager.triage_many(enumerate(batch)):
                    pass
                wall, cpu = time.perf_counter() - w, time.process_time() - c
                if with_places not in best or wall < best[with_places][0]:
                    best[with_places] = (wall, cpu)
        for with_places, (wall, cpu) in best.items():
            print(f"whole triage, {name}, {'with' if with_places else 'without'} places (best of {rounds}): "
                  f"{_rate(len(batch), wall, cpu)} over {len(batch)}")
    fields_module.resolve = real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--split", default="dev,test")
    parser.add_argument("--bench", action="store_true", help="also time resolution and the whole triage")
    args = parser.parse_args()
    settings = Settings()
    rows = load_set()
    print(f"{'split':5} {'district acc':>16} {'street acc':>16} {'no place→unknown':>17} {'ambiguous→no district':>22} wrong district")
    for split in args.split.split(","):
        part = [r for r in rows if r["split"] == split]
        if args.show_misses:
            print(f"{split} misses:")
        s = score(part, args.show_misses)
        print(f"{split:5} {_pct(s['district']):>16} {_pct(s['street']):>16} {_pct(s['no_place']):>17} "
              f"{_pct(s['ambiguous']):>22} {s['wrong_district']}  misses by style: {dict(s['by_style'])}")
    removed = district_removed(settings)
    n = sum(removed.values())
    print(f"team complaints naming one district, name removed: {removed['right']}/{n} recovered, "
          f"{removed['wrong']} wrong, {removed['ambiguous']} ambiguous, {removed['unknown']} unknown")
    for name in TIPDM_FILES:
        path = settings.external_path / "tipdm2020" / name
        if path.exists():
            texts = tipdm_texts(settings, name)
            assigned, unguarded = tipdm_count(texts)
            print(f"TipDM {name}: {assigned}/{len(texts)} messages given a Shanghai district "
                  f"({unguarded} would be without the other-province guard)")
    if args.bench:
        bench(settings)


if __name__ == "__main__":
    main()
