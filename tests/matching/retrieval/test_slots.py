"""The one id → row store: freed rows are reused first, and every live id has its own row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matching.retrieval.slots import RowSlots, grown


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30)), max_size=200))
def test_live_ids_never_share_a_row_and_rows_are_reused(ops: list[tuple[bool, int]]) -> None:
    slots, live = RowSlots(), set()
    for put, rid in ops:
        if put:
            _row, new = slots.take(rid)
            assert new == (rid not in live)
            live.add(rid)
        else:
            assert (slots.release(rid) is not None) == (rid in live)
            live.discard(rid)
        rows = [slots.get(r) for r in live]
        assert len(set(rows)) == len(rows) == len(slots)
        assert slots.used == len(live) + len(slots.free)  # nothing leaks: every row is live or free


def test_growth_doubles_with_a_floor() -> None:
    assert grown(1, 0) == 64 and grown(65, 64) == 128 and grown(1000, 64) == 1000
