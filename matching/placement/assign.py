"""Traineeship placement: stable (deferred acceptance) and welfare-maximising assignments.

Each graduate gets at most one posting; a posting takes at most `capacity` graduates.
Preferences come from the ranking's score matrix: graduates rank postings, and
postings rank graduates, by score, best first. Ties are broken by index (the lower
graduate or posting index wins), which makes every result deterministic; a matching
stable for the tie-broken lists is weakly stable for the tied ones. Explicit rankings
(per graduate a list of posting ids, per posting a list of graduate ids) replace the
derived list of that graduate or posting; anything not listed is unacceptable. An
ineligible pair is unacceptable to both sides whatever the lists say.

Deferred acceptance is written here (~40 lines) rather than taken from the PyPI
`matching` package: that package installs a top-level module named `matching`, which
would shadow this one, needs strict lists (no ties) and capacities >= 1.

Example:
    >>> problem = PlacementProblem(("g1", "g2"), ("p1",), (1,), np.array([[0.9], [0.4]]))
    >>> stable_placement(problem).assignment
    {'g1': 'p1'}
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching.placement.prefs import (
    UNACCEPTABLE,
    PlacementError,
    PlacementProblem,
    Preferences,
    preferences,
)

__all__ = [
    "Placement",
    "PlacementComparison",
    "PlacementError",
    "PlacementProblem",
    "PlacementSummary",
    "Preferences",
    "blocking_pairs",
    "compare",
    "count_blocking_pairs",
    "preferences",
    "stable_placement",
    "summarise",
    "welfare_placement",
]


@dataclass(frozen=True)
class Placement:
    """An assignment with what it leaves over.

    Attributes:
        assignment: Graduate id -> posting id, for placed graduates.
        unplaced: Graduates without a posting.
        empty_seats: Posting id -> seats left free.
        total_score: Sum of scores of the assigned pairs.
        method: "graduate-proposing", "posting-proposing" or "welfare".
    """

    assignment: Mapping[str, str]
    unplaced: tuple[str, ...]
    empty_seats: Mapping[str, int]
    total_score: float
    method: str


def _graduates_propose(prefs: Preferences, caps: Sequence[int]) -> np.ndarray:
    n_g = prefs.g_rank.shape[0]
    lists = [prefs.graduate_list(g) for g in range(n_g)]
    nxt: list[int] = [0] * n_g
    held: list[list[int]] = [[] for _ in caps]
    free = deque(range(n_g))
    while free:
        g = free.popleft()
        while nxt[g] < len(lists[g]):
            p = lists[g][nxt[g]]
            nxt[g] += 1
            if caps[p] == 0:
                continue
            held[p].append(g)
            if len(held[p]) > caps[p]:
                worst = max(held[p], key=lambda x: prefs.p_rank[p, x])
                held[p].remove(worst)
                free.append(worst)
            break
    match = np.full(n_g, -1, np.int64)
    for p, gs in enumerate(held):
        match[gs] = p
    return match


def _postings_propose(prefs: Preferences, caps: Sequence[int]) -> np.ndarray:
    n_p = prefs.p_rank.shape[0]
    lists = [prefs.posting_list(p) for p in range(n_p)]
    nxt, seats = [0] * n_p, list(caps)
    match = np.full(prefs.g_rank.shape[0], -1, np.int64)
    queue = deque(range(n_p))
    while queue:
        p = queue.popleft()
        while seats[p] > 0 and nxt[p] < len(lists[p]):
            g = lists[p][nxt[p]]
            nxt[p] += 1
            cur = match[g]
            if cur == -1 or prefs.g_rank[g, p] < prefs.g_rank[g, cur]:
                match[g] = p
                seats[p] -= 1
                if cur != -1:
                    seats[cur] += 1
                    queue.append(int(cur))
    return match


def _placement(problem: PlacementProblem, match: np.ndarray, method: str) -> Placement:
    scores = np.asarray(problem.scores, float)
    placed = np.nonzero(match >= 0)[0]
    used = np.bincount(match[placed], minlength=len(problem.postings))
    return Placement(
        assignment={problem.graduates[g]: problem.postings[match[g]] for g in placed},
        unplaced=tuple(problem.graduates[g] for g in np.nonzero(match < 0)[0]),
        empty_seats={
            p: int(c - u)
            for p, c, u in zip(problem.postings, problem.capacities, used, strict=True)
        },
        total_score=float(scores[placed, match[placed]].sum()),
        method=method,
    )


def stable_placement(
    problem: PlacementProblem, *, proposing: Literal["graduates", "postings"] = "graduates"
) -> Placement:
    """Stable assignment by deferred acceptance with capacities.

    Graduate-proposing (the default) gives every graduate their best posting among all
    stable assignments; posting-proposing gives the postings theirs.

    Example:
        >>> stable_placement(problem, proposing="postings").unplaced
        ('g2',)
    """
    prefs = preferences(problem)
    caps = list(problem.capacities)
    if proposing == "graduates":
        return _placement(problem, _graduates_propose(prefs, caps), "graduate-proposing")
    return _placement(problem, _postings_propose(prefs, caps), "posting-proposing")


def welfare_placement(problem: PlacementProblem) -> Placement:
    """Assignment of maximum total score under capacities (acceptable pairs only).

    Solved exactly by `linear_sum_assignment` on the seat-expanded matrix plus one
    "unplaced" column per graduate. Scores are rounded to 1e-6; among equal totals
    the one placing more graduates wins.
    """
    prefs = preferences(problem)
    n_g = len(problem.graduates)
    seats = np.repeat(np.arange(len(problem.postings)), problem.capacities)
    ok = prefs.g_rank != UNACCEPTABLE
    gain = np.rint(np.asarray(problem.scores, float) * 1e6) * (n_g + 1) + 1
    cost = np.where(ok[:, seats], -gain[:, seats], 1.0)
    rows, cols = linear_sum_assignment(np.hstack([cost, np.zeros((n_g, n_g))]))
    match = np.full(n_g, -1, np.int64)
    real = cols < len(seats)
    match[rows[real]] = seats[cols[real]]
    placed = np.nonzero(match >= 0)[0]
    match[placed[~ok[placed, match[placed]]]] = -1  # never happens: the 0-cost column wins
    return _placement(problem, match, "welfare")


def blocking_pairs(problem: PlacementProblem, placement: Placement) -> list[tuple[str, str]]:
    """Pairs (graduate, posting) that would both rather be together than as placed.

    Uses the tie-broken strict preferences of `preferences`.
    """
    prefs = preferences(problem)
    gpos = {g: i for i, g in enumerate(problem.graduates)}
    ppos = {p: i for i, p in enumerate(problem.postings)}
    n_g, n_p = prefs.g_rank.shape
    match = np.full(n_g, -1, np.int64)
    for gid, pid in placement.assignment.items():
        match[gpos[gid]] = ppos[pid]
    own = np.full(n_g, UNACCEPTABLE, np.int64)
    placed = np.nonzero(match >= 0)[0]
    own[placed] = prefs.g_rank[placed, match[placed]]
    g_wants = (prefs.g_rank < own[:, None]) & (prefs.g_rank != UNACCEPTABLE)
    worst = np.full(n_p, -1, np.int64)
    for p in range(n_p):
        mine = np.nonzero(match == p)[0]
        if len(mine) >= problem.capacities[p]:
            worst[p] = prefs.p_rank[p, mine].max(initial=-1)
        else:
            worst[p] = UNACCEPTABLE
    p_wants = (prefs.p_rank.T < worst[None, :]) & (prefs.p_rank.T != UNACCEPTABLE)
    gs, ps = np.nonzero(g_wants & p_wants)
    return [(problem.graduates[g], problem.postings[p]) for g, p in zip(gs, ps, strict=True)]


def count_blocking_pairs(problem: PlacementProblem, placement: Placement) -> int:
    """Number of blocking pairs; 0 means the placement is stable."""
    return len(blocking_pairs(problem, placement))


@dataclass(frozen=True)
class PlacementSummary:
    """One row of `compare`."""

    method: str
    total_score: float
    placed: int
    blocking_pairs: int
    mean_rank: float


@dataclass(frozen=True)
class PlacementComparison:
    """Stable and welfare-maximising placement side by side."""

    stable: PlacementSummary
    welfare: PlacementSummary

    def table(self) -> str:
        """Plain-text table for logs and reports."""
        head = f"{'method':<20}{'score':>10}{'placed':>8}{'blocking':>10}{'mean rank':>11}"
        rows = [
            f"{s.method:<20}{s.total_score:>10.3f}{s.placed:>8}{s.blocking_pairs:>10}"
            f"{s.mean_rank:>11.2f}"
            for s in (self.stable, self.welfare)
        ]
        return "\n".join([head, *rows])


def summarise(problem: PlacementProblem, placement: Placement) -> PlacementSummary:
    """Score, placed count, blocking pairs and mean (1-based) rank of the graduates' postings."""
    prefs = preferences(problem)
    gpos = {g: i for i, g in enumerate(problem.graduates)}
    ppos = {p: i for i, p in enumerate(problem.postings)}
    ranks = [prefs.g_rank[gpos[g], ppos[p]] + 1 for g, p in placement.assignment.items()]
    return PlacementSummary(
        method=placement.method,
        total_score=placement.total_score,
        placed=len(placement.assignment),
        blocking_pairs=count_blocking_pairs(problem, placement),
        mean_rank=float(np.mean(ranks)) if ranks else 0.0,
    )


def compare(
    problem: PlacementProblem, *, proposing: Literal["graduates", "postings"] = "graduates"
) -> PlacementComparison:
    """Stable vs welfare-maximising placement: what stability costs in total score.

    Example:
        >>> print(compare(problem).table())
    """
    return PlacementComparison(
        stable=summarise(problem, stable_placement(problem, proposing=proposing)),
        welfare=summarise(problem, welfare_placement(problem)),
    )
