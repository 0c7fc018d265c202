"""The intake tests' engine parts: the ranking's own skill mapper and vocabulary (real, not mocked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.esco.concept_signal import skill_mapper
from matching.esco.mapper import ConceptMapper
from matching.skills.vocabulary import SkillVocabulary
from models.encoder import Encoder

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def mapper(encoder: Encoder) -> ConceptMapper:
    return skill_mapper(encoder, (REPO / "var" / "cache").resolve())


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return SkillVocabulary.from_csv(REPO / "data" / "skill_aliases.csv")
