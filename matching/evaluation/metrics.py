"""Ranking metrics over ranked id lists and sets of relevant ids.

Pure functions, no models: a ranker produces, for each query, its ids best
first; these functions score that list against the ids judged relevant.
Relevance is binary, as in every evaluation set bridgematch uses.

Example:
    >>> mean_metrics({"q": ["b", "a"]}, {"q": {"a"}}, ks=(1,))
    {'mrr': 0.5, 'recall@1': 0.0, 'ndcg@1': 0.0, 'rp@1': 0.0}
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """1 / position of the first relevant id (1-based), 0 when none is ranked.

    Example:
        >>> reciprocal_rank(["x", "y", "z"], {"z"})
        0.3333333333333333
    """
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant ids found in the first `k`.

    Example:
        >>> recall_at_k(["a", "x", "b"], {"a", "b"}, 2)
        0.5
    """
    _check_k(k)
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def r_precision_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Relevant ids in the first `k`, over the most that could be there: `min(k, |relevant|)`.

    This is RP@K of the skill-extraction benchmark (Decorte et al. 2022): with
    one relevant label it is recall@k; with many it does not punish a short `k`.

    Example:
        >>> r_precision_at_k(["a", "x", "b"], {"a", "b", "c"}, 2)
        0.5
    """
    _check_k(k)
    if not relevant:
        return 0.0
    hits = sum(1 for item in ranked[:k] if item in relevant)
    return hits / min(k, len(relevant))


def ndcg_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Normalised discounted cumulative gain with binary gains, cut at `k`.

    Example:
        >>> round(ndcg_at_k(["x", "a"], {"a"}, 10), 4)
        0.6309
    """
    _check_k(k)
    if not relevant:
        return 0.0
    dcg = sum(
        1.0 / math.log2(position + 1)
        for position, item in enumerate(ranked[:k], start=1)
        if item in relevant
    )
    ideal = sum(1.0 / math.log2(position + 1) for position in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal


def mean_metrics(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Collection[str]],
    *,
    ks: Sequence[int] = (1, 5, 10),
) -> dict[str, float]:
    """Mean MRR, recall@k, nDCG@k and RP@k over the queries with at least one relevant id.

    A query with relevant ids but no ranking counts as a miss (scores 0), so a
    ranker cannot gain by skipping hard queries.

    Example:
        >>> mean_metrics({"q1": ["a"], "q2": ["x"]}, {"q1": {"a"}, "q2": {"b"}}, ks=(1,))["mrr"]
        0.5
    """
    judged = [qid for qid, rel in qrels.items() if rel]
    if not judged:
        raise ValueError("no query has a relevant item: nothing to evaluate")
    totals: dict[str, float] = {"mrr": 0.0}
    for k in ks:
        totals[f"recall@{k}"] = totals[f"ndcg@{k}"] = totals[f"rp@{k}"] = 0.0
    for qid in judged:
        ranked, relevant = rankings.get(qid, []), qrels[qid]
        totals["mrr"] += reciprocal_rank(ranked, relevant)
        for k in ks:
            totals[f"recall@{k}"] += recall_at_k(ranked, relevant, k)
            totals[f"ndcg@{k}"] += ndcg_at_k(ranked, relevant, k)
            totals[f"rp@{k}"] += r_precision_at_k(ranked, relevant, k)
    return {name: value / len(judged) for name, value in totals.items()}


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be a positive cut-off, got {k}")
