from __future__ import annotations

import pytest

from matching.skills.vocabulary import SkillVocabulary, fold, skill_overlap
from service.settings import REPO_DATA


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("postgres", "PostgreSQL"), ("JS", "JavaScript"), ("reactjs", "React"), ("Node.JS", "Node.js"),
     ("html5", "HTML"), ("Some New Tool", "Some New Tool")],
)
def test_normalise(vocab: SkillVocabulary, typed: str, canonical: str) -> None:
    assert vocab.normalise(typed) == canonical


def test_fold_keeps_symbols_that_matter() -> None:
    assert fold("C#") != fold("C") and fold("React.js") == fold("reactjs")


def test_overlap_weights_required_twice(vocab: SkillVocabulary) -> None:
    result = skill_overlap(["python", "postgres"], ["Python", "Django"], ["PostgreSQL", "Docker"], vocab)
    # required: Python yes (2), Django no (2); nice: PostgreSQL yes (1), Docker no (1) → 3/6
    assert result.score == pytest.approx(0.5)
    assert result.matched == ["Python", "PostgreSQL"]
    assert result.missing == ["Django", "Docker"]
    assert result.missing_required == ["Django"]


def test_overlap_spelling_insensitive(vocab: SkillVocabulary) -> None:
    assert skill_overlap(["JS", "reactjs"], ["JavaScript", "React"], [], vocab).score == 1.0


def test_find_in_text(vocab: SkillVocabulary) -> None:
    found = vocab.find_in_text("Junior dev with React, node.js and some postgres")
    assert {"React", "Node.js", "PostgreSQL"} <= set(found)


def test_implied_skills_count_as_held(vocab: SkillVocabulary) -> None:
    result = skill_overlap(["postgres", "Django"], ["SQL", "Python"], [], vocab)
    assert result.score == 1.0 and result.matched == ["SQL", "Python"]
    assert "SQL" in skill_overlap(["PostgreSQL"], ["SQL"], [], vocab).matched
    assert skill_overlap(["SQL"], ["PostgreSQL"], [], vocab).missing == ["PostgreSQL"]
