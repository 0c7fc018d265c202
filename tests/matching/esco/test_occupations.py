"""The occupation normaliser: titles as people write them → ESCO occupations, with the real model."""

from __future__ import annotations

import pytest

from matching.esco.occupations import MIN_CONFIDENCE, OccupationNormaliser, occupation_normaliser
from models.encoder import Encoder
from tests.conftest import REPO

WEB_DEVELOPER = "http://data.europa.eu/esco/occupation/c40a2919-48a9-40ea-b506-1f34f693496d"
NURSING_ASSISTANT = "http://data.europa.eu/esco/occupation/87d0795a-d41f-47ee-979f-0ab7d73836e7"


@pytest.fixture(scope="module")
def normaliser(encoder: Encoder) -> OccupationNormaliser:
    return occupation_normaliser(encoder, (REPO / "var" / "cache").resolve())


def test_a_title_that_is_a_label_gets_that_occupation_first(normaliser: OccupationNormaliser) -> None:
    # "nursing assistant" is an alternative label: the whole title names it, so it beats the
    # generic occupations whose labels are words of it ("assistant").
    web, nursing = normaliser.normalise(["Web Developer", "nursing assistant"], k=3)
    assert web[0].uri == WEB_DEVELOPER and web[0].confidence >= 0.99
    assert nursing[0].uri == NURSING_ASSISTANT


def test_free_wording_still_reaches_the_occupation(normaliser: OccupationNormaliser) -> None:
    found = normaliser.normalise(["Junior Frontend Web Developer (m/f/d)"], k=5)[0]
    assert WEB_DEVELOPER in [o.uri for o in found]
    assert all(o.confidence >= MIN_CONFIDENCE for o in found)
    assert [o.confidence for o in found] == sorted((o.confidence for o in found), reverse=True)


def test_text_that_is_no_job_title_gets_no_occupation(normaliser: OccupationNormaliser) -> None:
    assert normaliser.normalise(["xq zzv"], k=5) == [[]]
    assert normaliser.normalise([], k=5) == []


def test_only_an_occupation_vocabulary_will_do(encoder: Encoder) -> None:
    from matching.esco.concept_signal import skill_mapper

    with pytest.raises(ValueError, match="occupations"):
        OccupationNormaliser(skill_mapper(encoder, (REPO / "var" / "cache").resolve()))
