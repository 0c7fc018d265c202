"""Score matrices and their fusion: BM25, cosine, max over an item's labels, rank fusion.

Everything here is numpy in, numpy out: a score matrix has one row per query
and one column per corpus entry. The three channels bridgematch fuses are
built from these pieces:

* lexical — `bm25_scores` (bm25s, English stop words);
* dense — `cosine_scores` over unit vectors;
* per-concept — `max_by_group`, which turns label-level scores into the score
  of the concept owning the labels (an occupation is as close as its closest
  label).

`fuse` blends min-max-normalised channels with weights, `reciprocal_rank_fusion`
combines rankings without looking at score scales.

Example:
    >>> s = cosine_scores(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32))
    >>> top_k(s, 1).tolist()
    [[0], [1]]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class Bm25Index:
    """bm25s over a fixed list of texts; `scores` gives a dense (queries × texts) matrix.

    Example:
        >>> Bm25Index(["java developer", "nurse"]).scores(["java"]).argmax()
        0
    """

    def __init__(self, texts: Sequence[str], *, stopwords: str | None = "en") -> None:
        import bm25s

        if not texts:
            raise ValueError("a BM25 index needs at least one text")
        self._stopwords = stopwords
        self._n = len(texts)
        tokens = bm25s.tokenize(
            list(texts), stopwords=stopwords, return_ids=False, show_progress=False
        )
        # bm25s refuses an empty document list entry; keep positions with a placeholder.
        tokens = [doc if doc else ["\x00empty"] for doc in tokens]
        self._bm25 = bm25s.BM25()
        self._bm25.index(tokens, show_progress=False)

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        import bm25s

        out = np.zeros((len(queries), self._n), dtype=np.float32)
        if not queries:
            return out
        tokens = bm25s.tokenize(
            list(queries), stopwords=self._stopwords, return_ids=False, show_progress=False
        )
        for row, query in enumerate(tokens):
            ids = self._bm25.get_tokens_ids(query)
            if ids:
                out[row] = self._bm25.get_scores_from_ids(ids)
        return out


class CharNgramIndex:
    """TF-IDF over character 3–5-grams inside words: `infirmier` meets `enfermero`, `nurse` does not.

    The lexical channel that still works across languages sharing an alphabet
    (cognates, borrowed tech words). `scores` gives cosine in [0, 1].
    """

    def __init__(self, texts: Sequence[str], *, ngram_range: tuple[int, int] = (3, 5)) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not texts:
            raise ValueError("a character n-gram index needs at least one text")
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=ngram_range,
            min_df=2,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._matrix = self._vectorizer.fit_transform(list(texts)).T.tocsr()

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        if not queries:
            return np.zeros((0, self._matrix.shape[1]), dtype=np.float32)
        return np.asarray(
            (self._vectorizer.transform(list(queries)) @ self._matrix).toarray(), dtype=np.float32
        )


def bm25_scores(corpus: Sequence[str], queries: Sequence[str]) -> np.ndarray:
    """BM25 scores of every corpus text for every query (English stop words)."""
    return Bm25Index(corpus).scores(queries)


def cosine_scores(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Inner products of unit rows: (q, d) @ (n, d).T → (q, n) float32."""
    if queries.shape[1] != corpus.shape[1]:
        raise ValueError(
            f"query vectors have {queries.shape[1]} dimensions and corpus vectors "
            f"{corpus.shape[1]}: they come from different models"
        )
    return np.asarray(queries @ corpus.T, dtype=np.float32)


def max_by_group(scores: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per row, the best score among the columns of each group; groups with no column get -inf.

    `groups[j]` is the group (concept) of column `j` (label). Example:

        >>> max_by_group(np.array([[0.1, 0.9, 0.4]]), np.array([1, 0, 1]), 3).tolist()
        [[0.9, 0.4, -inf]]
    """
    groups = np.asarray(groups)
    if groups.shape != (scores.shape[1],):
        raise ValueError("groups must give one group per score column")
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    out = np.full((scores.shape[0], n_groups), -np.inf, dtype=np.float32)
    if scores.shape[1] == 0:
        return out
    pooled = np.maximum.reduceat(scores[:, order], starts, axis=1)
    out[:, sorted_groups[starts]] = pooled
    return out


def minmax_rows(scores: np.ndarray) -> np.ndarray:
    """Scale each row to [0, 1] (a constant row becomes 0); -inf stays the row minimum."""
    finite = np.where(np.isfinite(scores), scores, np.nan)
    low = np.nanmin(finite, axis=1, keepdims=True)
    high = np.nanmax(finite, axis=1, keepdims=True)
    low = np.nan_to_num(low, nan=0.0)
    span = np.nan_to_num(high, nan=0.0) - low
    span[span <= 0] = 1.0
    out = (np.where(np.isfinite(scores), scores, low) - low) / span
    return out.astype(np.float32)


def fuse(channels: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted sum of min-max-normalised score matrices of one shape.

    Example:
        >>> fuse([np.array([[0.0, 1.0]]), np.array([[2.0, 0.0]])], [0.75, 0.25]).tolist()
        [[0.25, 0.75]]
    """
    if len(channels) != len(weights) or not channels:
        raise ValueError("fuse needs one weight per channel and at least one channel")
    shape = channels[0].shape
    total = np.zeros(shape, dtype=np.float32)
    for channel, weight in zip(channels, weights):
        if channel.shape != shape:
            raise ValueError(f"channel of shape {channel.shape} does not match {shape}")
        if weight:
            total += np.float32(weight) * minmax_rows(channel)
    return total


def ranks(scores: np.ndarray) -> np.ndarray:
    """0-based rank of every column in its row (0 = best); ties broken by column order."""
    order = np.argsort(-scores, axis=1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(scores.shape[1])[None, :], axis=1)
    return out


def reciprocal_rank_fusion(
    channels: Sequence[np.ndarray], weights: Sequence[float] | None = None, *, k: float = 60.0
) -> np.ndarray:
    """Σ weight / (k + rank + 1) over channels (Cormack et al. 2009); larger is better."""
    weights = weights if weights is not None else [1.0] * len(channels)
    total = np.zeros(channels[0].shape, dtype=np.float32)
    for channel, weight in zip(channels, weights):
        total += np.float32(weight) / (np.float32(k) + ranks(channel).astype(np.float32) + 1)
    return total


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the `k` best scores per row, best first (ties by column order)."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < scores.shape[1] else None
    if part is None:
        return np.argsort(-scores, axis=1, kind="stable")[:, :k]
    picked = np.take_along_axis(scores, part, axis=1)
    # sort the k picked by score, then by column for deterministic ties
    order = np.lexsort((part, -picked), axis=1)
    return np.take_along_axis(part, order, axis=1)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of two or more characters, as BM25 sees them."""
    return _TOKEN.findall(text.lower())
