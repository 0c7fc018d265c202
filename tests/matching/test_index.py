from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.index import IndexMismatchError, VectorIndex, exact_search


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_faiss_agrees_with_exact_search() -> None:
    rng = np.random.default_rng(0)
    vectors = _unit(rng.normal(size=(500, 32)))
    ids = np.arange(1000, 1500)
    index = VectorIndex(32)
    index.upsert(ids.tolist(), vectors, [str(i) for i in ids])
    for q in _unit(rng.normal(size=(20, 32))):
        got_scores, got_ids = index.search(q, 10)
        ref_scores, ref_ids = exact_search(vectors, ids, q, 10)
        assert got_ids.tolist() == ref_ids.tolist()
        assert np.allclose(got_scores, ref_scores, atol=1e-5)


def test_filtered_search_returns_only_allowed_and_enough() -> None:
    rng = np.random.default_rng(1)
    vectors = _unit(rng.normal(size=(200, 16)))
    index = VectorIndex(16)
    index.upsert(list(range(200)), vectors, ["h"] * 200)
    allowed = list(range(0, 200, 7))
    _, ids = index.search(vectors[3], 20, allowed=allowed)
    assert len(ids) == 20 and set(ids.tolist()) <= set(allowed)


def test_update_and_remove_by_id(tmp_path: Path) -> None:
    index = VectorIndex(2)
    index.upsert([1, 2], np.array([[1, 0], [0, 1]], dtype=np.float32), ["a", "b"])
    index.upsert([1], np.array([[0, 1]], dtype=np.float32), ["c"])
    assert len(index) == 2 and index.entries == {1: "c", 2: "b"}
    index.remove([2, 99])
    assert index.entries == {1: "c"}
    assert np.allclose(index.vectors([1]), [[0, 1]])
    index.save(tmp_path, model="m")
    loaded = VectorIndex.load(tmp_path, model="m", dim=2)
    assert loaded.checksum() == index.checksum()
    with pytest.raises(IndexMismatchError):
        VectorIndex.load(tmp_path, model="other", dim=2)
    (tmp_path / "vectors.faiss").write_bytes(b"torn")
    with pytest.raises(IndexMismatchError):
        VectorIndex.load(tmp_path, model="m", dim=2)
