"""The one BM25: bm25s over a fixed list of texts, English stop words, optionally stemmed.

Two users: `matching.retrieval.lexical` keeps one per side of the market and rebuilds it when
records change (scoring one query against every record), and the ESCO mapper and the
evaluation baselines score many queries against a fixed corpus at once (`scores`). Both go
through this class, so a word means the same to every lexical signal the service has.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import bm25s
import numpy as np

from matching.text.stems import stem_words

_EMPTY = "\x00empty"  # bm25s refuses an empty document; keeps its position without matching anything


def tokens_of(texts: Sequence[str], *, stopwords: str | None = "en", stem: bool = False) -> list[list[str]]:
    """Lower-cased words of 2+ characters without stop words; with `stem`, Snowball English stems
    ("developing", "developer" -> "develop"), so a word's forms meet."""
    return bm25s.tokenize(list(texts), stopwords=stopwords, stemmer=stem_words if stem else None,
                          return_ids=False, show_progress=False)


class Bm25:
    """Example:
        >>> Bm25(["java developer", "nurse"]).scores(["java"]).argmax()
        0
    """

    def __init__(self, texts: Sequence[str], *, stopwords: str | None = "en", stem: bool = False,
                 k1: float = 1.5, b: float = 0.75) -> None:
        if not texts:
            raise ValueError("a BM25 index needs at least one text")
        self.stopwords, self.stem = stopwords, stem
        tokens = tokens_of(texts, stopwords=stopwords, stem=stem)
        self.n = len(tokens)
        # tokens per text (empty texts count 0), for the length normalisation of `self_score`
        self.mean_length = max(1.0, float(np.mean([len(doc) for doc in tokens])))
        self.retriever = bm25s.BM25(k1=k1, b=b)
        self.retriever.index([doc or [_EMPTY] for doc in tokens], show_progress=False)

    def __len__(self) -> int:
        return self.n

    def tokens(self, text: str) -> list[str]:
        return tokens_of([text], stopwords=self.stopwords, stem=self.stem)[0]

    def scores_of(self, tokens: list[str]) -> np.ndarray:
        """Raw BM25 of one tokenised query against every text."""
        ids = self.retriever.get_tokens_ids(tokens) if tokens else []
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores_from_ids(ids), dtype=np.float32)

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        """(queries × texts) raw BM25."""
        out = np.zeros((len(queries), self.n), dtype=np.float32)
        for row, tokens in enumerate(tokens_of(queries, stopwords=self.stopwords, stem=self.stem) if queries else []):
            out[row] = self.scores_of(tokens)
        return out

    def self_score(self, tokens: list[str]) -> float:
        """What a text made of exactly the query's words would score: the most lexical evidence
        the query can find. Dividing by it puts BM25 on an absolute scale, the same whatever
        else is in the pool, instead of making the pool's best match 1.0 however weak it is."""
        if not tokens:
            return 0.0
        r, vocab = self.retriever, self.retriever.vocab_dict
        indptr, n = r.scores["indptr"], float(r.scores["num_docs"])
        counts: dict[str, int] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        norm = r.k1 * (1 - r.b + r.b * len(tokens) / self.mean_length)
        total = 0.0
        for token, tf in counts.items():
            tid = vocab.get(token)
            df = float(indptr[tid + 1] - indptr[tid]) if tid is not None else 0.0
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += tf * idf * tf / (tf + norm)  # bm25s "lucene": no (k1 + 1) factor
        return total
