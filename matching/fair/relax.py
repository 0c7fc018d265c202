"""Stage 1 of the fair scheduler: choose who meets whom, ignoring the timetable.

Dropping the per-slot rules leaves a bipartite b-matching with degree bounds, whose
constraint matrix is totally unimodular: its LP relaxation has an integral optimum and
a min-cost flow finds it exactly in milliseconds (1,000 × 100 in ~0.2 s; HiGHS on the
same LP takes seconds, see bench/bench_fair.py). Its optimum is therefore both a
candidate set of pairs and an upper bound (the LP bound) on any real schedule.

Fairness is lexicographic ("leximin" on meetings up to the minimum): every graduate's
k-th meeting, for k <= min_per_candidate, earns a tier reward W[k] with
W[1] > G·W[2] > ... and W[min] larger than any possible total score. So the solver
first maximises the number of graduates with >= 1 meeting, then with >= 2, and so
on, and only then the score. When the seats allow everyone the minimum this is the
same as a hard min constraint; when they do not, nobody is left at zero while someone
else gets a second meeting that could have been spared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.fair.arrays import FairArrays
from matching.fair.types import SCORE_SCALE

_INT_ROOM = 2**62


def tier_weights(a: FairArrays) -> np.ndarray:
    """Reward W[k] of a graduate's k-th meeting for k = 1..min (W[0] = 0), as int64.

    W[min] exceeds any total score; each lower tier is (G + 1) times the next one, so
    one more graduate at level k outweighs any gain at levels > k. If that would
    overflow int64 in the flow solver (min >= 4 with thousands of graduates) the factor
    shrinks: tiers stay ordered and the min rule is still met whenever seats allow it,
    but the leximin order among unmet graduates becomes approximate.
    """
    n_g, n_c, _ = a.shape
    m = a.min_target
    w = np.zeros(m + 1, np.int64)
    if m == 0:
        return w
    base = SCORE_SCALE * int(a.g_cap.sum()) + 1
    room = _INT_ROOM // max(n_g + n_c + 3, n_g * m + 1)
    factor = n_g + 1
    while factor > 2 and base * factor ** (m - 1) > room:
        factor = max(2, int(factor**0.5))
    value = base
    for k in range(m, 0, -1):
        w[k] = value
        value *= factor
    return w


def tier_value(a: FairArrays, weights: np.ndarray, new_meetings: np.ndarray) -> int:
    """Total tier reward of giving each graduate `new_meetings[g]` more meetings."""
    cum = np.concatenate([[0], np.cumsum(weights[1:])])
    m = a.min_target
    top = np.minimum(a.held_g + new_meetings, m)
    low = np.minimum(a.held_g, m)
    return int((cum[top] - cum[low]).sum())


@dataclass(frozen=True, eq=False)
class Relaxation:
    """Optimal pair choice without the timetable.

    Attributes:
        pairs: (G, C) bool, the new pairs (required ones included).
        value: Tier reward + scaled score: an upper bound for any schedule's value.
    """

    pairs: np.ndarray
    value: int


def relax_pairs(a: FairArrays, weights: np.ndarray) -> Relaxation:
    """Solve the pair relaxation exactly as a min-cost flow.

    Network: source -> graduate (one unit arc per missing tier at cost -W[k], one arc for
    the remaining capacity at cost 0) -> company (unit arcs at cost -score) -> sink
    (capacity = company cap), plus a free source -> sink bypass so that the amount of
    flow is chosen by cost. Required pairs are fixed beforehand.
    """
    n_g, n_c, _ = a.shape
    m = a.min_target
    req_g, req_c = a.required.sum(1), a.required.sum(0)
    cap_g = a.g_cap - req_g
    cap_c = a.c_cap - req_c
    have = a.held_g + req_g
    src, sink = 0, 1 + n_g + n_c
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    caps: list[np.ndarray] = []
    costs: list[np.ndarray] = []

    def add(t: np.ndarray, h: np.ndarray, cap: np.ndarray, cost: np.ndarray) -> None:
        tails.append(t)
        heads.append(h)
        caps.append(cap)
        costs.append(cost)

    g_nodes = np.arange(n_g) + 1
    tiers = np.zeros(n_g, np.int64)
    for k in range(1, m + 1):
        on = (have < k) & (k <= have + cap_g)
        tiers += on
        add(np.full(on.sum(), src), g_nodes[on], np.ones(on.sum()), np.full(on.sum(), -weights[k]))
    add(np.full(n_g, src), g_nodes, cap_g - tiers, np.zeros(n_g))
    gs, cs = np.nonzero(a.allowed & ~a.required)
    first_pair = sum(len(t) for t in tails)
    add(gs + 1, cs + 1 + n_g, np.ones(len(gs)), -a.score_int[gs, cs])
    add(np.arange(n_c) + 1 + n_g, np.full(n_c, sink), cap_c, np.zeros(n_c))
    supply = int(cap_g.sum())
    add(np.array([src]), np.array([sink]), np.array([supply]), np.array([0]))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    supplies = np.zeros(sink + 1, np.int64)
    supplies[src], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow of the pair relaxation failed with status {status}")
    used = flow.flows(arcs[first_pair : first_pair + len(gs)]) > 0
    pairs = a.required.copy()
    pairs[gs[used], cs[used]] = True
    value = tier_value(a, weights, pairs.sum(1)) + int(a.score_int[pairs].sum())
    return Relaxation(pairs=pairs, value=value)
