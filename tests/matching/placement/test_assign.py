"""Tests of traineeship placement against brute force and a textbook instance."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matching.placement.assign import (
    Placement,
    PlacementError,
    PlacementProblem,
    compare,
    count_blocking_pairs,
    stable_placement,
    welfare_placement,
)


def _textbook() -> PlacementProblem:
    """Gale-Shapley style 3 × 3 instance with three stable matchings.

    A: X > Y > Z   B: Y > Z > X   C: Z > X > Y
    X: B > C > A   Y: C > A > B   Z: A > B > C
    Every graduate's first choice (A-X, B-Y, C-Z) is stable and so is every posting's
    (X-B, Y-C, Z-A); A-Y, B-Z, C-X lies in between.
    """
    return PlacementProblem(
        graduates=("A", "B", "C"),
        postings=("X", "Y", "Z"),
        capacities=(1, 1, 1),
        scores=np.zeros((3, 3)),
        graduate_rankings={"A": ["X", "Y", "Z"], "B": ["Y", "Z", "X"], "C": ["Z", "X", "Y"]},
        posting_rankings={"X": ["B", "C", "A"], "Y": ["C", "A", "B"], "Z": ["A", "B", "C"]},
    )


def test_textbook_graduate_vs_posting_proposing() -> None:
    problem = _textbook()
    by_graduates = stable_placement(problem)
    by_postings = stable_placement(problem, proposing="postings")
    assert by_graduates.assignment == {"A": "X", "B": "Y", "C": "Z"}
    assert by_postings.assignment == {"A": "Z", "B": "X", "C": "Y"}
    assert count_blocking_pairs(problem, by_graduates) == 0
    assert count_blocking_pairs(problem, by_postings) == 0
    stable = _all_stable(problem)
    assert len(stable) == 3
    comparison = compare(problem)
    assert comparison.stable.mean_rank == 1.0
    assert compare(problem, proposing="postings").stable.mean_rank == 3.0


# --- independent brute force: preferences rebuilt from scratch, loops only ---------------


def _acceptable(problem: PlacementProblem, g: int, p: int) -> bool:
    gid, pid = problem.graduates[g], problem.postings[p]
    if problem.eligible is not None and not problem.eligible[g, p]:
        return False
    g_lists, p_lists = problem.graduate_rankings or {}, problem.posting_rankings or {}
    if gid in g_lists and pid not in g_lists[gid]:
        return False
    return not (pid in p_lists and gid not in p_lists[pid])


def _g_key(problem: PlacementProblem, g: int, p: int) -> tuple[float, int]:
    """Higher is better for graduate g."""
    gid = problem.graduates[g]
    if problem.graduate_rankings and gid in problem.graduate_rankings:
        return (-problem.graduate_rankings[gid].index(problem.postings[p]), 0)
    return (float(problem.scores[g, p]), -p)


def _p_key(problem: PlacementProblem, p: int, g: int) -> tuple[float, int]:
    """Higher is better for posting p."""
    pid = problem.postings[p]
    if problem.posting_rankings and pid in problem.posting_rankings:
        return (-problem.posting_rankings[pid].index(problem.graduates[g]), 0)
    return (float(problem.scores[g, p]), -g)


def _brute_blocking(problem: PlacementProblem, match: dict[int, int]) -> int:
    count = 0
    for g, p in itertools.product(range(len(problem.graduates)), range(len(problem.postings))):
        if not _acceptable(problem, g, p) or match.get(g) == p:
            continue
        g_better = g not in match or _g_key(problem, g, p) > _g_key(problem, g, match[g])
        holders = [h for h, q in match.items() if q == p]
        p_better = len(holders) < problem.capacities[p] or any(
            _p_key(problem, p, g) > _p_key(problem, p, h) for h in holders
        )
        count += g_better and p_better
    return count


def _all_assignments(problem: PlacementProblem) -> list[dict[int, int]]:
    n_g, n_p = len(problem.graduates), len(problem.postings)
    out = []
    for pick in itertools.product([None, *range(n_p)], repeat=n_g):
        match = {g: p for g, p in enumerate(pick) if p is not None}
        if any(not _acceptable(problem, g, p) for g, p in match.items()):
            continue
        if any(list(match.values()).count(p) > problem.capacities[p] for p in range(n_p)):
            continue
        out.append(match)
    return out


def _all_stable(problem: PlacementProblem) -> list[dict[int, int]]:
    return [m for m in _all_assignments(problem) if _brute_blocking(problem, m) == 0]


def _as_index(problem: PlacementProblem, placement: Placement) -> dict[int, int]:
    g = {x: i for i, x in enumerate(problem.graduates)}
    p = {x: i for i, x in enumerate(problem.postings)}
    return {g[a]: p[b] for a, b in placement.assignment.items()}


def _random_problem(seed: int, with_rankings: bool = False) -> PlacementProblem:
    rng = np.random.default_rng(seed)
    n_g, n_p = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    scores = rng.integers(0, 4, (n_g, n_p)) / 4  # coarse: many ties
    gids = tuple(f"g{i}" for i in range(n_g))
    pids = tuple(f"p{j}" for j in range(n_p))
    g_rank = p_rank = None
    if with_rankings:
        g_rank = {gids[0]: list(rng.permutation(pids)[: max(1, n_p - 1)])}
        p_rank = {pids[0]: list(rng.permutation(gids))}
    return PlacementProblem(
        graduates=gids,
        postings=pids,
        capacities=tuple(int(c) for c in rng.integers(0, 3, n_p)),
        scores=scores,
        eligible=rng.random((n_g, n_p)) < 0.8,
        graduate_rankings=g_rank,
        posting_rankings=p_rank,
    )


@pytest.mark.parametrize("seed", range(40))
def test_stable_by_brute_force_and_graduate_optimal(seed: int) -> None:
    problem = _random_problem(seed, with_rankings=seed % 2 == 1)
    stable = _all_stable(problem)
    by_g = _as_index(problem, stable_placement(problem))
    by_p = _as_index(problem, stable_placement(problem, proposing="postings"))
    assert _brute_blocking(problem, by_g) == 0 and _brute_blocking(problem, by_p) == 0
    assert by_g in stable and by_p in stable

    def rank(g: int, match: dict[int, int]) -> tuple[float, int]:
        return _g_key(problem, g, match[g]) if g in match else (-np.inf, 0)

    for other in stable:
        for g in range(len(problem.graduates)):
            assert rank(g, by_g) >= rank(g, other) >= rank(g, by_p)
        # rural hospitals theorem: every stable matching places the same graduates
        assert set(other) == set(by_g)


@pytest.mark.parametrize("seed", range(40))
def test_welfare_is_optimal_and_at_least_stable(seed: int) -> None:
    problem = _random_problem(seed, with_rankings=seed % 3 == 0)
    welfare = welfare_placement(problem)
    stable = stable_placement(problem)
    best = max(sum(problem.scores[g, p] for g, p in m.items()) for m in _all_assignments(problem))
    assert welfare.total_score == pytest.approx(best)
    assert welfare.total_score >= stable.total_score - 1e-12
    match = _as_index(problem, welfare)
    assert count_blocking_pairs(problem, welfare) == _brute_blocking(problem, match)
    for placement in (welfare, stable):
        used = {p: list(placement.assignment.values()).count(p) for p in problem.postings}
        for p, cap in zip(problem.postings, problem.capacities, strict=True):
            assert used[p] <= cap and placement.empty_seats[p] == cap - used[p]
        for g, p in _as_index(problem, placement).items():
            assert _acceptable(problem, g, p), "ineligible or unlisted pair assigned"
        placed = set(placement.assignment) | set(placement.unplaced)
        assert placed == set(problem.graduates)


def test_ties_are_broken_by_index() -> None:
    problem = PlacementProblem(("g0", "g1", "g2"), ("p0", "p1"), (1, 1), np.full((3, 2), 0.5))
    assert stable_placement(problem).assignment == {"g0": "p0", "g1": "p1"}
    assert stable_placement(problem, proposing="postings").assignment == {"g0": "p0", "g1": "p1"}
    assert stable_placement(problem).unplaced == ("g2",)


def test_ineligible_pairs_are_never_placed() -> None:
    problem = PlacementProblem(
        ("g0", "g1"),
        ("p0",),
        (2,),
        np.array([[0.9], [0.8]]),
        eligible=np.array([[False], [True]]),
        graduate_rankings={"g0": ["p0"]},
    )
    for placement in (stable_placement(problem), welfare_placement(problem)):
        assert placement.assignment == {"g1": "p0"}
        assert placement.empty_seats == {"p0": 1}


def test_stability_can_cost_welfare() -> None:
    # g0 is everyone's favourite: stable gives g0 its top posting p0 (0.9 + 0.1 for g1 at
    # p1 = 1.0); welfare sends g0 to p1 so g1 can take p0 (0.8 + 0.85 = 1.65).
    problem = PlacementProblem(
        ("g0", "g1"), ("p0", "p1"), (1, 1), np.array([[0.9, 0.85], [0.8, 0.1]])
    )
    comparison = compare(problem)
    assert comparison.stable.total_score == pytest.approx(1.0)
    assert comparison.welfare.total_score == pytest.approx(1.65)
    assert comparison.stable.blocking_pairs == 0
    assert comparison.welfare.blocking_pairs == 1
    assert "welfare" in comparison.table()


def test_bad_input_raises_placement_error() -> None:
    with pytest.raises(PlacementError, match="scores has shape"):
        stable_placement(PlacementProblem(("g0",), ("p0",), (1,), np.zeros((2, 1))))
    with pytest.raises(PlacementError, match="unknown ids"):
        stable_placement(
            PlacementProblem(
                ("g0",), ("p0",), (1,), np.zeros((1, 1)), graduate_rankings={"g0": ["nope"]}
            )
        )
