"""The solving pipeline behind `plan_fair`: relaxation, timetable, repair, full model.

Kept apart from the public API in `fair` so each file holds one idea. Everything here
works on `FairArrays` and returns index triples (graduate, company, slot).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matching.fair.arrays import FairArrays
from matching.fair.joint import fix_meetings, solve_joint
from matching.fair.relax import Relaxation, relax_pairs, tier_value, tier_weights
from matching.fair.timetable import greedy_fill, kempe_timetable
from matching.fair.types import FairRulesConflict

JOINT_LIMIT = 20_000
"""Largest number of (graduate, company, slot) triples solved by the full CP-SAT model."""

REPAIR_SHARE = 0.5
"""Share of the time limit the local repair may use; the rest is for the full model."""

REPAIR_MAX_SECONDS = 3.0
"""Cap on the local repair: measured gains after ~2 s are below 0.01 % of the score."""

REPAIR_ALTERNATIVES = 10
"""Extra companies (best scores first) offered to a graduate whose pair lost its slot."""


def _value(a: FairArrays, weights: np.ndarray, new: np.ndarray) -> int:
    deg = np.bincount(new[:, 0], minlength=a.shape[0])
    return tier_value(a, weights, deg) + int(a.score_int[new[:, 0], new[:, 1]].sum())


def _repair(
    a: FairArrays,
    weights: np.ndarray,
    edges: np.ndarray,
    slots: np.ndarray,
    deadline: float,
    workers: int,
    target: int | None,
) -> np.ndarray:
    """Re-plan with CP-SAT the neighbourhood of pairs the timetable could not place.

    The meetings away from the lost pairs are fixed; CP-SAT stops early once the
    neighbourhood reaches what the relaxation promised for it (`target` minus the value
    of the fixed meetings: tier rewards add up across the two parts).
    """
    placed = np.column_stack([edges, slots])[slots >= 0]
    lost = edges[slots < 0]
    if len(lost) == 0 or time.perf_counter() >= deadline:
        return placed
    near_g = np.isin(placed[:, 0], lost[:, 0]) | np.isin(placed[:, 1], lost[:, 1])
    local = fix_meetings(a, placed[~near_g])
    candidates = np.zeros_like(a.allowed)
    candidates[placed[near_g, 0], placed[near_g, 1]] = True
    candidates[lost[:, 0], lost[:, 1]] = True
    for g in np.unique(lost[:, 0]):
        best = np.argsort(-np.where(local.allowed[g], a.score_int[g], -1), kind="stable")
        candidates[g, best[:REPAIR_ALTERNATIVES]] = True
    budget = deadline - time.perf_counter()
    local_target = None if target is None else target - _value(a, weights, placed[~near_g])
    result = solve_joint(
        local,
        weights,
        candidates,
        placed[near_g],
        time_limit=budget,
        workers=workers,
        target=local_target,
    )
    if result is None:
        return placed
    return np.concatenate([placed[~near_g], result.triples])


def _two_stage(
    a: FairArrays, weights: np.ndarray, deadline: float, workers: int
) -> tuple[np.ndarray, Relaxation]:
    """Relaxation, timetable, repair of lost pairs, fill; returns new meetings (K, 3)."""
    relaxation = relax_pairs(a, weights)
    edges, slots = kempe_timetable(a, relaxation.pairs)
    try:
        placed = _repair(a, weights, edges, slots, deadline, workers, relaxation.value)
    except FairRulesConflict:  # the neighbourhood alone is infeasible, not the fair
        placed = np.column_stack([edges, slots])[slots >= 0]
    return greedy_fill(a, placed), relaxation


def _with_required_first(
    a: FairArrays, weights: np.ndarray, deadline: float, workers: int
) -> np.ndarray:
    """Timetable the required pairs alone (exactly, by CP-SAT), then plan around them.

    Raises:
        FairRulesConflict: CP-SAT proved they cannot all be timetabled.
    """
    none = np.zeros_like(a.allowed)
    budget = max(deadline - time.perf_counter(), 1.0)
    alone = solve_joint(a, weights, none, np.empty((0, 3)), time_limit=budget, workers=workers)
    if alone is None:
        raise FairRulesConflict(["no timetable for the required meetings was found in time"])
    rest, _ = _two_stage(fix_meetings(a, alone.triples), weights, deadline, workers)
    return np.concatenate([alone.triples, rest])


@dataclass(frozen=True, eq=False)
class Outcome:
    """What `solve` found: new meetings and what is known about the optimum."""

    new: np.ndarray
    optimal: bool
    method: str
    bound_value: int
    relaxation: Relaxation
    weights: np.ndarray


def solve(a: FairArrays, time_limit: float, workers: int, joint_limit: int) -> Outcome:
    """Plan new meetings: two-stage first, the full CP-SAT model if small and not optimal."""
    deadline = time.perf_counter() + time_limit
    weights = tier_weights(a)
    repair = min(REPAIR_SHARE * time_limit, REPAIR_MAX_SECONDS)
    new, relaxation = _two_stage(a, weights, time.perf_counter() + repair, workers)
    met = np.zeros_like(a.required)
    met[new[:, 0], new[:, 1]] = True
    if (a.required & ~met).any():
        new = _with_required_first(a, weights, deadline, workers)
    value, bound = _value(a, weights, new), relaxation.value
    two_stage = Outcome(new, value >= bound, "relaxation+timetable", bound, relaxation, weights)
    triples = int((a.g_free.astype(np.int64) @ (a.c_seats > 0).T)[a.allowed | a.required].sum())
    if two_stage.optimal or triples > joint_limit or time.perf_counter() >= deadline:
        return two_stage
    left = deadline - time.perf_counter()
    result = solve_joint(a, weights, a.allowed, new, time_limit=left, workers=workers, target=bound)
    if result is None:
        return two_stage
    best = result.triples if _value(a, weights, result.triples) >= value else new
    return Outcome(
        best, result.optimal, "cp-sat joint", min(bound, result.bound), relaxation, weights
    )
