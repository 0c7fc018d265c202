"""BM25 over the texts of one side, scored for a query against chosen ids.

bm25s builds its sparse index in one pass, so writes mark it stale instead of
rebuilding it each time. Small corpora are rebuilt on the next query; large
ones in a background thread while the previous index keeps answering, so the
lexical signal of a just-written record lags by at most one rebuild (seconds
at 100k texts) and no query ever waits for a rebuild. Records that no longer
exist never surface: callers always score an allow-list of live ids.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from matching.retrieval.bm25 import Bm25
from matching.retrieval.topk import best_first

SYNC_REBUILD_UP_TO = 5_000
# The market's BM25: stemmed (Snowball English), bm25s's k1 and b. On rjdb dev with the graduate's
# text as the query (pair_scores) lexical alone is 0.924 stemmed vs 0.928 plain, the blend 0.886 vs
# 0.882; milder length normalisation, which helps the posting as the query (b 0.3: 0.964), hurts
# this direction (0.896): a longer résumé's self-score grows faster than its score.
STEM = True
K1 = 1.5
B = 0.75
# A graduate's page asks the same query up to three times (the list, its near misses, the
# language steps); the last few answers are kept, each tied to the index build it came from.
RECENT_QUERIES = 8


@dataclass(frozen=True)
class _Built:
    bm25: Bm25 | None
    ids: np.ndarray
    position: np.ndarray  # id -> position in `ids`, -1 when absent


@dataclass(frozen=True)
class LexicalQuery:
    """One query's raw BM25 scores over the whole corpus, computed once and then sliced."""

    built: _Built
    raw: np.ndarray
    ceiling: float = 0.0  # the query's self-score (`Bm25.self_score`)

    def absolute(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Scores aligned with `ids` as a share of the query's self-score, in [0, 1]."""
        raw = self.of(ids)
        return np.clip(raw / self.ceiling, 0.0, 1.0) if self.ceiling > 0 else np.zeros_like(raw)

    def of(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Raw scores aligned with `ids` (0 for ids the index has not seen yet)."""
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.full(len(ids), -1, dtype=np.int64)
        known = (ids >= 0) & (ids < len(self.built.position))
        pos[known] = self.built.position[ids[known]]
        out = np.zeros(len(ids), dtype=np.float32)
        out[pos >= 0] = self.raw[pos[pos >= 0]]
        return out

    def top(self, k: int, allowed: list[int] | np.ndarray | None = None) -> list[int]:
        ids = self.built.ids if allowed is None else np.asarray(allowed, dtype=np.int64)
        raw = self.raw if allowed is None else self.of(ids)
        keep = raw > 0
        ids, raw = ids[keep], raw[keep]
        return [int(i) for i in ids[best_first(raw, ids, k)]]


class LexicalIndex:
    """BM25 scores by record id; scores are raw BM25; the ranking puts them on an absolute scale (`matching.ranking.blend`)."""

    def __init__(self, *, stem: bool = STEM, k1: float = K1, b: float = B) -> None:
        self._options = {"stem": stem, "k1": k1, "b": b}
        self._texts: dict[int, str] = {}
        self._built = _Built(None, np.zeros(0, np.int64), np.zeros(0, np.int64))
        self._dirty = True
        self._building: threading.Thread | None = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, LexicalQuery] = OrderedDict()

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

    def _build(self, texts: dict[int, str]) -> _Built:
        ids = np.asarray(sorted(texts), dtype=np.int64)
        position = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
        position[ids] = np.arange(len(ids))
        bm25 = Bm25([texts[i] for i in ids.tolist()], **self._options) if len(ids) else None
        return _Built(bm25, ids, position)

    def _background(self, texts: dict[int, str]) -> None:
        built = self._build(texts)
        with self._lock:
            self._built, self._building = built, None

    def _current(self) -> _Built:
        with self._lock:
            if not self._dirty:
                return self._built
            snapshot = dict(self._texts)
            self._dirty = False
            if len(snapshot) > SYNC_REBUILD_UP_TO and self._built.bm25 is not None:
                if self._building is None:
                    self._building = threading.Thread(target=self._background, args=(snapshot,), daemon=True)
                    self._building.start()
                else:
                    self._dirty = True  # a build is running; take the newer texts next time
                return self._built
        built = self._build(snapshot)
        with self._lock:
            self._built = built
        return built

    def wait_until_built(self) -> None:
        thread = self._building
        if thread is not None:
            thread.join()

    def query(self, text: str) -> LexicalQuery:
        """The query's scores over the current build; repeated queries on the same build are
        answered from the last few (scores are a pure function of the build and the text)."""
        built = self._current()
        if built.bm25 is None:  # nothing indexed
            return LexicalQuery(built, np.zeros(0, dtype=np.float32))
        with self._lock:
            known = self._recent.get(text)
        if known is not None and known.built is built:
            return known
        tokens = built.bm25.tokens(text)
        answer = LexicalQuery(built, built.bm25.scores_of(tokens), built.bm25.self_score(tokens))
        answer.raw.setflags(write=False)  # shared between callers
        with self._lock:
            self._recent[text] = answer
            self._recent.move_to_end(text)
            while len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)
        return answer

    def scores(self, text: str, ids: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, raw BM25 scores) for `ids` (all indexed ids when None)."""
        q = self.query(text)
        if ids is None:
            return q.built.ids, q.raw
        known = np.asarray([i for i in ids if i in self._texts], dtype=np.int64)
        return known, q.of(known)

    def top(self, text: str, k: int, allowed: list[int] | None = None) -> list[int]:
        return self.query(text).top(k, allowed)


class LexicalShelf:
    """One BM25 index per organisation, holding only the texts that organisation may search.

    BM25 weighs a word by how many texts of its corpus hold it, so one corpus
    across schools (or with graduates who did not agree to be seen) would make a
    company's lexical scores depend on texts it cannot read. A shelf keeps each
    organisation's searchable texts apart: every score comes from texts the
    caller's own organisation may search.
    """

    def __init__(self) -> None:
        self._by_org: dict[int, LexicalIndex] = {}
        self._org_of: dict[int, int] = {}
        self._empty = LexicalIndex()

    def __contains__(self, rid: int) -> bool:
        return rid in self._org_of

    def upsert(self, rid: int, text: str, org_id: int, *, searchable: bool = True) -> None:
        """Index `text` under its organisation, or drop it where it may not be searched."""
        old = self._org_of.get(rid)
        if old is not None and (old != org_id or not searchable):
            self.remove(rid)
        if searchable:
            self._by_org.setdefault(org_id, LexicalIndex()).upsert({rid: text})
            self._org_of[rid] = org_id

    def remove(self, rid: int) -> None:
        org_id = self._org_of.pop(rid, None)
        if org_id is not None:
            self._by_org[org_id].remove([rid])

    def query(self, text: str, org_id: int) -> LexicalQuery:
        return self._by_org.get(org_id, self._empty).query(text)

    def wait_until_built(self) -> None:
        for index in list(self._by_org.values()):
            index.wait_until_built()
