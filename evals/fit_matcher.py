"""Fit the conduct matcher's feature weights on the dev halves (never the test halves).

    python -m evals.fit_matcher [--l2 0.1] [--sets review,qa,lay,conversations]

A 款's score is its coverage of the question plus weighted features (answering/matching.py,
MATCH_FEATURE_WEIGHTS). The weights had been set by hand, one dev miss of the review set at a time,
and those gains did not reach the test half. Here they are fitted at once on every dev question
with a gold article — the officers' review set, the retrieval sets (qa: officers' wording, lay:
citizens' wording) and the follow-ups of the conversations — by maximising the likelihood that the
top 款 belongs to a gold article (softmax over the candidates with a fitted temperature; each set
weighs the same; L2 pull towards the current weights, the hand-set ones when first run). The
printed weights are what config.py holds, with this command as their source; the end-to-end
figures come from `python -m evals.officer` and `python -m evals.retrieval`.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from assistant.answering.assistant import Assistant
from assistant.answering.conversation import Turn
from assistant.answering.matching import MATCH_FEATURE_WEIGHTS
from evals.common import EVALS_DIR, load_jsonl

NAMES = list(MATCH_FEATURE_WEIGHTS)


@dataclass
class Candidates:
    """One question's matched 款: coverage, features (one row each) and which are gold."""
    coverage: np.ndarray
    features: np.ndarray
    gold: np.ndarray
    weight: float = 1.0  # each set counts as much as any other, whatever its size


def _record(assistant: Assistant) -> list:
    calls: list = []
    matcher = assistant.composer.matcher
    original = matcher.matches

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        calls.append(out)
        return out

    matcher.matches = recording
    return calls


def _candidates(matches, gold: set) -> Candidates | None:
    if not matches:
        return None
    is_gold = np.array([(m.chunk.law, m.chunk.article) in gold for m in matches])
    if not is_gold.any() or is_gold.all():
        return None  # nothing to learn: gold not among the candidates, or nothing else is
    return Candidates(np.array([m.coverage for m in matches]),
                      np.array([[m.features.get(n, 0.0) for n in NAMES] for m in matches]), is_gold)


def _items(name: str, split: str, blind_sets: set[str]) -> list[dict]:
    """A set's dev half; for the blind sets (evals/blind.jsonl), the diagnostic sets named —
    never a held-out one — with a gold article."""
    if name == "blind":
        return [i for i in load_jsonl(EVALS_DIR / "blind.jsonl")
                if i["set"] in blind_sets and i["status"] == "diagnostic" and i["gold"]]
    return [i for i in load_jsonl(EVALS_DIR / f"{name}.jsonl") if i["split"] == split]


def collect(assistant: Assistant, sets: list[str], split: str = "dev",
            blind_sets: set[str] = frozenset()) -> list[Candidates]:
    calls = _record(assistant)
    out: list[Candidates] = []
    for name in sets:
        start = len(out)
        for item in _items(name, split, blind_sets):
            gold = {(g["law"], g["article"]) for g in item["gold"]}
            if item.get("turns"):
                first_q, second_q = item["turns"]
                first = assistant.ask(first_q)
                calls.clear()
                assistant.ask(second_q, [Turn(first_q, first.question, first)])
            else:
                calls.clear()
                assistant.ask(item["question"])
            found = _candidates(calls[0] if calls else [], gold)
            if found is not None:
                out.append(found)
        for c in out[start:]:
            c.weight = 100 / (len(out) - start)
    return out


# Features that choose among the 款 of one article (「那单位呢」: the 单位 款): article-level gold
# cannot see what they do, so they keep their hand-set weights.
WITHIN_ARTICLE = ("subject",)
# Set end to end instead (config.py says from what): the agreement of all three lists is rare on the
# dev halves (the fit gave it 0.07, top-1 unchanged), and the blind reviews' questions are where it
# tells; so for the title and deadline-event bonuses, whose gains were on the diagnostic blind sets
# (dev halves flat).
HAND_SET = WITHIN_ARTICLE + ("consensus", "title", "deadline_event")
FITTED = [i for i, n in enumerate(NAMES) if n not in HAND_SET]  # positions of the weights fitted


def _weights(free: np.ndarray, prior: np.ndarray) -> np.ndarray:
    weights = prior.copy()
    weights[FITTED] = free
    return weights


def _loss(params: np.ndarray, data: list[Candidates], prior: np.ndarray, l2: float) -> float:
    weights, temperature = _weights(params[:-1], prior), np.exp(params[-1])
    total = 0.0
    for c in data:
        scores = (c.coverage + c.features @ weights) / temperature
        top = scores.max()
        log_all = top + np.log(np.exp(scores - top).sum())
        log_gold = top + np.log(np.exp(scores[c.gold] - top).sum())
        total += c.weight * (log_all - log_gold)
    return total / sum(c.weight for c in data) + l2 * float(((weights - prior) ** 2).sum())


def top1(weights: np.ndarray, data: list[Candidates]) -> int:
    return sum(bool(c.gold[np.argmax(c.coverage + c.features @ weights)]) for c in data)


def fit(data: list[Candidates], prior: np.ndarray, l2: float) -> np.ndarray:
    from scipy.optimize import minimize

    start = np.append(prior[FITTED], np.log(0.1))
    bounds = [(None, None)] * len(FITTED) + [(np.log(0.01), np.log(10.0))]  # temperature
    result = minimize(_loss, start, args=(data, prior, l2), method="L-BFGS-B", bounds=bounds)
    return _weights(result.x[:-1], prior)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="review,qa,lay,conversations")
    parser.add_argument("--l2", type=float, default=0.1, help="pull towards the current weights")
    parser.add_argument("--blind-sets", default="", help="diagnostic blind sets used with --sets ...,blind")
    args = parser.parse_args()
    assistant = Assistant()
    assistant.chat_model = None
    prior = np.array([assistant.composer.matcher.weights[n] for n in NAMES])
    data = collect(assistant, args.sets.split(","), blind_sets={s for s in args.blind_sets.split(",") if s})
    fitted = fit(data, prior, args.l2)
    print(f"{len(data)} dev questions with gold and other candidates; matcher top-1 gold "
          f"{top1(prior, data)} with the current weights → {top1(fitted, data)} fitted")
    for name, old, new in zip(NAMES, prior, fitted):
        print(f"  {MATCH_FEATURE_WEIGHTS[name]:28} {old:7.3f} → {new:7.3f}")


if __name__ == "__main__":
    main()
