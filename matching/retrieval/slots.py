"""Which row of a set of growable numpy arrays holds each record: the one id → row store.

The vector index, the filter columns and the feature rows all keep records in preallocated
arrays indexed by row, so a whole pool is read with one gather. Rows freed by a removal are
reused first; arrays grow by doubling (at least 64 rows), so n writes cost O(n) copies.
"""

from __future__ import annotations

import numpy as np


def grown(need: int, current: int) -> int:
    """The new capacity when `need` rows no longer fit in `current`."""
    return max(need, 2 * current, 64)


class RowSlots:
    """Example:
        >>> slots = RowSlots()
        >>> slots.take(7), slots.take(9), slots.release(7), slots.take(11)
        ((0, True), (1, True), 0, (0, True))
    """

    def __init__(self) -> None:
        self.row_of: dict[int, int] = {}
        self.free: list[int] = []
        self.used = 0  # rows ever handed out: arrays hold at least this many
        # The published part of `row_of` as a dense id -> row array (-1: none), for owners that
        # read whole pools at once (`rows`); an owner publishes a row once its arrays hold it.
        self._dense = np.full(0, -1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.row_of)

    def __contains__(self, rid: int) -> bool:
        return rid in self.row_of

    def get(self, rid: int) -> int | None:
        return self.row_of.get(rid)

    def take(self, rid: int) -> tuple[int, bool]:
        """(row, whether it is new to `rid`): its own row, a freed one, or the next unused."""
        row = self.row_of.get(rid)
        if row is not None:
            return row, False
        if self.free:
            row = self.free.pop()
        else:
            row, self.used = self.used, self.used + 1
        self.row_of[rid] = row
        return row, True

    def release(self, rid: int) -> int | None:
        """The row `rid` held (now free), or None if it held none."""
        row = self.row_of.pop(rid, None)
        if row is not None:
            self.free.append(row)
            if rid < len(self._dense):
                self._dense[rid] = -1
        return row

    def publish(self, rid: int, row: int) -> None:
        """Make `rid`'s row visible to `rows`: called after the owner's arrays have grown to hold
        it, so a reader that finds the row can always index them (reads take no lock)."""
        if rid < 0:
            raise ValueError(f"record ids are not negative, not {rid}")
        if rid >= len(self._dense):
            dense = np.full(grown(rid + 1, len(self._dense)), -1, dtype=np.int64)
            dense[: len(self._dense)] = self._dense
            self._dense = dense
        self._dense[rid] = row

    def rows(self, ids: list[int] | np.ndarray) -> np.ndarray:
        """Published rows of `ids`, aligned with them, -1 for an id without one: one gather for a
        whole pool instead of a dict lookup per id.

        Example:
            >>> slots = RowSlots()
            >>> slots.publish(5, slots.take(5)[0])
            >>> slots.rows([5, 3, -1, 99]).tolist()
            [0, -1, -1, -1]
        """
        dense = self._dense  # one array, even if a write grows it now
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        inside = (ids >= 0) & (ids < len(dense))
        if not len(dense):
            return np.full(len(ids), -1, dtype=np.int64)
        return np.where(inside, dense[np.where(inside, ids, 0)], -1)
