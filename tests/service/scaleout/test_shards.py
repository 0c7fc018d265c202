"""Ray shards (service/scaleout/shards.py): sharded search equals one FAISS index and one
filter table over the same rows, on random data and on the demo through a real matcher.
One local Ray (2 CPUs) serves the package (tests/service/scaleout/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from matching.filters.columns import PostingTable
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Side
from matching.retrieval.index import VectorIndex
from matching.retrieval.shards import rank_like_merge
from service.settings import REPO_DATA
from tests.conftest import settings_for
from tests.service.helpers import CANDIDATES

POSTINGS = [PostingRecord.model_validate(p) for p in json.loads((REPO_DATA / "demo/postings.json").read_text())]


def _single(index: VectorIndex, table: PostingTable, vector: np.ndarray, k: int,
            query: CandidateProfile | None, org: int | None) -> tuple[np.ndarray, np.ndarray]:
    allowed = None if query is None else table.eligible_for(query, org).tolist()  # type: ignore[arg-type]
    return rank_like_merge(*index.search(vector, k, allowed=allowed))


def test_sharded_search_equals_one_index_on_random_rows(ray_local: None) -> None:
    from service.scaleout.shards import ShardedIndex

    rng = np.random.default_rng(7)
    n, dim, k = 3000, 32, 25
    ids = rng.choice(10 * n, size=n, replace=False).astype(np.int64)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    records = [POSTINGS[i] for i in rng.integers(0, len(POSTINGS), size=n)]
    orgs = rng.integers(1, 3, size=n).tolist()
    index, table = VectorIndex(dim), PostingTable()
    index.upsert(ids.tolist(), vectors, [""] * n)
    for rid, record, org in zip(ids.tolist(), records, orgs, strict=True):
        table.upsert(rid, record, org)
    sharded = ShardedIndex(Side.postings, dim, shards=3, cpus_per_shard=0.5)
    try:
        sharded.upsert(ids, vectors, records, orgs)
        assert len(sharded) == n

        def agree(rounds: int) -> None:
            for _ in range(rounds):
                query = rng.normal(size=dim).astype(np.float32)
                person = CANDIDATES[int(rng.integers(0, len(CANDIDATES)))]
                for who, org in ((None, None), (person, int(rng.integers(1, 3)))):
                    want = _single(index, table, query, k, who, org)
                    got = sharded.search(query, k, query=who, org_id=org)
                    assert got[1].tolist() == want[1].tolist()
                    np.testing.assert_allclose(got[0], want[0], rtol=1e-5)

        agree(20)
        gone = ids[:500]
        sharded.remove(gone)
        index.remove(gone.tolist())
        for rid in gone.tolist():
            table.remove(rid)
        agree(10)
    finally:
        sharded.close()


def test_sharded_search_equals_the_matchers_index_on_the_demo(ray_local: None, workdir: Path) -> None:
    from service.composition import build_matcher
    from service.scaleout.shards import ShardedIndex

    matcher = build_matcher(settings_for(workdir), writer=False)
    sharded = ShardedIndex(Side.postings, matcher.encoder.dim, shards=2, cpus_per_shard=0.5)
    try:
        side = matcher.sides[Side.postings]
        ids = np.array(sorted(side.records), dtype=np.int64)
        sharded.upsert(ids, side.index.vectors(ids.tolist()), [side.records[i] for i in ids],
                       [side.owners[i].org_id for i in ids])
        candidates = matcher.sides[Side.candidates]
        checked = 0
        for cid, person in candidates.records.items():
            org = candidates.owners[cid].org_id
            vector = candidates.index.vectors([cid])[0]
            want = _single(side.index, side.table, vector, 10, person, org)  # type: ignore[arg-type]
            got = sharded.search(vector, 10, query=person, org_id=org)
            assert got[1].tolist() == want[1].tolist()
            checked += len(want[1])
        assert checked > 50
    finally:
        sharded.close()
        matcher.close()
