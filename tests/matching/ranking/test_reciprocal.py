"""Reciprocal fit on matrices whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matching.ranking.reciprocal import ranks_within, reciprocal

# Two graduates, two companies: both graduates like company 0 best, but company 0 prefers graduate 0
# strongly and company 1 is graduate 1's clear second choice and ranks graduate 1 first.
SCORES = np.array([[0.9, 0.2], [0.8, 0.7]])
ALL = np.ones_like(SCORES, dtype=bool)


def test_ranks_from_each_side() -> None:
    assert ranks_within(SCORES, ALL, 1).tolist() == [[1, 2], [1, 2]]  # each graduate's ranking of companies
    assert ranks_within(SCORES, ALL, 0).tolist() == [[1, 2], [2, 1]]  # each company's ranking of graduates


def test_reciprocal_ranks_reward_mutual_first_choices() -> None:
    value = reciprocal(SCORES, ALL)
    assert value[0, 0] == pytest.approx(1.0)  # first for each other
    assert value[1, 0] == pytest.approx(2 * 1 * 0.5 / 1.5)  # graduate 1's first, company 0's second
    assert value[1, 1] == pytest.approx(value[1, 0])
    assert value[0, 1] == pytest.approx(0.5)


def test_normalised_scores_and_ineligible_pairs() -> None:
    eligible = np.array([[True, False], [True, True]])
    value = reciprocal(SCORES, eligible, "scores")
    assert value[0, 1] == 0.0
    assert value[0, 0] == pytest.approx(1.0)
    assert value[1, 1] == pytest.approx(2 * (0.7 / 0.8) * 1.0 / (0.7 / 0.8 + 1.0))
    assert ranks_within(SCORES, eligible, 0)[1, 1] == 1  # the only eligible graduate for company 1
    with pytest.raises(ValueError, match="method"):
        reciprocal(SCORES, ALL, "average")  # type: ignore[arg-type]
