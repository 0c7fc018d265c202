"""What a graduate could learn next: the language steps that would open postings."""

from __future__ import annotations

from matching.cefr.levels import CEFR
from matching.ranking.blend import Explanation, Match
from matching.ranking.next_steps import LanguageStep, language_steps, skill_steps
from matching.ranking.org_next_steps import org_skill_steps
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.skills.vocabulary import SkillVocabulary
from service.settings import REPO_DATA


def _posting(languages: dict) -> PostingRecord:
    return PostingRecord(company="C", title="T", required_skills=["JS"], languages=languages)


def test_each_posting_counts_once_for_the_one_step_that_opens_it() -> None:
    graduate = CandidateProfile(name="A", skills=["JS"], languages={"es": "A2", "en": "B2"})
    postings = ([_posting({"es": "B1"})] * 3 + [_posting({"es": CEFR("B2"), "en": "B1"})] * 2
                + [_posting({"es": "B1", "ca": "B1"})] * 4  # two steps short: opened by neither
                + [_posting({"fr": "A1"})])
    assert language_steps(graduate, postings) == [
        LanguageStep("es", "B2", "A2", 5),  # B2 opens the B1 postings too
        LanguageStep("es", "B1", "A2", 3),
        LanguageStep("fr", "A1", None, 1),
    ]
    assert language_steps(graduate, postings, top=1) == [LanguageStep("es", "B2", "A2", 5)]
    assert language_steps(graduate, []) == []


def test_one_skill_written_in_two_shapes_is_one_step() -> None:
    """Two postings ask for troubleshooting in their own words: the graduate hears of it once,
    counted for both, for the graduate and for the school's curriculum view alike."""
    vocab = SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv")
    a = Match(1, 0.6, Explanation([], ["Ability to troubleshoot", "Docker"], ["Ability to troubleshoot"], True, [], {}))
    b = Match(2, 0.5, Explanation([], ["Troubleshooting", "docker"], [], True, [], {}))
    steps = skill_steps([a, b], key=vocab.key)
    assert [(s.skill, s.postings, s.required) for s in steps] == [("Ability to troubleshoot", 2, 1), ("Docker", 2, 0)]
    assert len(skill_steps([a, b])) == 3  # by spelling alone, the two shapes stay apart
    org = org_skill_steps({10: [a], 11: [b]}, key=vocab.key)
    assert [(s.skill, s.graduates, s.postings, s.required_pairs) for s in org] == [
        ("Ability to troubleshoot", 2, 2, 1), ("Docker", 2, 2, 0)]
