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


@given(st.lists(st.tuples(st.sampled_from(["take", "publish", "release"]), st.integers(0, 300)), max_size=200))
def test_rows_gathers_the_published_rows_and_nothing_else(ops: list[tuple[str, int]]) -> None:
    """A row is visible to `rows` from its `publish` until its `release`, never before."""
    slots, published = RowSlots(), {}
    for op, rid in ops:
        if op == "take":
            slots.take(rid)
        elif op == "publish" and slots.get(rid) is not None:
            slots.publish(rid, slots.get(rid))  # type: ignore[arg-type]
            published[rid] = slots.get(rid)
        elif op == "release":
            slots.release(rid)
            published.pop(rid, None)
        asked = list(range(-2, 305, 7)) + list(published)
        assert slots.rows(asked).tolist() == [published.get(r, -1) for r in asked]
