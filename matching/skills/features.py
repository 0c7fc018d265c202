"""Pair signals for a whole pool at once: skills and ESCO concepts as padded numpy rows.

Ranking one graduate scores a pool of a few hundred postings. Computed pair by
pair in Python, the skill share and the concept overlap cost more than the
vector search itself. Here every record keeps its few features (skill keys
with weights, ESCO concepts with confidences) as one row of small integer and
float arrays; a query turns its own side into a dense vector over the same
feature ids, and one gather plus one sum per pool gives every pair's signal:

* `dot`: Σ weight · query[feature] — the skill share: a posting's row holds its
  skill keys weighted 2 (required) or 1 (nice to have), the query holds 1 for
  every key the graduate has (implications included); or the other way round.
* `min_sum`: Σ min(weight, query[feature]) — the concept overlap: confidences
  of the concepts one side holds against those the other asks for.

The results equal `matching.skills.vocabulary.skill_score` and
`matching.esco.mapper.overlap_score` (tests hold them to it); explanations still
come from those functions, for the few pairs shown.

Example:
    >>> ids = FeatureIds()
    >>> rows = FeatureRows()
    >>> rows.put(7, {ids.of("python"): 2.0, ids.of("sql"): 1.0}, total=3.0)
    >>> query = ids.vector({ids.of("python"): 1.0})
    >>> (rows.dot(rows.rows([7]), query) / rows.totals(rows.rows([7]))).round(3).tolist()
    [0.667]
"""

from __future__ import annotations

import threading

import numpy as np

from matching.retrieval.slots import RowSlots, grown

PAD = 0  # feature id 0 is never issued: padding cells point at it with weight 0


class FeatureIds:
    """Small integers for feature names (skill keys, concept URIs), shared by both sides."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids) + 1

    def of(self, name: str) -> int:
        found = self._ids.get(name)
        if found is None:
            with self._lock:
                found = self._ids.setdefault(name, len(self._ids) + 1)
        return found

    def get(self, name: str) -> int | None:
        return self._ids.get(name)

    def vector(self, weights: dict[int, float]) -> np.ndarray:
        """A dense query vector over every id issued so far (0 where not given)."""
        out = np.zeros(len(self), dtype=np.float64)
        for fid, weight in weights.items():
            out[fid] += weight
        return out


class FeatureRows:
    """Each record's (feature id, weight) pairs in padded rows, plus a total per record."""

    def __init__(self) -> None:
        self.slots = RowSlots()
        self.row_of = self.slots.row_of  # one dict, kept by the slots
        self.ids = np.zeros((0, 1), dtype=np.int32)
        self.weights = np.zeros((0, 1), dtype=np.float64)
        self._totals = np.zeros(0, dtype=np.float64)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.row_of)

    def _grow(self, rows: int, width: int) -> None:
        """New arrays (readers holding the old ones keep reading valid data)."""
        old_rows, old_width = self.ids.shape
        rows, width = max(rows, old_rows), max(width, old_width)
        ids = np.zeros((rows, width), dtype=np.int32)
        weights = np.zeros((rows, width), dtype=np.float64)
        totals = np.zeros(rows, dtype=np.float64)
        ids[:old_rows, :old_width] = self.ids
        weights[:old_rows, :old_width] = self.weights
        totals[:old_rows] = self._totals
        self.ids, self.weights, self._totals = ids, weights, totals

    def put(self, rid: int, features: dict[int, float], *, total: float) -> None:
        if rid < 0:
            raise ValueError(f"record ids are not negative, not {rid}")
        with self._lock:
            row, _ = self.slots.take(rid)
            need_rows = row + 1 if row >= self.ids.shape[0] else 0
            if need_rows or len(features) > self.ids.shape[1]:
                self._grow(grown(need_rows, self.ids.shape[0]) if need_rows else 0, len(features))
            ids = np.zeros(self.ids.shape[1], dtype=np.int32)
            weights = np.zeros(self.ids.shape[1], dtype=np.float64)
            ids[: len(features)] = list(features)
            weights[: len(features)] = list(features.values())
            self.ids[row], self.weights[row], self._totals[row] = ids, weights, total
            self.slots.publish(rid, row)  # only now may a reader find the row: the arrays hold it

    def remove(self, rid: int) -> None:
        with self._lock:
            row = self.slots.release(rid)
            if row is not None:
                self.ids[row], self.weights[row], self._totals[row] = PAD, 0.0, 0.0

    def rows(self, rids: list[int] | np.ndarray) -> np.ndarray:
        """Row numbers of records; a record not (or no longer) here reads as an empty row."""
        return self.slots.rows(rids)

    def _take(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self.ids, self.weights  # one consistent pair, even if a write grows them now
        safe = np.clip(rows, 0, max(len(ids) - 1, 0))
        missing = (rows < 0) | (rows >= len(ids))
        picked_ids, picked_weights = ids[safe], weights[safe]
        if missing.any():
            picked_ids[missing], picked_weights[missing] = PAD, 0.0
        return picked_ids, picked_weights

    @staticmethod
    def _lookup(query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """query[ids], where ids issued after the query vector was made read as 0."""
        inside = ids < len(query)
        return np.where(inside, query[np.where(inside, ids, PAD)], 0.0)

    def totals(self, rows: np.ndarray) -> np.ndarray:
        totals = self._totals
        ok = (rows >= 0) & (rows < len(totals))
        return np.where(ok, totals[np.where(ok, rows, 0)], 0.0) if len(totals) else np.zeros(len(rows))

    def dot(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Σ weight · query[feature] per row."""
        ids, weights = self._take(rows)
        return (weights * self._lookup(query, ids)).sum(axis=1)

    def min_sum(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Σ min(weight, query[feature]) per row (weights and query ≥ 0)."""
        ids, weights = self._take(rows)
        return np.minimum(weights, self._lookup(query, ids)).sum(axis=1)


def share(numerator: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """numerator / total, 0 where the total is 0."""
    return np.divide(numerator, totals, out=np.zeros_like(numerator, dtype=np.float64), where=totals > 0)
