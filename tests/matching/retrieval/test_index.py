from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.retrieval.index import IndexMismatchError, VectorIndex, exact_search


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


def test_a_filtered_exact_search_scores_as_faiss_does_over_the_allowed_rows_alone() -> None:
    """Read in place or copied out, the allowed rows give the same best ids and the same scores,
    bit for bit, with deleted and unknown ids in the allow-list skipped."""
    import faiss

    rng = np.random.default_rng(2)
    vectors = _unit(rng.normal(size=(3000, 48)))
    index = VectorIndex(48)
    index.upsert(list(range(5, 3005)), vectors, ["h"] * 3000)
    index.remove([7, 40, 41])
    for q in _unit(rng.normal(size=(10, 48))):
        allowed = np.sort(rng.choice(np.arange(0, 3100), 900, replace=False))
        scores, ids = index.search(q, 50, allowed=allowed)
        live = np.array([i for i in allowed.tolist() if 5 <= i < 3005 and i not in (7, 40, 41)])
        copied, rows = faiss.knn(q.reshape(1, -1), vectors[live - 5], 50, metric=faiss.METRIC_INNER_PRODUCT)
        order = np.lexsort((live[rows[0]], -copied[0]))
        assert ids.tolist() == live[rows[0]][order].tolist()
        assert scores.tolist() == copied[0][order].tolist()


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
    (tmp_path / "vectors.npz").write_bytes(b"torn")
    with pytest.raises(IndexMismatchError):
        VectorIndex.load(tmp_path, model="m", dim=2)


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = _unit(rng.normal(size=(50, dim)))
    return _unit(centres[rng.integers(0, 50, n)] + 0.6 * rng.normal(size=(n, dim)) / np.sqrt(dim))


def _recall(got: np.ndarray, ref: np.ndarray) -> float:
    return len(set(got.tolist()) & set(ref.tolist())) / len(ref)


def test_approximate_index_has_high_recall_and_keeps_up_with_writes() -> None:
    vectors = _clustered(6000, 32, 2)
    ids = np.arange(6000) * 3 + 1  # sparse ids
    index = VectorIndex(32, ann_threshold=5000, exact_limit=500, nprobe=16)
    index.upsert(ids.tolist(), vectors, ["h"] * 6000)
    index.maybe_build(wait=True)
    index.wait_until_built()
    assert index.approximate
    queries = _clustered(30, 32, 3)
    recalls = [_recall(index.search(q, 20)[1], exact_search(vectors, ids, q, 20)[1]) for q in queries]
    assert np.mean(recalls) >= 0.95
    # writes after the build land in the IVF index too
    index.remove(ids[:100].tolist())
    index.upsert([99_999], queries[:1], ["new"])
    _, got = index.search(queries[0], 5)
    assert got[0] == 99_999 and not set(got.tolist()) & set(ids[:100].tolist())


def test_filtered_approximate_search_never_returns_too_few() -> None:
    vectors = _clustered(6000, 32, 4)
    ids = np.arange(6000)
    index = VectorIndex(32, ann_threshold=5000, exact_limit=100, nprobe=4)
    index.upsert(ids.tolist(), vectors, ["h"] * 6000)
    index.wait_until_built()
    rng = np.random.default_rng(5)
    for fraction in (0.02, 0.2, 0.9):
        allowed = np.sort(rng.choice(ids, size=int(6000 * fraction), replace=False))
        for q in _clustered(5, 32, 6):
            scores, got = index.search(q, 20, allowed=allowed)
            assert len(got) == 20 and set(got.tolist()) <= set(allowed.tolist())
            assert list(scores) == sorted(scores, reverse=True)


def test_build_in_background_while_reads_go_on() -> None:
    import threading

    vectors = _clustered(20_000, 64, 7)
    index = VectorIndex(64, ann_threshold=1_000_000)
    index.upsert(list(range(20_000)), vectors, ["h"] * 20_000)
    errors: list[BaseException] = []
    answers: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        q = vectors[123]
        while not stop.is_set() and len(answers) < 100_000:
            try:
                _, got = index.search(q, 10)
                answers.append(int(got[0]))
            except BaseException as exc:  # noqa: BLE001 - any error fails the test
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    index.ann_threshold = 10_000
    index.maybe_build()
    index.upsert([50_000], vectors[:1], ["w"])  # a write during the build is replayed
    index.wait_until_built()
    stop.set()
    for t in threads:
        t.join()
    assert index.approximate and not errors and answers and set(answers) == {123}
    assert 50_000 in index.search(vectors[0], 3)[1].tolist()


def test_save_and_load_keep_the_ivf_index(tmp_path: Path) -> None:
    vectors = _clustered(3000, 16, 8)
    index = VectorIndex(16, ann_threshold=2000)
    index.upsert(list(range(3000)), vectors, [f"h{i}" for i in range(3000)])
    index.wait_until_built()
    index.save(tmp_path, model="m")
    loaded = VectorIndex.load(tmp_path, model="m", dim=16, ann_threshold=2000)
    assert loaded.approximate and loaded.checksum() == index.checksum()
    assert loaded.search(vectors[7], 5)[1].tolist() == index.search(vectors[7], 5)[1].tolist()


def test_save_makes_owner_only_folders(tmp_path: Path) -> None:
    import stat

    index = VectorIndex(2)
    index.upsert([1], np.array([[1, 0]], dtype=np.float32), ["a"])
    index.save(tmp_path / "index" / "candidates", model="m")
    for folder in (tmp_path / "index", tmp_path / "index" / "candidates"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
