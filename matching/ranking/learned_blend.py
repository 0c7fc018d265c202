"""Blend weights learned from outcomes, used only when they beat the hand-set blend on later outcomes.

Why: the hand-set blend (`matching.ranking.blend.Weights`) is a guess; what companies
and graduates went on to do (hired 4 > offer 3 > interviewed 2 > shortlisted 1
> anything else 0) says which signals mattered. Each ranked list (one posting's
graduates) gives pairs of graduates with different grades; a logistic
regression without intercept on the difference of their signal vectors
(pairwise learning to rank) finds the direction that orders them, and its
coefficients, clipped at 0 and normalised, are a blend of the same form.

The features are the ranking's own four signals and nothing else
(`SIGNALS`); a sensitive field cannot reach the model because an example holds
no profile. The learned blend is adopted only if, trained on the earlier
lists and scored on the later ones (a time-based split, as it would be used),
its nDCG@10 beats the hand-set blend's by `MARGIN`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.ranking.blend import Weights
from matching.ranking.exposure import ndcg_at_k

SIGNALS: tuple[str, ...] = ("semantic", "skills", "lexical", "concepts")
GRADES: dict[str, int] = {"hired": 4, "offer": 3, "interviewed": 2, "shortlisted": 1}
MARGIN = 0.02  # nDCG@10 points on held-out lists
MIN_EVENTS = 30  # fewer graded events than this: nothing is learned
K = 10


@dataclass(frozen=True)
class Example:
    """One graduate in one ranked list: its signals, its grade, when the list's outcomes happened."""

    query: Hashable
    item: Hashable
    signals: tuple[float, float, float, float]
    grade: int
    when: dt.date


def vector(signals: dict[str, float]) -> tuple[float, float, float, float]:
    """The features of a pair: exactly the ranking's four signals (absent ones are 0)."""
    return tuple(float(signals.get(name, 0.0)) for name in SIGNALS)  # type: ignore[return-value]


def weights_array(w: Weights) -> np.ndarray:
    n = w.normalised()
    return np.array([n.semantic, n.skills, n.lexical, n.concepts])


def _by_query(examples: Sequence[Example]) -> dict[Hashable, list[Example]]:
    groups: dict[Hashable, list[Example]] = {}
    for e in examples:
        groups.setdefault(e.query, []).append(e)
    return groups


def pairwise(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Differences of signal vectors within a list, for every pair with different grades, both ways."""
    rows, labels = [], []
    for items in _by_query(examples).values():
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if a.grade == b.grade:
                    continue
                diff = np.subtract(a.signals, b.signals)
                rows += [diff, -diff]
                labels += [int(a.grade > b.grade), int(a.grade < b.grade)]
    return (np.array(rows) if rows else np.zeros((0, len(SIGNALS)))), np.array(labels, dtype=int)


def fit_weights(examples: Sequence[Example], c: float = 1.0) -> Weights | None:
    """Pairwise logistic regression; None when the lists hold no ordered pair or nothing positive is learned."""
    from sklearn.linear_model import LogisticRegression

    x, y = pairwise(examples)
    if len(y) == 0 or len(set(y.tolist())) < 2:
        return None
    model = LogisticRegression(fit_intercept=False, C=c, max_iter=1000).fit(x, y)
    coef = np.clip(model.coef_[0], 0.0, None)
    if coef.sum() <= 0:
        return None
    s, k, lex, con = (coef / coef.sum()).tolist()
    return Weights(s, k, lex, con)


def mean_ndcg(examples: Sequence[Example], weights: Weights, k: int = K) -> float:
    """Mean nDCG@k (gain 2^grade - 1) of the lists re-ordered by this blend; lists without a graded item skip."""
    w = weights_array(weights)
    values = []
    for items in _by_query(examples).values():
        if not any(e.grade > 0 for e in items):
            continue
        order = sorted(items, key=lambda e: (-float(np.dot(w, e.signals)), str(e.item)))
        values.append(ndcg_at_k([2.0 ** e.grade - 1 for e in order], k))
    return float(np.mean(values)) if values else 0.0


def time_split(examples: Sequence[Example], test_share: float = 0.3) -> tuple[list[Example], list[Example]]:
    """Whole lists, the earliest (by their outcomes' date) for training, the latest `test_share` for testing."""
    groups = sorted(_by_query(examples).items(), key=lambda kv: (max(e.when for e in kv[1]), str(kv[0])))
    cut = len(groups) - max(1, round(len(groups) * test_share)) if len(groups) > 1 else len(groups)
    train = [e for _, items in groups[:cut] for e in items]
    test = [e for _, items in groups[cut:] for e in items]
    return train, test


@dataclass(frozen=True)
class BlendChoice:
    live: str  # "learned" or "hand-set"
    weights: Weights
    hand_set: Weights
    learned: Weights | None
    events: int  # graded outcomes (grade > 0) among the examples
    train_lists: int
    test_lists: int
    hand_set_ndcg: float | None
    learned_ndcg: float | None
    margin: float
    reason: str


def choose(examples: Sequence[Example], hand_set: Weights, *, margin: float = MARGIN,
           min_events: int = MIN_EVENTS) -> BlendChoice:
    """Learn on the earlier lists, compare on the later ones, keep the hand-set blend unless beaten by `margin`."""
    events = sum(1 for e in examples if e.grade > 0)
    train, test = time_split(examples)
    lists = (len(_by_query(train)), len(_by_query(test)))

    def keep(reason: str, learned: Weights | None = None, scores: tuple = (None, None)) -> BlendChoice:
        return BlendChoice("hand-set", hand_set, hand_set, learned, events, *lists, *scores, margin, reason)

    if events < min_events:
        return keep(f"{events} graded outcomes; at least {min_events} are needed to learn a blend")
    learned = fit_weights(train)
    if learned is None or not test:
        return keep("the earlier lists hold no pair of graduates with different outcomes")
    base, new = round(mean_ndcg(test, hand_set), 4), round(mean_ndcg(test, learned), 4)
    if new < base + margin:
        return keep(f"learned nDCG@{K} {new} does not beat hand-set {base} by {margin}", learned, (base, new))
    return BlendChoice("learned", learned, hand_set, learned, events, *lists, base, new, margin,
                       f"learned nDCG@{K} {new} beats hand-set {base} by more than {margin} on later lists")
