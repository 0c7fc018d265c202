"""CP-SAT model of the fair schedule: pairs and slots decided together.

Used whole for small fairs (a few thousand (graduate, company, slot) triples), where it
proves optimality, and as a repair step for large ones: the meetings that are not near
a conflict are fixed as if already held (`fix_meetings`), and CP-SAT re-plans the
rest. The objective is the same as the pair relaxation's (tier rewards for meetings up
to the minimum, then scaled scores), so their values compare directly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from matching.fair.arrays import FairArrays
from matching.fair.types import FairRulesConflict


@dataclass(frozen=True, eq=False)
class JointResult:
    """Outcome of a CP-SAT solve.

    Attributes:
        triples: (K, 3) new meetings as (graduate, company, slot).
        optimal: Whether CP-SAT proved optimality.
        bound: CP-SAT's bound on the objective (tier rewards + scaled score).
    """

    triples: np.ndarray
    optimal: bool
    bound: int


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stop the search once the objective reaches a known upper bound."""

    def __init__(self, target: int) -> None:
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.target:
            self.stop_search()


def fix_meetings(a: FairArrays, triples: np.ndarray) -> FairArrays:
    """Arrays in which `triples` count as held: their seats, slots and pairs are used up."""
    t = np.asarray(triples, np.int64).reshape(-1, 3)
    g_free, c_seats = a.g_free.copy(), a.c_seats.copy()
    g_free[t[:, 0], t[:, 2]] = False
    np.subtract.at(c_seats, (t[:, 1], t[:, 2]), 1)
    allowed, required = a.allowed.copy(), a.required.copy()
    allowed[t[:, 0], t[:, 1]] = False
    required[t[:, 0], t[:, 1]] = False
    n_g, n_c, _ = a.shape
    used_g, used_c = np.bincount(t[:, 0], minlength=n_g), np.bincount(t[:, 1], minlength=n_c)
    common = (g_free.astype(np.int64) @ (c_seats > 0).T.astype(np.int64)) > 0
    return replace(
        a,
        allowed=allowed & common,
        required=required,
        g_free=g_free,
        c_seats=c_seats,
        g_cap=a.g_cap - used_g,
        c_cap=a.c_cap - used_c,
        held_g=a.held_g + used_g,
        held=np.concatenate([a.held, t]),
    )


def solve_joint(
    a: FairArrays,
    weights: np.ndarray,
    candidates: np.ndarray,
    hint: np.ndarray,
    *,
    time_limit: float,
    workers: int,
    target: int | None = None,
) -> JointResult | None:
    """Maximise tier rewards + score over new meetings of candidate pairs with CP-SAT.

    Args:
        a: Problem arrays (held meetings already accounted for).
        weights: Tier rewards from `tier_weights`.
        candidates: (G, C) bool, pairs that may meet (required pairs are always added).
        hint: (K, 3) a feasible set of new meetings to start from.
        time_limit: Seconds CP-SAT may use.
        workers: CP-SAT search workers.
        target: Stop as soon as a solution reaches this objective (a known upper bound,
            e.g. from the pair relaxation, that CP-SAT's own bound would take long to prove).

    Returns:
        The best schedule found, or None when CP-SAT found none in time.

    Raises:
        FairRulesConflict: CP-SAT proved the required meetings cannot be timetabled.
    """
    n_g, n_c, _ = a.shape
    m = a.min_target
    model = cp_model.CpModel()
    pairs = np.argwhere((candidates & a.allowed) | a.required)
    hinted = {(int(g), int(c), int(s)) for g, c, s in np.asarray(hint).reshape(-1, 3)}
    by_g: list[list[cp_model.IntVar]] = [[] for _ in range(n_g)]
    by_c: list[list[cp_model.IntVar]] = [[] for _ in range(n_c)]
    by_gs: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_cs: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    triples: list[tuple[int, int, int, cp_model.IntVar]] = []
    objective = []
    for g, c in pairs.tolist():
        slots = np.nonzero(a.g_free[g] & (a.c_seats[c] > 0))[0].tolist()
        here = []
        for s in slots:
            y = model.new_bool_var(f"y{g}_{c}_{s}")
            model.add_hint(y, (g, c, s) in hinted)
            here.append(y)
            triples.append((g, c, s, y))
            by_g[g].append(y)
            by_c[c].append(y)
            by_gs.setdefault((g, s), []).append(y)
            by_cs.setdefault((c, s), []).append(y)
            objective.append(int(a.score_int[g, c]) * y)
        if a.required[g, c]:
            model.add_exactly_one(here)
        else:
            model.add_at_most_one(here)
    for ys in by_gs.values():
        model.add_at_most_one(ys)
    for (c, s), ys in by_cs.items():
        model.add(sum(ys) <= int(a.c_seats[c, s]))
    hint_deg = np.bincount([g for g, _, _ in hinted], minlength=n_g)
    for g in range(n_g):
        if by_g[g]:
            model.add(sum(by_g[g]) <= int(a.g_cap[g]))
        levels = range(int(a.held_g[g]) + 1, min(m, int(a.held_g[g] + a.g_cap[g])) + 1)
        tiers = [model.new_bool_var(f"t{g}_{k}") for k in levels]
        for k, t in zip(levels, tiers, strict=True):
            model.add_hint(t, a.held_g[g] + hint_deg[g] >= k)
            objective.append(int(weights[k]) * t)
        if tiers:
            model.add(sum(tiers) <= sum(by_g[g]))
            for lower, higher in itertools.pairwise(tiers):
                model.add_implication(higher, lower)  # a 2nd meeting's reward needs the 1st's
    for c in range(n_c):
        if by_c[c]:
            model.add(sum(by_c[c]) <= int(a.c_cap[c]))
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.05)
    solver.parameters.num_workers = workers
    status = solver.solve(model, _StopAt(target) if target is not None else None)
    if status == cp_model.INFEASIBLE:
        reason = (
            "the solver proved the required meetings cannot all be timetabled "
            "(seats or availability in the shared slots are too few)"
        )
        raise FairRulesConflict([reason])
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [(g, c, s) for g, c, s, y in triples if solver.boolean_value(y)]
    reached = target is not None and solver.objective_value >= target
    return JointResult(
        triples=np.array(chosen, np.int64).reshape(-1, 3),
        optimal=status == cp_model.OPTIMAL or reached,
        bound=int(np.floor(solver.best_objective_bound + 1e-6)),
    )
