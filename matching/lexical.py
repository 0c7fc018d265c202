"""BM25 over the texts of one side, scored for a query against chosen ids.

bm25s builds its sparse index in one pass, so the index is rebuilt lazily on
the first query after a write instead of after every write.
"""

from __future__ import annotations

import threading

import bm25s
import numpy as np


def tokenize(texts: list[str]) -> bm25s.tokenization.Tokenized:
    return bm25s.tokenize(texts, stopwords="en", show_progress=False)


class LexicalIndex:
    """BM25 scores by record id; scores are raw BM25 (normalise per query with `normalise`)."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}
        self._ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._position: dict[int, int] = {}
        self._retriever: bm25s.BM25 | None = None
        self._dirty = True
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._texts)

    def upsert(self, items: dict[int, str]) -> None:
        with self._lock:
            self._texts.update(items)
            self._dirty = True

    def remove(self, ids: list[int]) -> None:
        with self._lock:
            for rid in ids:
                self._texts.pop(rid, None)
            self._dirty = True

    def _ensure(self) -> bm25s.BM25 | None:
        with self._lock:
            if self._dirty:
                ids = sorted(self._texts)
                self._ids = np.asarray(ids, dtype=np.int64)
                self._position = {rid: i for i, rid in enumerate(ids)}
                self._retriever = None
                if ids:
                    retriever = bm25s.BM25()
                    retriever.index(tokenize([self._texts[i] for i in ids]), show_progress=False)
                    self._retriever = retriever
                self._dirty = False
            return self._retriever

    def scores(self, query: str, ids: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, raw BM25 scores) for `ids` (all indexed ids when None)."""
        retriever = self._ensure()
        all_ids = self._ids
        tokens = bm25s.tokenize([query], stopwords="en", return_ids=False, show_progress=False)[0]
        if retriever is None or not tokens:  # nothing indexed, or a query of stop words only
            raw = np.zeros(len(all_ids), dtype=np.float32)
        else:
            raw = np.asarray(retriever.get_scores(tokens), dtype=np.float32)
        if ids is None:
            return all_ids, raw
        pos = [self._position[i] for i in ids if i in self._position]
        return all_ids[pos], raw[pos]

    def top(self, query: str, k: int, allowed: list[int] | None = None) -> list[int]:
        ids, raw = self.scores(query, allowed)
        keep = raw > 0
        ids, raw = ids[keep], raw[keep]
        order = np.argsort(-raw, kind="stable")[:k]
        return [int(i) for i in ids[order]]


def normalise(raw: np.ndarray) -> np.ndarray:
    """Scale a query's BM25 scores into [0, 1] by their maximum, so weights mean the same per query."""
    top = float(raw.max()) if raw.size else 0.0
    return raw / top if top > 0 else np.zeros_like(raw)
