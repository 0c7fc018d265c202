"""The demo's rankings, reasons, searches and fair score matrix as recorded
(`tests/golden/rankings.py`): the ranker may be reorganised, not silently changed. A deliberate
change of ranking re-records the file and says why in its commit.

Orders, ids, names and reasons must be equal; numbers within `ABS` (rounded to 6 places when
recorded): the encoder's float32 sums differ in the 7th digit between CPUs (0.428984 on the
machine that recorded, 0.428985 on another), which is not a change of ranking."""

from __future__ import annotations

import json
import math
from pathlib import Path

from service.composition import build_matcher
from tests.conftest import settings_for
from tests.golden.rankings import FILE, snapshot

ABS = 2e-6


def _diff(want: object, got: object, path: str = "") -> str | None:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            if key not in want or key not in got:
                return f"{path}/{key}: only in {'recorded' if key in want else 'live'}"
            if (found := _diff(want[key], got[key], f"{path}/{key}")) is not None:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list):
        for i, (a, b) in enumerate(zip(want, got)):
            if (found := _diff(a, b, f"{path}[{i}]")) is not None:
                return found
        return None if len(want) == len(got) else f"{path}: {len(want)} recorded, {len(got)} live"
    numbers = all(isinstance(x, float | int) and not isinstance(x, bool) for x in (want, got))
    same = math.isclose(want, got, rel_tol=0, abs_tol=ABS) if numbers else want == got  # type: ignore[arg-type]
    return None if same else f"{path}: recorded {want!r}, live {got!r}"


def test_demo_rankings_are_as_recorded(seeded_dir: Path) -> None:
    matcher = build_matcher(settings_for(seeded_dir), writer=False)
    try:
        live = snapshot(matcher)
    finally:
        matcher.close()
    recorded = json.loads(FILE.read_text())
    assert len(recorded["candidates"]) == 42 and len(recorded["postings"]) == 32
    assert _diff(recorded, live) is None, _diff(recorded, live)


def test_the_comparison_forgives_the_seventh_digit_only() -> None:
    recorded = {"items": [{"id": 3, "score": 0.428984}, {"id": 1, "score": 0.4}]}
    assert _diff(recorded, {"items": [{"id": 3, "score": 0.428985}, {"id": 1, "score": 0.4}]}) is None
    assert _diff(recorded, {"items": [{"id": 3, "score": 0.429084}, {"id": 1, "score": 0.4}]}) is not None
    assert _diff(recorded, {"items": [{"id": 1, "score": 0.4}, {"id": 3, "score": 0.428984}]}) is not None
