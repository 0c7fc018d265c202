"""The demo's rankings, reasons, searches and fair score matrix, byte for byte as recorded
(`tests/golden/rankings.py`): the ranker may be reorganised, not silently changed. A deliberate
change of ranking re-records the file and says why in its commit."""

from __future__ import annotations

import json
from pathlib import Path

from service.composition import build_matcher
from tests.conftest import settings_for
from tests.golden.rankings import FILE, snapshot


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
    return None if want == got else f"{path}: recorded {want!r}, live {got!r}"


def test_demo_rankings_are_as_recorded(seeded_dir: Path) -> None:
    matcher = build_matcher(settings_for(seeded_dir), writer=False)
    try:
        live = snapshot(matcher)
    finally:
        matcher.close()
    recorded = json.loads(FILE.read_text())
    assert len(recorded["candidates"]) == 42 and len(recorded["postings"]) == 32
    assert _diff(recorded, live) is None, _diff(recorded, live)
