"""Reciprocal fit: how well a pair suits both sides, not only the side that asked.

Why: a graduate's favourite company may rank them 30th, and a company's first
choice may have ten better offers; a meeting or an offer goes well when both
sides rank each other high. For a score matrix (graduates × companies or
postings) with an eligibility mask, each eligible pair gets
- the graduate's rank of the other side (within its row) and that side's rank
  of the graduate (within its column), 1 = first, ties broken by position;
- a reciprocal score combining both by harmonic mean, which is high only when
  both are: of the reciprocal ranks (1/rank, the default: order, not scale,
  matters) or of the scores normalised by each row's and column's best.
Ineligible pairs get rank 0 and reciprocal score 0.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Method = Literal["ranks", "scores"]


def ranks_within(scores: np.ndarray, eligible: np.ndarray, axis: int) -> np.ndarray:
    """1-based rank of each eligible pair among its row's (axis=1) or column's (axis=0) eligible pairs."""
    masked = np.where(eligible, scores, -np.inf)
    order = np.argsort(-masked, axis=axis, kind="stable")
    ranks = np.empty_like(order)
    positions = np.arange(1, masked.shape[axis] + 1)
    shape = [1, 1]
    shape[axis] = -1
    np.put_along_axis(ranks, order, np.broadcast_to(positions.reshape(shape), masked.shape), axis=axis)
    return np.where(eligible, ranks, 0)


def _harmonic(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    total = a + b
    return np.divide(2 * a * b, total, out=np.zeros_like(total, dtype=float), where=total > 0)


def reciprocal(scores: np.ndarray, eligible: np.ndarray, method: Method = "ranks") -> np.ndarray:
    """Harmonic mean of both sides' reciprocal ranks (or of both normalised scores), 0 where ineligible."""
    scores = np.asarray(scores, dtype=float)
    eligible = np.asarray(eligible, dtype=bool)
    if method == "ranks":
        own, other = ranks_within(scores, eligible, 1), ranks_within(scores, eligible, 0)
        a = np.divide(1.0, own, out=np.zeros_like(scores), where=own > 0)
        b = np.divide(1.0, other, out=np.zeros_like(scores), where=other > 0)
    elif method == "scores":
        masked = np.where(eligible, np.clip(scores, 0, None), 0.0)
        row_best, col_best = masked.max(axis=1, keepdims=True), masked.max(axis=0, keepdims=True)
        a = np.divide(masked, row_best, out=np.zeros_like(masked), where=row_best > 0)
        b = np.divide(masked, col_best, out=np.zeros_like(masked), where=col_best > 0)
    else:
        raise ValueError(f"method must be 'ranks' or 'scores', not {method!r}")
    return np.where(eligible, _harmonic(a, b), 0.0)
