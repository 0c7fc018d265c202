"""Sharding as plain functions: which shard holds an id, and the merge of per-shard top-k lists.

A sharded search sends the query to every shard; each returns its own best
k (after its hard filters), and the overall best k is among those n·k
candidates, because a row in the global top-k is also in its shard's top-k.
`merge_top_k` picks them with the same order as a single index would give:
score descending, ties by id. Ray (or anything else) only moves the arrays.
"""

from __future__ import annotations

import numpy as np

from matching.retrieval.topk import best_first


def shard_of(ids: np.ndarray, shards: int) -> np.ndarray:
    """Shard number of each id: `id mod shards`, stable as rows come and go.

    Example:
        >>> shard_of(np.array([0, 1, 2, 3, 7]), 3).tolist()
        [0, 1, 2, 0, 1]
    """
    if shards < 1:
        raise ValueError(f"the number of shards must be at least 1, not {shards}")
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size and ids.min() < 0:
        raise ValueError("ids must not be negative")
    return ids % shards


def split_ids(ids: np.ndarray, shards: int) -> list[np.ndarray]:
    """Positions in `ids` of the rows each shard holds, one array per shard.

    Positions (not ids) so the caller can take the matching rows of vectors or records.

    Example:
        >>> [p.tolist() for p in split_ids(np.array([10, 11, 12, 13]), 2)]
        [[0, 2], [1, 3]]
    """
    owner = shard_of(ids, shards)
    return [np.flatnonzero(owner == shard) for shard in range(shards)]


def merge_top_k(parts: list[tuple[np.ndarray, np.ndarray]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best k (scores, ids) of several shards' results, score descending then id ascending.

    Example:
        >>> merge_top_k([(np.array([0.9, 0.2]), np.array([4, 8])), (np.array([0.5]), np.array([1]))], 2)
        (array([0.9, 0.5], dtype=float32), array([4, 1]))
    """
    if k <= 0 or not parts:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    scores = np.concatenate([np.asarray(s, dtype=np.float32).reshape(-1) for s, _ in parts])
    ids = np.concatenate([np.asarray(i, dtype=np.int64).reshape(-1) for _, i in parts])
    if len(scores) != len(ids):
        raise ValueError("each shard must return as many scores as ids")
    order = best_first(scores, ids, k)
    return scores[order], ids[order]


def rank_like_merge(scores: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Re-order one index's result with the merge's tie rule, so the two can be compared exactly."""
    return merge_top_k([(scores, ids)], len(ids))
