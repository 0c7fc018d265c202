"""Sharded vector search on Ray: the rows of one side split over N actors, queries fanned out.

Each `Shard` (one Ray actor) holds the rows whose id falls to it
(`matching.retrieval.shards.shard_of`): their vectors in a FAISS index and their hard-filter
columns (`matching.filters.columns`). A query goes to every shard at once; each
applies the hard filters to its own rows, searches among those that pass and
returns its top-k; `ShardedIndex` merges the lists (`matching.retrieval.shards.merge_top_k`).
With exact search in every shard (`VectorIndex` below its IVF threshold, or told so through
`index_options`) the result is the single index's answer, which `tests/service/scaleout/test_shards.py`
checks; past the threshold each shard searches its own IVF, and the merge is as approximate.
Ray is imported only when a `ShardedIndex` is built (`pip install 'bridgematch[ray]'`).

Example:
    connect("local")
    shards = ShardedIndex(Side.postings, dim=384, shards=4)
    shards.upsert(ids, vectors, records, orgs)
    scores, ids = shards.search(vector, 10, query=candidate, org_id=1)
"""

from __future__ import annotations

import numpy as np

from matching.filters.columns import CandidateTable, PostingTable
from matching.records.sides import Record, Side
from matching.retrieval.index import VectorIndex
from matching.retrieval.shards import merge_top_k, split_ids


class Shard:
    """One shard's rows: vectors and filter columns. Runs inside a Ray actor, plain Python here.

    `index_options` go to `VectorIndex` (e.g. `ann_threshold`, past which it turns to IVF).
    """

    def __init__(self, side: str, dim: int, index_options: dict | None = None) -> None:
        self.index = VectorIndex(dim, **(index_options or {}))
        self.table: CandidateTable | PostingTable = CandidateTable() if side == Side.candidates.value else PostingTable()

    def upsert(self, ids: np.ndarray, vectors: np.ndarray, records: list[Record], orgs: list[int]) -> int:
        ids_list = [int(i) for i in ids]
        self.index.upsert(ids_list, vectors, [""] * len(ids_list))
        for rid, record, org in zip(ids_list, records, orgs, strict=True):
            self.table.upsert(rid, record, org)  # type: ignore[arg-type]
        return len(self.index)

    def remove(self, ids: np.ndarray) -> int:
        self.index.remove([int(i) for i in ids])
        for rid in ids:
            self.table.remove(int(rid))
        return len(self.index)

    def size(self) -> int:
        return len(self.index)

    def settle(self) -> bool:
        """Wait for a background index build (IVF) to finish; True if the index is approximate."""
        getattr(self.index, "wait_until_built", lambda: None)()
        return bool(getattr(self.index, "approximate", False))

    def memory(self) -> int:
        """Resident memory of this shard's process, in bytes (for capacity planning)."""
        import os

        with open("/proc/self/statm") as statm:  # Linux; pages
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def search(
        self, vector: np.ndarray, k: int, query: Record | None = None, org_id: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k among this shard's rows that pass the hard filters for `query` (all rows without one)."""
        if query is None:
            return self.index.search(vector, k)
        allowed = self.table.eligible_for(query, org_id)  # type: ignore[arg-type]
        return self.index.search(vector, k, allowed=allowed)


class ShardedIndex:
    """N `Shard` actors behind the interface of one index: upsert, remove, search."""

    def __init__(
        self, side: Side, dim: int, shards: int, *, cpus_per_shard: float = 1.0,
        index_options: dict | None = None,
    ) -> None:
        import ray

        if shards < 1:
            raise ValueError(f"the number of shards must be at least 1, not {shards}")
        self.side = side
        self.shards = shards
        actor = ray.remote(Shard).options(num_cpus=cpus_per_shard)
        self.actors = [actor.remote(side.value, dim, index_options) for _ in range(shards)]
        self._ray = ray

    def upsert(self, ids: np.ndarray, vectors: np.ndarray, records: list[Record], orgs: list[int]) -> None:
        """Send each row to its shard (all shards load in parallel)."""
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32)
        pending = []
        for actor, rows in zip(self.actors, split_ids(ids, self.shards), strict=True):
            if len(rows):
                pending.append(actor.upsert.remote(
                    ids[rows], vectors[rows], [records[r] for r in rows], [orgs[r] for r in rows]
                ))
        self._ray.get(pending)

    def remove(self, ids: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        parts = split_ids(ids, self.shards)
        self._ray.get([a.remove.remote(ids[rows]) for a, rows in zip(self.actors, parts, strict=True) if len(rows)])

    def __len__(self) -> int:
        return sum(self._ray.get([a.size.remote() for a in self.actors]))

    def memory(self) -> list[int]:
        """Resident bytes of each shard's process."""
        return self._ray.get([a.memory.remote() for a in self.actors])

    def settle(self) -> list[bool]:
        """Wait until every shard's background index build is done; which shards are approximate."""
        return self._ray.get([a.settle.remote() for a in self.actors])

    def search(
        self, vector: np.ndarray, k: int, *, query: Record | None = None, org_id: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fan out, let every shard filter and rank its own rows, merge the top-k lists."""
        vector = np.asarray(vector, dtype=np.float32)  # small: Ray sends it inline with each call
        parts = self._ray.get([a.search.remote(vector, k, query, org_id) for a in self.actors])
        return merge_top_k(parts, k)

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        self.actors = []
