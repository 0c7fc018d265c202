"""Vector index by record id: exact while small, IVF past a threshold, filters inside.

Vectors are unit-length, so inner product is cosine. All vectors live in one
growable float32 matrix (row per record), which serves exact search, lookups
by id and ANN rebuilds. Past `ann_threshold` rows an IVF index is built in a
background thread while searches stay exact; once built it is swapped in and
kept up to date on every write. A filtered search (an allow-list of ids) is
exact when the list is short, else an IVF scan with a FAISS ID selector; if
that finds fewer than asked while enough ids are allowed, it falls back to
exact, so filters never starve a result list.

Each entry also keeps the hash of the text it came from; `checksum()` over
(id, hash) pairs lets the service tell at start-up whether a saved index
still agrees with the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import faiss
import numpy as np

from matching.retrieval.ann import build_ivf, search_ivf
from matching.retrieval.private_dirs import make_private_dir
from matching.retrieval.slots import RowSlots, grown
from matching.retrieval.topk import best_first


class IndexMismatchError(ValueError):
    """A saved index does not fit the model or the data it is loaded for."""


def entries_checksum(entries: dict[int, str]) -> str:
    """Order-independent digest of (id, text hash) pairs."""
    digest = hashlib.sha256()
    for rid in sorted(entries):
        digest.update(f"{rid}:{entries[rid]}\n".encode())
    return digest.hexdigest()


def exact_search(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force reference: the answer every search here must agree with."""
    scores = vectors @ query.reshape(-1)
    order = np.argsort(-scores, kind="stable")[:k]
    return scores[order], ids[order]


