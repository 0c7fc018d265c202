"""Best first, ties by id, for every cut: checked against a plain sort on random data with ties."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matching.retrieval.topk import best_first, best_first_rows


@given(st.lists(st.integers(0, 4), min_size=0, max_size=40), st.integers(-1, 45), st.randoms())
def test_best_first_is_the_sorted_prefix_whatever_the_ties(values: list[int], k: int, rnd) -> None:
    scores = np.array(values, dtype=float) / 4
    ids = np.array(rnd.sample(range(1000), len(values)), dtype=np.int64)
    want = sorted(range(len(values)), key=lambda i: (-scores[i], ids[i]))
    got = best_first(scores, ids, k).tolist()
    assert got == want[: max(k, 0)]
    assert best_first(scores, ids).tolist() == want


def test_rows_cut_ties_by_column() -> None:
    scores = np.array([[0.5, 0.9, 0.5, 0.9], [0.0, 0.0, 0.0, 1.0]])
    assert best_first_rows(scores, 3).tolist() == [[1, 3, 0], [3, 0, 1]]
    assert best_first_rows(scores, 0).shape == (2, 0)
