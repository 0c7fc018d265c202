"""The learned blend recovers hidden preferences and is adopted only when it wins on later lists."""

from __future__ import annotations

import datetime as dt

import numpy as np

from matching.ranking.blend import Weights
from matching.ranking.learned_blend import (
    Example,
    choose,
    fit_weights,
    mean_ndcg,
    pairwise,
    time_split,
    vector,
)

HIDDEN = np.array([0.05, 0.15, 0.05, 0.75])  # semantic, skills, lexical, concepts: far from the defaults


def _lists(n_lists: int, seed: int = 0, size: int = 20) -> list[Example]:
    rng = np.random.default_rng(seed)
    start = dt.date(2026, 1, 1)
    out = []
    for q in range(n_lists):
        signals = rng.uniform(0, 1, size=(size, 4))
        utility = signals @ HIDDEN + rng.normal(0, 0.02, size)
        order = np.argsort(-utility)
        grades = np.zeros(size, dtype=int)
        grades[order[:1]], grades[order[1:2]], grades[order[2:4]], grades[order[4:6]] = 4, 3, 2, 1
        out += [Example(q, i, tuple(signals[i]), int(grades[i]), start + dt.timedelta(days=q)) for i in range(size)]
    return out


def test_the_features_are_the_four_signals_only() -> None:
    assert vector({"semantic": 0.5, "skills": 0.2, "lexical": 0.1, "concepts": 0.3, "origin": 9.0}) == \
        (0.5, 0.2, 0.1, 0.3)
    assert vector({"semantic": 0.5}) == (0.5, 0.0, 0.0, 0.0)


def test_pairwise_data_and_a_fit_that_finds_the_hidden_weights() -> None:
    examples = _lists(40)
    x, y = pairwise(examples)
    assert x.shape[1] == 4 and len(x) == len(y) and y.mean() == 0.5
    learned = fit_weights(examples)
    assert learned is not None and learned.concepts > 0.5 and learned.concepts > learned.semantic
    assert mean_ndcg(examples, learned) > mean_ndcg(examples, Weights()) + 0.05


def test_time_split_keeps_later_lists_for_testing() -> None:
    train, test = time_split(_lists(10))
    assert max(e.when for e in train) < min(e.when for e in test)
    assert len({e.query for e in test}) == 3


def test_the_hand_set_blend_stays_unless_beaten() -> None:
    few = choose(_lists(1)[:10], Weights())
    assert few.live == "hand-set" and "at least" in few.reason
    many = choose(_lists(60), Weights())
    assert many.live == "learned" and many.learned_ndcg > many.hand_set_ndcg + many.margin
    assert many.train_lists == 42 and many.test_lists == 18
    same = choose(_lists(60), Weights(*HIDDEN.tolist()), margin=0.05)  # hand-set already the hidden blend
    assert same.live == "hand-set" and "does not beat" in same.reason
