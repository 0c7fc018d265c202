"""Score-matrix helpers on hand-made arrays whose answers are known."""

from __future__ import annotations

import numpy as np

from matching.retrieval.bm25 import Bm25 as Bm25Index
from matching.retrieval.score_matrices import max_by_group
from matching.retrieval.topk import best_first_rows as top_k


def test_max_by_group_takes_the_best_label_of_each_concept() -> None:
    scores = np.array([[0.1, 0.9, 0.4, 0.3], [0.5, 0.2, 0.6, 0.0]], dtype=np.float32)
    pooled = max_by_group(scores, np.array([2, 0, 2, 0]), 3)
    expected = np.array([[0.9, -np.inf, 0.4], [0.2, -np.inf, 0.6]], dtype=np.float32)
    np.testing.assert_allclose(pooled, expected)


def test_top_k_is_best_first_and_matches_a_full_sort() -> None:
    rng = np.random.default_rng(0)
    scores = rng.random((5, 50)).astype(np.float32)
    assert np.array_equal(top_k(scores, 7), np.argsort(-scores, axis=1)[:, :7])
    assert top_k(scores, 100).shape == (5, 50)


def test_lexical_indexes_score_the_obvious_match_highest() -> None:
    texts = ["java developer", "registered nurse", "enfermero", "software engineer"]
    assert Bm25Index(texts).scores(["nurse"]).argmax() == 1
    assert Bm25Index(texts).scores(["zzz"]).tolist() == [[0.0] * 4]
