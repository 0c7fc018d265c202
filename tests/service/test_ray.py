"""Ray on a local instance: sharded search equals the single index; corpus embedding feeds the cache.

One local Ray (2 CPUs) serves the module. The sharded answers are compared
with one FAISS index and one filter table over the same rows, on random data
and on the demo through a real matcher. `bridgematch embed --ray` must give the
in-process encoder's vectors under the service's cache keys, so that after
`load-embeddings` an import encodes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from matching.filters.columns import PostingTable
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Side
from matching.retrieval.index import VectorIndex
from matching.retrieval.shards import rank_like_merge
from service.settings import REPO_DATA
from tests.conftest import settings_for

pytestmark = pytest.mark.slow
CANDIDATES = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]
POSTINGS = [PostingRecord.model_validate(p) for p in json.loads((REPO_DATA / "demo/postings.json").read_text())]


@pytest.fixture(scope="module")
def ray_local() -> Iterator[None]:
    pytest.importorskip("ray", reason="Ray is not installed: pip install 'bridgematch[ray]'")
    import ray

    from service.scaleout.embed import connect

    started = connect("local", num_cpus=2)
    yield
    if started:
        ray.shutdown()


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


def test_embed_with_ray_then_import_encodes_nothing(ray_local: None, tmp_path: Path, encoder,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from matching.records.sides import Owner, record_text
    from models.encoder import text_hash
    from service.bulk import to_frame
    from service.cli import app
    from service.composition import build_matcher
    from service.settings import get_settings
    from service.usecases.first_start import init

    corpus = tmp_path / "people.csv"
    to_frame(list(enumerate(CANDIDATES, 1)), Side.candidates).drop("id").write_csv(corpus)
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{fresh / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(fresh / "index"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["embed", str(corpus), str(tmp_path / "vectors"), "--kind", "candidates",
                                          "--ray", "--workers", "2", "--batch-size", "16"])
        assert result.exit_code == 0, result.output
        assert f"embedded {len(CANDIDATES)} rows" in result.output
        table = pq.read_table(tmp_path / "vectors")
        by_id = dict(zip(table.column("id").to_pylist(), range(table.num_rows), strict=True))
        vectors = np.array(table.column("vector").to_pylist(), dtype=np.float32)
        rows = [by_id[person.external_id] for person in CANDIDATES]
        texts = [record_text(person) for person in CANDIDATES]
        assert [table.column("text_hash")[r].as_py() for r in rows] == [text_hash(t, encoder.name) for t in texts]
        np.testing.assert_allclose(vectors[rows], encoder.encode(texts), atol=1e-5)

        result = CliRunner().invoke(app, ["load-embeddings", str(tmp_path / "vectors")])
        assert result.exit_code == 0 and f"loaded {len(CANDIDATES)} vectors" in result.output, result.output
        matcher = build_matcher(get_settings())
        try:
            calls: list[int] = []
            real = matcher.encoder

            class Counting:
                name, dim = real.name, real.dim

                def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
                    calls.append(len(texts))
                    return real.encode(texts, batch_size=batch_size)

            matcher.encoder = Counting()  # type: ignore[assignment]
            org_id, _ = init(matcher)
            ids = matcher.create(Side.candidates, CANDIDATES, [Owner(org_id)] * len(CANDIDATES))
            assert len(ids) == len(CANDIDATES) and calls == []
        finally:
            matcher.close()
    finally:
        get_settings.cache_clear()


def test_embed_refuses_bad_rows_and_a_used_folder(ray_local: None, tmp_path: Path) -> None:
    from service.scaleout.embed import CorpusError, embed_corpus

    corpus = tmp_path / "bad.csv"
    corpus.write_text("external_id,name,skills\nx1,Ana,JS\nx2,Bo,\n")
    with pytest.raises(CorpusError, match="id x2: skills"):
        embed_corpus(corpus, tmp_path / "out", side=Side.candidates)
    assert list((tmp_path / "out").iterdir()) == []
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "part.parquet").write_bytes(b"")
    with pytest.raises(CorpusError, match="not empty"):
        embed_corpus(corpus, tmp_path / "used", side=Side.candidates)


def test_the_default_service_imports_neither_ray_nor_postgresql(tmp_path: Path) -> None:
    """`make run` stays light: SQLite, and no Ray or psycopg import unless asked for."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from service.app import create_app\n"
        "from service.cli import app\n"
        "from service.db import make_engine\n"
        "from tests.conftest import settings_for\n"
        f"make_engine('sqlite:///{tmp_path / 'light.db'}')\n"
        f"create_app(settings_for(__import__('pathlib').Path('{tmp_path}')))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ray', 'psycopg', 'psycopg2'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
