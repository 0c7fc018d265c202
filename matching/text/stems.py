"""Snowball English stems, the one stemmer of every lexical comparison here.

Skill keys (`matching.skills.words`) and the market's BM25 (`matching.retrieval.bm25`) stem
alike, so "developing" and "developer" meet in both. PyStemmer's stemmer object is not safe
to share between threads (the server ranks in a thread pool), so each thread keeps its own.
"""

from __future__ import annotations

import threading

import Stemmer

_local = threading.local()


def stem_words(words: list[str]) -> list[str]:
    """Example:
        >>> stem_words(["developing", "developer", "tests"])
        ['develop', 'develop', 'test']
    """
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer.stemWords(words)
