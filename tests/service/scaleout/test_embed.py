"""`bridgematch embed --ray` (service/scaleout/embed.py) gives the in-process encoder's vectors
under the service's cache keys, so that after `load-embeddings` an import encodes nothing.
One local Ray (2 CPUs) serves the package (tests/service/scaleout/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.records.sides import Side
from tests.service.helpers import CANDIDATES


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
