"""The first start (service/usecases/first_start.py) makes its files private to the service's user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from tests.conftest import settings_for

pytestmark = pytest.mark.both_backends


def test_a_fresh_start_makes_private_files(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    from service.composition import build_matcher
    from service.usecases.first_start import init

    folder = tmp_path / "fresh"
    settings = settings_for(folder, database_url=f"sqlite:///{folder / 'db' / 'bm.db'}", concepts=False)
    matcher = build_matcher(settings)
    try:
        org_id, _ = init(matcher)
        record = CandidateProfile(name="Ana", summary="I build web apps.", skills=["React", "CSS", "SQL"])
        matcher.create(Side.candidates, [record], [Owner(org_id)])
    finally:
        matcher.close()

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(folder / "db") == 0o700
    for name in ("bm.db", "bm.db-wal", "bm.db-shm"):
        if (folder / "db" / name).exists():
            assert mode(folder / "db" / name) == 0o600, name
    assert mode(settings.index_dir) == 0o700
    assert mode(settings.index_dir / "candidates") == 0o700
