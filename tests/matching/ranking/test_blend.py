from __future__ import annotations

import numpy as np
import pytest

from matching.ranking.blend import Weights, score_pairs
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.skills.vocabulary import SkillVocabulary


def _pairs() -> list:
    cand = CandidateProfile(name="A", skills=["python"], languages={"en": "B2"})
    good = PostingRecord(company="C", title="Py", required_skills=["Python"], languages={"en": "B1"})
    bad = PostingRecord(company="C", title="Go", required_skills=["Go"], nice_skills=["Docker"])
    return [(1, cand, good), (2, cand, bad)]


def test_blend_is_documented_weighted_sum() -> None:
    vocab = SkillVocabulary({})
    matches = score_pairs(_pairs(), np.array([0.5, 0.9]), np.array([1.0, 0.0]), vocab, Weights(2, 1, 1, 0))
    by_id = {m.id: m for m in matches}
    assert by_id[1].score == pytest.approx(0.5 * 0.5 + 0.25 * 1.0 + 0.25 * 1.0)
    assert by_id[2].score == pytest.approx(0.5 * 0.9)
    assert [m.id for m in matches] == [1, 2]
    assert by_id[2].explanation.missing_skills == ["Go", "Docker"]
    assert by_id[1].explanation.signals == {"semantic": 0.5, "skills": 1.0, "lexical": 1.0}


def test_negative_cosine_is_clipped_and_weights_validated() -> None:
    vocab = SkillVocabulary({})
    matches = score_pairs(_pairs(), np.array([-0.4, -0.2]), np.zeros(2), vocab, Weights(1, 0, 0, 0))
    assert all(m.score == 0 for m in matches)
    with pytest.raises(ValueError):
        Weights(0, 0, 0, 0).normalised()


def test_limit_explains_only_the_best_and_keeps_their_order() -> None:
    vocab = SkillVocabulary({})
    pairs = _pairs()
    full = score_pairs(pairs, np.array([0.5, 0.9]), np.array([1.0, 0.0]), vocab, Weights())
    top = score_pairs(pairs, np.array([0.5, 0.9]), np.array([1.0, 0.0]), vocab, Weights(), limit=1)
    assert [m.id for m in top] == [full[0].id] and top[0].score == full[0].score
    assert top[0].explanation == full[0].explanation


def test_skill_score_equals_overlap_score() -> None:
    from matching.skills.vocabulary import skill_overlap, skill_score
    from service.settings import REPO_DATA

    vocab = SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv")
    cases = [(["js", "postgres"], ["JavaScript", "SQL", "Go"], ["Docker", "sql"]), (["x"], ["y"], []), ([], ["a"], ["b"])]
    for have, req, nice in cases:
        assert skill_score(have, req, nice, vocab) == pytest.approx(skill_overlap(have, req, nice, vocab).score)


def test_as_dict_carries_every_field_of_the_explanation() -> None:
    import dataclasses

    from matching.cefr.levels import LanguageFit
    from matching.ranking.blend import Explanation, Match

    explanation = Explanation(["Python"], ["Docker"], ["Docker"], False, [LanguageFit("es", "B2", "A2", False)],
                              {"semantic": 0.5}, ["Python (computer programming)"])
    match = Match(7, 0.42, explanation, {"title": "Backend trainee"})
    assert match.as_dict() == {"id": 7, "score": 0.42, "explanation": dataclasses.asdict(explanation),
                               "title": "Backend trainee"}
