"""Our DetGreedy, NDKL and skew against the `reranking` package (Geyik et al. 2019's algorithms), on random lists.

The package is a dev dependency only: it is the reference, the engine keeps its own code (no pandas,
and the package's documented list input fails under pandas 3: it needs a Series).
"""

from __future__ import annotations

import math
import random

import pytest

reranking = pytest.importorskip("reranking")
pd = pytest.importorskip("pandas")

from matching.ranking.exposure import SMOOTHING, det_greedy, ndkl, shares, skew_at_k


def _lists(seed: int, count: int = 200) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        groups = ["A", "B", "C", "D"][: rng.randint(2, 4)]
        weights = [rng.random() + 0.1 for _ in groups]  # unequal mixes, sometimes a rare group
        out.append(rng.choices(groups, weights=weights, k=rng.randint(4, 40)))
    return out


def test_det_greedy_gives_the_packages_order() -> None:
    checked = 0
    for groups in _lists(7):
        items = [(i, 1.0 - i / len(groups), g) for i, g in enumerate(groups)]  # ranked best first
        desired = shares(groups)
        for k in (5, 10, len(groups)):
            k = min(k, len(groups))
            ours = det_greedy(items, desired, k=k)
            theirs = reranking.rerank(pd.Series(groups), desired, k_max=k, algorithm="det_greedy")
            assert ours == list(theirs), (groups, k)
            checked += 1
    assert checked == 600


def test_ndkl_agrees_with_the_package() -> None:
    for groups in _lists(11):
        desired = shares(groups)
        assert ndkl(groups, desired) == pytest.approx(reranking.ndkl(groups, desired), abs=1e-9)
    blocked = ["A"] * 10 + ["B"] * 10
    assert ndkl(blocked, {"A": 0.5, "B": 0.5}) == pytest.approx(reranking.ndkl(blocked, {"A": 0.5, "B": 0.5}))
    assert ndkl(blocked, {"A": 0.5, "B": 0.5}) > 0.1


def test_skew_is_the_packages_skew_of_the_smoothed_shares() -> None:
    for groups in _lists(13, 100):
        desired = shares(groups)
        for group in desired:
            for k in (3, 10):
                observed = reranking.proportion(groups[:k], [group])[0]
                ours = skew_at_k(groups, desired, group, k)
                assert ours == pytest.approx(reranking.skew(observed + SMOOTHING, desired[group] + SMOOTHING), abs=1e-9)
                if observed > 0:  # the smoothing never flips the sign of the package's unsmoothed skew
                    plain = reranking.skew(observed, desired[group])
                    assert math.copysign(1, ours) == math.copysign(1, plain) or abs(plain) < 1e-9
