"""Sharding functions: every id has one shard, and merging per-shard top-k gives the global top-k."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.retrieval.shards import merge_top_k, rank_like_merge, shard_of, split_ids


def test_split_ids_partitions_the_positions() -> None:
    ids = np.array([5, 8, 13, 21, 34, 55], dtype=np.int64)
    parts = split_ids(ids, 3)
    assert sorted(np.concatenate(parts).tolist()) == list(range(len(ids)))
    for shard, positions in enumerate(parts):
        assert all(ids[p] % 3 == shard for p in positions)


def test_bad_shard_counts_and_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        shard_of(np.array([1]), 0)
    with pytest.raises(ValueError, match="negative"):
        shard_of(np.array([-1]), 2)
    with pytest.raises(ValueError, match="as many scores as ids"):
        merge_top_k([(np.array([0.1, 0.2]), np.array([1]))], 2)


def test_ties_break_by_id_and_empty_parts_are_fine() -> None:
    parts = [(np.array([0.5, 0.5]), np.array([9, 3])), (np.zeros(0), np.zeros(0, dtype=np.int64)),
             (np.array([0.5, 0.9]), np.array([4, 7]))]
    scores, ids = merge_top_k(parts, 3)
    assert ids.tolist() == [7, 3, 4] and scores.tolist() == pytest.approx([0.9, 0.5, 0.5])
    assert merge_top_k(parts, 0)[1].size == 0 and merge_top_k([], 5)[1].size == 0


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(st.integers(0, 20), min_size=0, max_size=60),
    shards=st.integers(1, 7),
    k=st.integers(1, 25),
)
def test_merged_shard_results_equal_the_global_top_k(scores: list[int], shards: int, k: int) -> None:
    """Coarse integer scores make ties common: the tie rule must hold across shards too."""
    values = np.array(scores, dtype=np.float32) / 20
    ids = np.arange(100, 100 + len(values), dtype=np.int64)
    parts = []
    for positions in split_ids(ids, shards):
        parts.append(rank_like_merge(values[positions], ids[positions]))  # each shard: its own ranking
        parts[-1] = (parts[-1][0][:k], parts[-1][1][:k])  # ...cut at k
    want = rank_like_merge(values, ids)
    got = merge_top_k(parts, k)
    assert got[1].tolist() == want[1][:k].tolist()
    assert np.array_equal(got[0], want[0][:k])
