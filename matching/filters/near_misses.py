"""The near misses of one query: records failing exactly one rule, by that rule, as arrays.

At 100k postings a graduate has tens of thousands of near misses; as a dict built id by id
(and sorted) they cost ~150 ms a request, more than ranking itself. Here they stay two
aligned numpy arrays in id order, read as a mapping id → rule where someone asks for one,
and as id arrays (all, or one rule's) where the ranker re-ranks them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np


class NearMisses(Mapping[int, str]):
    """Read-only mapping id → the one rule it fails, ids ascending.

    Example:
        >>> m = NearMisses(np.array([9, 4]), np.array([1, 0]), ("kind", "languages"))
        >>> dict(m), m.ids("languages").tolist()
        ({4: 'kind', 9: 'languages'}, [9])
    """

    def __init__(self, ids: np.ndarray, codes: np.ndarray, rules: tuple[str, ...]) -> None:
        ids, codes = np.asarray(ids, dtype=np.int64), np.asarray(codes, dtype=np.int8)
        if len(ids) > 1 and not (ids[1:] > ids[:-1]).all():  # most often given in id order already
            order = np.argsort(ids, kind="stable")
            ids, codes = ids[order], codes[order]
        self._ids, self._codes = ids, codes
        self._rules = tuple(rules)
        self._dict: dict[int, str] | None = None

    def ids(self, rule: str | None = None) -> np.ndarray:
        """Ids (ascending) of all near misses, or of those failing only `rule`."""
        if rule is None:
            return self._ids
        if rule not in self._rules:
            return np.zeros(0, dtype=np.int64)
        return self._ids[self._codes == self._rules.index(rule)]

    def _as_dict(self) -> dict[int, str]:
        if self._dict is None:
            names = np.array(self._rules, dtype=object)[self._codes] if len(self._codes) else []
            self._dict = dict(zip(self._ids.tolist(), list(names), strict=True))
        return self._dict

    def __getitem__(self, rid: int) -> str:
        return self._as_dict()[rid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"NearMisses({self._as_dict()!r})"

    def __getstate__(self) -> dict:
        return {"_ids": self._ids, "_codes": self._codes, "_rules": self._rules, "_dict": None}


def miss_ids(near_misses: Mapping[int, str], rule: str | None = None) -> np.ndarray:
    """Ids (ascending) of the near misses, or of those failing only `rule`, whatever the mapping."""
    if isinstance(near_misses, NearMisses):
        return near_misses.ids(rule)
    return np.array(sorted(i for i, r in near_misses.items() if rule is None or r == rule), dtype=np.int64)
