"""Which row of a set of growable numpy arrays holds each record: the one id → row store.

The vector index, the filter columns and the feature rows all keep records in preallocated
arrays indexed by row, so a whole pool is read with one gather. Rows freed by a removal are
reused first; arrays grow by doubling (at least 64 rows), so n writes cost O(n) copies.
"""

from __future__ import annotations


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
        return row
