"""Score matrices over a fixed corpus: cosine, and the max over a concept's labels (BM25: `matching.retrieval.bm25`).

Numpy in, numpy out: a score matrix has one row per query and one column per
corpus entry. The ESCO mapper (`matching.esco.mapper`) and the evaluation
baselines (`matching.evaluation.harness`) are built from these pieces; the service's
ranking uses `matching.retrieval.lexical` for BM25 over stored records.

Example:
    >>> s = cosine_scores(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32))
    >>> s.argmax(axis=1).tolist()
    [0, 1]
"""

from __future__ import annotations

import numpy as np


def cosine_scores(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Inner products of unit rows: (q, d) @ (n, d).T → (q, n) float32."""
    if queries.shape[1] != corpus.shape[1]:
        raise ValueError(
            f"query vectors have {queries.shape[1]} dimensions and corpus vectors "
            f"{corpus.shape[1]}: they come from different models"
        )
    return np.asarray(queries @ corpus.T, dtype=np.float32)


def max_by_group(scores: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per row, the best score among the columns of each group; groups with no column get -inf.

    `groups[j]` is the group (concept) of column `j` (label). Example:

        >>> max_by_group(np.array([[0.1, 0.9, 0.4]]), np.array([1, 0, 1]), 3).tolist()
        [[0.9, 0.4, -inf]]
    """
    groups = np.asarray(groups)
    if groups.shape != (scores.shape[1],):
        raise ValueError("groups must give one group per score column")
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    out = np.full((scores.shape[0], n_groups), -np.inf, dtype=np.float32)
    if scores.shape[1] == 0:
        return out
    pooled = np.maximum.reduceat(scores[:, order], starts, axis=1)
    out[:, sorted_groups[starts]] = pooled
    return out


