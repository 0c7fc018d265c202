"""Best first, ties by id: the one order every ranked answer here is given in.

The same data must always give the same list (tests, golden rankings, two servers answering
alike), so equal scores are ordered by id, and a cut at `k` keeps the lower ids of a tie at
the boundary rather than whichever `argpartition` happened to leave there.
"""

from __future__ import annotations

import numpy as np


def best_first(scores: np.ndarray, ids: np.ndarray | None = None, k: int | None = None) -> np.ndarray:
    """Positions into `scores` of the `k` best (all when None), best first, ties by `ids`
    (by position when no ids are given).

    Example:
        >>> best_first(np.array([0.2, 0.9, 0.9, 0.5]), np.array([7, 5, 3, 1]), k=2).tolist()
        [2, 1]
    """
    scores = np.asarray(scores)
    n = scores.shape[0]
    ids = np.arange(n) if ids is None else np.asarray(ids)
    if k is not None and k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k is None or k >= n:
        return np.lexsort((ids, -scores)).astype(np.int64)
    kth = np.partition(scores, n - k)[n - k]  # the k-th best score
    pool = np.flatnonzero(scores >= kth)  # every tie of it too, so the cut can go by id
    return pool[np.lexsort((ids[pool], -scores[pool]))][:k].astype(np.int64)


def best_first_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Per row of a (queries × items) matrix, the column indices of the `k` best, best first,
    ties by column."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    if k == scores.shape[1]:
        return np.argsort(-scores, axis=1, kind="stable")
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    picked = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -picked), axis=1)
    return np.take_along_axis(part, order, axis=1)
