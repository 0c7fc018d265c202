"""What a graduate could learn next: the language steps that would open postings."""

from __future__ import annotations

from matching.cefr.levels import CEFR
from matching.ranking.next_steps import LanguageStep, language_steps
from matching.records.profiles import CandidateProfile, PostingRecord


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
