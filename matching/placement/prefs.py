"""Preferences for traineeship placement, derived from scores or given as lists.

Graduates rank postings, and postings rank graduates, by score, best first. Ties are
broken by index (the lower graduate or posting index wins), so every result is
deterministic; a matching stable for the tie-broken lists is weakly stable for the
tied ones. An explicit list replaces the derived one of that graduate or posting, and
anything it does not name is unacceptable; an ineligible pair is unacceptable to both
sides whatever the lists say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

UNACCEPTABLE = np.iinfo(np.int64).max
"""Rank of an unacceptable partner."""


class PlacementError(ValueError):
    """Malformed placement input; `problems` lists every issue in a sentence each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, eq=False)
class PlacementProblem:
    """Graduates, postings with seats, scores and optional explicit rankings.

    Attributes:
        graduates: Graduate ids (rows of `scores`).
        postings: Posting ids (columns of `scores`).
        capacities: Seats per posting.
        scores: (n_graduates, n_postings) fit scores; higher is better for both sides.
        eligible: Optional bool mask of allowed pairs; None means all.
        graduate_rankings: Graduate id -> posting ids, best first (overrides scores).
        posting_rankings: Posting id -> graduate ids, best first (overrides scores).
    """

    graduates: tuple[str, ...]
    postings: tuple[str, ...]
    capacities: tuple[int, ...]
    scores: np.ndarray
    eligible: np.ndarray | None = None
    graduate_rankings: Mapping[str, Sequence[str]] | None = None
    posting_rankings: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True, eq=False)
class Preferences:
    """Strict, tie-broken preferences by index; rank 0 is best, UNACCEPTABLE otherwise."""

    g_rank: np.ndarray
    p_rank: np.ndarray

    def graduate_list(self, g: int) -> list[int]:
        """Acceptable postings of graduate g, best first."""
        ok = np.nonzero(self.g_rank[g] != UNACCEPTABLE)[0]
        return [int(p) for p in ok[np.argsort(self.g_rank[g, ok], kind="stable")]]

    def posting_list(self, p: int) -> list[int]:
        """Acceptable graduates of posting p, best first."""
        ok = np.nonzero(self.p_rank[p] != UNACCEPTABLE)[0]
        return [int(g) for g in ok[np.argsort(self.p_rank[p, ok], kind="stable")]]


def _check(problem: PlacementProblem) -> None:
    out: list[str] = []
    n_g, n_p = len(problem.graduates), len(problem.postings)
    scores = np.asarray(problem.scores)
    if scores.shape != (n_g, n_p):
        out.append(f"scores has shape {scores.shape}, expected ({n_g}, {n_p})")
    elif not np.all(np.isfinite(scores)):
        out.append("scores must be finite")
    if problem.eligible is not None and np.asarray(problem.eligible).shape != (n_g, n_p):
        out.append(
            f"eligible has shape {np.asarray(problem.eligible).shape}, expected ({n_g}, {n_p})"
        )
    if len(problem.capacities) != n_p or any(c < 0 for c in problem.capacities):
        out.append("capacities must give one non-negative seat count per posting")
    if len(set(problem.graduates)) != n_g or len(set(problem.postings)) != n_p:
        out.append("graduate and posting ids must be unique")
    for owner, ranking, own, other in (
        ("graduate", problem.graduate_rankings, problem.graduates, problem.postings),
        ("posting", problem.posting_rankings, problem.postings, problem.graduates),
    ):
        for key, listed in (ranking or {}).items():
            if key not in own or not set(listed) <= set(other):
                out.append(f"ranking of {owner} {key} names unknown ids")
            elif len(set(listed)) != len(listed):
                out.append(f"ranking of {owner} {key} repeats an id")
    if out:
        raise PlacementError(out)


def _ranks(
    scores: np.ndarray,
    explicit: Mapping[str, Sequence[str]] | None,
    own: tuple[str, ...],
    other: tuple[str, ...],
) -> np.ndarray:
    """Rank matrix (own × other): by score, ties by index, unless a list is given."""
    order = np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores))
    ranks = np.empty(scores.shape, np.int64)
    np.put_along_axis(ranks, order, np.arange(scores.shape[1])[None, :], axis=1)
    pos = {x: i for i, x in enumerate(other)}
    for i, x in enumerate(own):
        if explicit and x in explicit:
            ranks[i] = UNACCEPTABLE
            for r, y in enumerate(explicit[x]):
                ranks[i, pos[y]] = r
    return ranks


def preferences(problem: PlacementProblem) -> Preferences:
    """Both sides' strict preferences; pairs not acceptable to both are dropped."""
    _check(problem)
    scores = np.asarray(problem.scores, float)
    g_rank = _ranks(scores, problem.graduate_rankings, problem.graduates, problem.postings)
    p_rank = _ranks(scores.T, problem.posting_rankings, problem.postings, problem.graduates)
    ok = (g_rank != UNACCEPTABLE) & (p_rank.T != UNACCEPTABLE)
    if problem.eligible is not None:
        ok &= np.asarray(problem.eligible, bool)
    return Preferences(np.where(ok, g_rank, UNACCEPTABLE), np.where(ok.T, p_rank, UNACCEPTABLE))
