"""Vector index by record id: FAISS for speed, exact numpy beside it as the reference.

Vectors are unit-length, so inner product is cosine. Each entry also keeps
the hash of the text it was computed from; `checksum()` over (id, hash)
pairs lets the service tell at start-up whether the saved index still agrees
with the database (same rows, same texts) or must be rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import faiss
import numpy as np


class IndexMismatchError(ValueError):
    """A saved index does not fit the model or the data it is loaded for."""


def entries_checksum(entries: dict[int, str]) -> str:
    """Order-independent digest of (id, text hash) pairs."""
    digest = hashlib.sha256()
    for rid in sorted(entries):
        digest.update(f"{rid}:{entries[rid]}\n".encode())
    return digest.hexdigest()


class VectorIndex:
    """FAISS inner-product index with add, update and remove by int64 id.

    Example:
        >>> idx = VectorIndex(dim=2)
        >>> idx.upsert([7], np.array([[1.0, 0.0]], dtype=np.float32), ["h7"])
        >>> idx.search(np.array([1.0, 0.0], dtype=np.float32), k=1)
        (array([1.], dtype=float32), array([7]))
    """

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._entries: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, rid: int) -> bool:
        return rid in self._entries

    @property
    def entries(self) -> dict[int, str]:
        return dict(self._entries)

    def checksum(self) -> str:
        return entries_checksum(self._entries)

    def upsert(self, ids: list[int], vectors: np.ndarray, hashes: list[str]) -> None:
        """Add rows, replacing any with the same id (an update is a remove and an add)."""
        if len(ids) != len(vectors) or len(ids) != len(hashes):
            raise ValueError("ids, vectors and hashes must have the same length")
        if not ids:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        self.remove([i for i in ids if i in self._entries])
        self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
        self._entries.update(zip(ids, hashes, strict=True))

    def remove(self, ids: list[int]) -> None:
        present = [i for i in ids if i in self._entries]
        if present:
            self._index.remove_ids(np.asarray(present, dtype=np.int64))
            for i in present:
                del self._entries[i]

    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors of the given ids, in that order."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for row, rid in enumerate(ids):
            out[row] = self._index.reconstruct(int(rid))
        return out

    def search(
        self, query: np.ndarray, k: int, allowed: list[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids), best first; `allowed` restricts the search to those ids."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        pool = len(self._entries) if allowed is None else len(allowed)
        k = min(k, pool)
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, "int64")))
        scores, ids = self._index.search(query, k, params=params)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, folder: Path, *, model: str) -> None:
        """Write index and metadata atomically (temp file + rename) so a crash leaves the old pair."""
        folder.mkdir(parents=True, exist_ok=True)
        tmp_index, tmp_meta = folder / "vectors.faiss.tmp", folder / "meta.json.tmp"
        faiss.write_index(self._index, str(tmp_index))
        meta = {
            "model": model,
            "dim": self.dim,
            "checksum": self.checksum(),
            "entries": {str(k): v for k, v in self._entries.items()},
        }
        tmp_meta.write_text(json.dumps(meta))
        os.replace(tmp_index, folder / "vectors.faiss")
        os.replace(tmp_meta, folder / "meta.json")

    @classmethod
    def load(cls, folder: Path, *, model: str, dim: int) -> VectorIndex:
        """Read a saved index; raises IndexMismatchError when it is missing, torn or for another model."""
        try:
            meta = json.loads((folder / "meta.json").read_text())
            raw = faiss.read_index(str(folder / "vectors.faiss"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexMismatchError(f"no usable index in {folder}: {exc}") from exc
        if meta.get("model") != model or meta.get("dim") != dim:
            raise IndexMismatchError(f"index in {folder} was built for another model")
        index = cls(dim)
        index._index = faiss.IndexIDMap2(raw) if not isinstance(raw, faiss.IndexIDMap2) else raw
        index._entries = {int(k): v for k, v in meta["entries"].items()}
        if index._index.ntotal != len(index._entries) or index.checksum() != meta.get("checksum"):
            raise IndexMismatchError(f"index in {folder} is inconsistent with its metadata")
        return index


def exact_search(
    vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force reference for `VectorIndex.search`: the answer FAISS must agree with."""
    scores = vectors @ query.reshape(-1)
    order = np.argsort(-scores, kind="stable")[:k]
    return scores[order], ids[order]