def _top(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    order = best_first(scores, ids, k)
    return scores[order].astype(np.float32), ids[order]


def _knn_rows(query: np.ndarray, matrix: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (scores, row numbers) of `query` among `matrix[rows]`, read in place: at 10k-60k
    allowed rows, copying them out (`matrix[rows]`, 15-90 MB) cost more than scoring them. The
    kernel is FAISS's own inner product, so scores equal `faiss.knn`'s over the copied rows."""
    vals = np.full(k, -np.inf, dtype=np.float32)
    found = np.full(k, -1, dtype=np.int64)
    if k > 0:
        faiss.knn_inner_products_by_idx(faiss.swig_ptr(query), faiss.swig_ptr(matrix), faiss.swig_ptr(rows),
                                        matrix.shape[1], 1, len(matrix), len(rows), k,
                                        faiss.swig_ptr(vals), faiss.swig_ptr(found), 0)
    return vals, found


class VectorIndex:
    """Add, update, remove and search unit vectors by int64 id.

    Example:
        >>> idx = VectorIndex(dim=2)
        >>> idx.upsert([7], np.array([[1.0, 0.0]], dtype=np.float32), ["h7"])
        >>> idx.search(np.array([1.0, 0.0], dtype=np.float32), k=1)
        (array([1.], dtype=float32), array([7]))
    """

    def __init__(self, dim: int, *, ann_threshold: int = 50_000, nprobe: int = 24, exact_limit: int = 2_000) -> None:
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.nprobe = nprobe
        # Allow-lists up to this size (or the IVF break-even, if larger) are searched exactly.
        self.exact_limit = exact_limit
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._valid = np.zeros(0, dtype=bool)
        self._slots = RowSlots()
        self._row = self._slots.row_of  # one dict, kept by the slots
        self._entries: dict[int, str] = {}
        self._ann: faiss.Index | None = None
        self._pending: list[int] | None = None  # ids written while an ANN build runs
        self._building: threading.Thread | None = None
        self._lock = threading.RLock()

    # ---- bookkeeping --------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, rid: int) -> bool:
        return rid in self._entries

    @property
    def entries(self) -> dict[int, str]:
        return dict(self._entries)

    @property
    def approximate(self) -> bool:
        return self._ann is not None

    def checksum(self) -> str:
        return entries_checksum(self._entries)

    def _slot(self, rid: int) -> int:
        row, new = self._slots.take(rid)
        if not new:
            return row
        if row >= len(self._ids):
            grow = grown(row + 1, len(self._ids)) - len(self._ids)
            self._matrix = np.concatenate([self._matrix, np.zeros((grow, self.dim), np.float32)])
            self._ids = np.concatenate([self._ids, np.zeros(grow, np.int64)])
            self._valid = np.concatenate([self._valid, np.zeros(grow, bool)])
        self._slots.publish(rid, row)
        return row

    # ---- writes -------------------------------------------------------------------
    def upsert(self, ids: list[int], vectors: np.ndarray, hashes: list[str]) -> None:
        """Add rows, replacing any with the same id."""
        if len(ids) != len(vectors) or len(ids) != len(hashes):
            raise ValueError("ids, vectors and hashes must have the same length")
        if not ids:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        with self._lock:
            for rid, vector, digest in zip(ids, vectors, hashes, strict=True):
                row = self._slot(int(rid))
                self._matrix[row], self._ids[row], self._valid[row] = vector, rid, True
                self._entries[int(rid)] = digest
            self._ann_write(np.asarray(ids, dtype=np.int64), vectors)
        self.maybe_build()

    def remove(self, ids: list[int]) -> None:
        with self._lock:
            present = [i for i in ids if i in self._entries]
            for rid in present:
                row = self._slots.release(rid)
                self._valid[row] = False
                del self._entries[rid]
            if present:
                self._ann_write(np.asarray(present, dtype=np.int64), None)

    def _ann_write(self, ids: np.ndarray, vectors: np.ndarray | None) -> None:
        if self._pending is not None:
            self._pending.extend(ids.tolist())
        if self._ann is not None:
            self._ann.remove_ids(ids)
            if vectors is not None:
                self._ann.add_with_ids(vectors, ids)

    # ---- the approximate index ------------------------------------------------------
    def maybe_build(self, *, wait: bool = False) -> None:
        """Build the IVF index in the background once the index outgrows exact search."""
        with self._lock:
            if self._ann is not None or self._building is not None or len(self) < self.ann_threshold:
                return
            rows = np.flatnonzero(self._valid[: self._slots.used])
            snapshot, ids = self._matrix[rows].copy(), self._ids[rows].copy()
            self._pending = []
            self._building = threading.Thread(target=self._build, args=(snapshot, ids), daemon=True)
            self._building.start()
            thread = self._building
        if wait:
            thread.join()

    def _build(self, snapshot: np.ndarray, ids: np.ndarray) -> None:
        built = build_ivf(snapshot, ids)
        with self._lock:
            changed = np.asarray(sorted(set(self._pending or [])), dtype=np.int64)
            if changed.size:  # replay writes made during the build
                built.remove_ids(changed)
                alive = [i for i in changed.tolist() if i in self._row]
                if alive:
                    built.add_with_ids(self.vectors(alive), np.asarray(alive, dtype=np.int64))
            self._ann, self._pending, self._building = built, None, None

    def wait_until_built(self) -> None:
        thread = self._building
        if thread is not None:
            thread.join()

    # ---- reads ----------------------------------------------------------------------
    def vectors(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Stored vectors of the given ids, in that order (KeyError for an unknown id); one
        gather through the dense id -> row array, not a dict lookup per id."""
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        rows = self._slots.rows(ids)  # read before the matrix: a write grows the matrix first
        matrix = self._matrix
        if (rows < 0).any():
            raise KeyError(int(ids[np.flatnonzero(rows < 0)[0]]))
        return matrix[rows]

    def known(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Whether each id has a vector here (a mask aligned with `ids`)."""
        return self._slots.rows(ids) >= 0

    def _exact(self, query: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Brute force with FAISS's kernel: over the whole matrix (a view, no copy), or the allowed rows."""
        if allowed is None:
            used = self._slots.used
            matrix, ids, free = self._matrix[:used], self._ids[:used], len(self._slots.free)
            scores, rows = faiss.knn(query.reshape(1, -1), matrix, min(k + free, len(matrix)),
                                     metric=faiss.METRIC_INNER_PRODUCT)
            rows = rows[0][rows[0] >= 0]
            keep = self._valid[rows]  # freed rows (deleted records) are skipped
            return _top(scores[0][: len(rows)][keep], ids[rows[keep]], k)
        rows = self._slots.rows(allowed)  # read before the matrix: a write grows the matrix first
        rows = np.ascontiguousarray(rows[rows >= 0], dtype=np.int64)
        scores, found = _knn_rows(np.ascontiguousarray(query, dtype=np.float32), self._matrix, rows, min(k, len(rows)))
        keep = found >= 0
        return _top(scores[keep], self._ids[found[keep]], k)

    def _exact_is_cheaper(self, ann: faiss.Index, allowed: np.ndarray, k: int) -> bool:
        """IVF pays off only if the probed lists hold about k allowed ids: |allowed| >> k·nlist/nprobe."""
        break_even = 4 * k * ann.nlist / max(1, min(self.nprobe, ann.nlist))
        return len(allowed) <= max(self.exact_limit, break_even)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids), best first; `allowed` restricts the search to those ids."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(self.dim)
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
        pool = len(self) if allowed is None else len(allowed)
        k = min(k, pool)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        ann = self._ann
        if ann is None or (allowed is not None and self._exact_is_cheaper(ann, allowed, k)):
            return self._exact(query, k, allowed)
        nprobe = self.nprobe
        if allowed is not None:
            # A filter thins every list; probing ~nprobe/share lists would visit as many *allowed*
            # vectors as an unfiltered search; share^-0.75 keeps recall@20 >= 0.95 at less cost.
            share = len(allowed) / max(1, len(self))
            nprobe = min(ann.nlist, int(np.ceil(self.nprobe / max(share, 1e-6) ** 0.75)))
        with self._lock:
            scores, ids = search_ivf(ann, query, k, nprobe=nprobe, allowed=allowed)
        if len(ids) < k:  # the probed lists held too few allowed ids: be exact instead
            return self._exact(query, k, allowed)
        return scores, ids

    # ---- persistence ------------------------------------------------------------------
    def save(self, folder: Path, *, model: str) -> None:
        """Write vectors and metadata atomically (temp files + rename); the IVF index too if built."""
        make_private_dir(folder)
        with self._lock:
            ids = np.asarray(sorted(self._entries), dtype=np.int64)
            vectors = self.vectors(ids.tolist()) if len(ids) else np.zeros((0, self.dim), np.float32)
            hashes = np.asarray([self._entries[i] for i in ids.tolist()], dtype="S64")
            meta = {"model": model, "dim": self.dim, "count": len(ids), "checksum": self.checksum()}
            ann = faiss.serialize_index(self._ann) if self._ann is not None else None
        tmp = folder / "vectors.npz.tmp"
        with tmp.open("wb") as handle:
            np.savez(handle, ids=ids, vectors=vectors, hashes=hashes)
        os.replace(tmp, folder / "vectors.npz")
        if ann is not None:
            (folder / "ivf.faiss.tmp").write_bytes(ann.tobytes())
            os.replace(folder / "ivf.faiss.tmp", folder / "ivf.faiss")
        else:
            (folder / "ivf.faiss").unlink(missing_ok=True)
        (folder / "meta.json.tmp").write_text(json.dumps(meta))
        os.replace(folder / "meta.json.tmp", folder / "meta.json")

    @classmethod
    def load(cls, folder: Path, *, model: str, dim: int, **options: int) -> VectorIndex:
        """Read a saved index; raises IndexMismatchError when it is missing, torn or for another model."""
        try:
            meta = json.loads((folder / "meta.json").read_text())
            with np.load(folder / "vectors.npz") as data:
                ids, vectors, hashes = data["ids"], data["vectors"], data["hashes"]
        except (OSError, ValueError, KeyError) as exc:
            raise IndexMismatchError(f"no usable index in {folder}: {exc}") from exc
        if meta.get("model") != model or meta.get("dim") != dim or vectors.shape[1:] != (dim,):
            raise IndexMismatchError(f"index in {folder} was built for another model")
        index = cls(dim, **options)
        with index._lock:
            index._pending = None
            for rid, vector, digest in zip(ids.tolist(), vectors, hashes, strict=True):
                row = index._slot(rid)
                index._matrix[row], index._ids[row], index._valid[row] = vector, rid, True
                index._entries[rid] = digest.decode()
        if len(index) != meta.get("count") or index.checksum() != meta.get("checksum"):
            raise IndexMismatchError(f"index in {folder} is inconsistent with its metadata")
        ivf = folder / "ivf.faiss"
        if ivf.exists():
            try:
                index._ann = faiss.deserialize_index(np.frombuffer(ivf.read_bytes(), dtype=np.uint8))
            except RuntimeError:
                index._ann = None
            if index._ann is not None and index._ann.ntotal != len(index):
                index._ann = None  # stale: rebuilt below
        index.maybe_build()
        return index
