"""A server whose texts are mostly Spanish says at start-up which model ranks them better."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from service.composition import build_matcher
from service.settings import Settings
from service.usecases.first_start import init

CACHE = Path(__file__).resolve().parents[2] / "var" / "cache"
SPANISH = "Desarrolladora web formada en una escuela de programación; busco prácticas en Barcelona."


def test_start_up_advises_the_multilingual_model_for_spanish_texts(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", index_dir=tmp_path / "index",
                        cache_dir=CACHE)
    matcher = build_matcher(settings)
    try:
        org, _ = init(matcher, "escuela")
        people = [CandidateProfile(name=f"p{i}", headline="Desarrolladora web junior", summary=SPANISH,
                                   skills=["React"], projects=[f"Tienda en línea número {i} con React y Node"])
                  for i in range(25)]
        matcher.create(Side.candidates, people, [Owner(org)] * len(people))
    finally:
        matcher.close()
    with caplog.at_level(logging.WARNING, logger="service.composition"):
        build_matcher(settings).close()
    advice = [r.getMessage() for r in caplog.records if "BRIDGEMATCH_MODEL=use-multilingual" in r.getMessage()]
    assert advice and "es 25" in advice[0]
