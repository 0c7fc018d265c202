"""Ranked answers kept between changes: a page reloaded or a fair re-planned is not ranked again.

Kept pickled: one object an entry instead of ~15 a match, so the garbage collector's full passes
stay short (a cache of live objects made them ~200 ms), and every caller gets fresh objects to
decorate. The ranker empties it on every change, so no answer outlives what it was made of.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


def _uncounted(_hit: bool) -> None:
    return None


class AnswerCache:
    """A least-recently-used map of answers; `size` 0 keeps nothing."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._blobs: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        # Told of every lookup, hit or miss: the service counts them for /metrics.
        self.on_lookup: Callable[[bool], None] = _uncounted

    def __len__(self) -> int:
        return len(self._blobs)

    def get(self, key: Hashable) -> Any | None:
        """The answer kept under `key` (a fresh copy), or None."""
        with self._lock:
            blob = self._blobs.get(key)
            if blob is not None:
                self._blobs.move_to_end(key)
        self.on_lookup(blob is not None)
        return None if blob is None else pickle.loads(blob)

    def put(self, key: Hashable, answer: object) -> None:
        if not self.size:
            return
        blob = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._blobs[key] = blob
            self._blobs.move_to_end(key)
            while len(self._blobs) > self.size:
                self._blobs.popitem(last=False)

    def get_or(self, key: Hashable, compute: Callable[[], object]) -> Any:
        """The kept answer, else `compute()`'s, kept."""
        found = self.get(key)
        if found is not None:
            return found
        answer = compute()
        self.put(key, answer)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._blobs.clear()
