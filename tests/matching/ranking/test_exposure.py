"""The exposure audit's measures on lists whose answers are known by hand."""

from __future__ import annotations

import math

import pytest

from matching.ranking.exposure import (
    OTHER,
    audit,
    det_greedy,
    discount,
    merge_small_groups,
    ndcg_at_k,
    ndkl,
    skew_at_k,
)


def test_small_groups_merge_into_other_and_a_small_other_is_withheld() -> None:
    labels = {i: "A" for i in range(6)} | {10: "B", 11: "B", 12: "C"}
    merged, suppressed = merge_small_groups(labels, 5)
    assert merged[10] == merged[12] == OTHER and merged[0] == "A"
    assert suppressed == {OTHER}  # three people: their row is withheld
    merged, suppressed = merge_small_groups(labels | {13: "D", 14: "E"}, 5)
    assert suppressed == set()


def test_skew_is_positive_for_the_over_represented_group() -> None:
    ranked = ["A", "A", "B", "B"]
    desired = {"A": 0.5, "B": 0.5}
    assert skew_at_k(ranked, desired, "A", 2) == pytest.approx(math.log(1.01 / 0.51))
    assert skew_at_k(ranked, desired, "B", 2) < -3
    assert skew_at_k(ranked, desired, "A", 4) == pytest.approx(0.0)


def test_ndkl_is_zero_for_one_group_and_worse_when_blocked() -> None:
    assert ndkl(["A"] * 5, {"A": 1.0}) == 0.0
    mix = {"A": 0.5, "B": 0.5}
    alternating, blocked = ["A", "B"] * 4, ["A"] * 4 + ["B"] * 4
    assert 0 < ndkl(alternating, mix) < ndkl(blocked, mix)


def test_det_greedy_interleaves_towards_the_mix_and_costs_ndcg() -> None:
    items = [(f"a{i}", 1.0 - i * 0.05, "A") for i in range(4)] + [(f"b{i}", 0.5 - i * 0.05, "B") for i in range(4)]
    order = det_greedy(items, {"A": 0.5, "B": 0.5}, k=4)
    assert order == ["a0", "b0", "a1", "b1"]
    score = {key: s for key, s, _ in items}
    by_score = sorted(score, key=lambda key: -score[key])
    assert ndcg_at_k([score[key] for key in by_score], 4) == pytest.approx(1.0)
    assert ndcg_at_k([score[key] for key in order], 4) < 1.0
    assert discount(1) == 1.0 and discount(3) == 0.5


def test_audit_reports_exposure_and_the_four_fifths_ratio() -> None:
    labels = {f"a{i}": "A" for i in range(5)} | {f"b{i}": "B" for i in range(5)}
    lists = [[f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)]] * 3
    interviewed = {"a0": 1, "a1": 2, "a2": 1, "a3": 1, "b0": 1, "b1": 1}
    result = audit(lists, labels, interviewed, k=5)
    rows = {r.group: r for r in result.groups}
    assert rows["A"].exposure_share > 0.6 > rows["B"].exposure_share
    assert rows["A"].exposure_ratio > 1 > rows["B"].exposure_ratio
    assert rows["A"].mean_skew_at_k > 0 > rows["B"].mean_skew_at_k
    assert (rows["A"].interview_rate, rows["B"].interview_rate) == (0.8, 0.4)
    assert (rows["A"].interviews, rows["B"].interviews) == (5, 2)
    assert result.four_fifths_ratio == 0.5 and result.lowest_group == "B" and result.four_fifths_ok is False
    assert result.lists == 3 and result.mean_ndkl > 0
