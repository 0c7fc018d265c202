"""The one ranking pipeline without a database or HTTP: records put into a Ranker in memory,
ranked with the real model, FAISS and BM25. The rules each test is named for hold for both
sides, for search and for the fair score matrix alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from matching.esco.concept_signal import ConceptSignal, skill_mapper
from matching.ranking.blend import Weights
from matching.ranking.pipeline import Ranker
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import NotFoundError, Owner, Record, Side, record_text
from matching.retrieval.index import VectorIndex
from matching.skills.vocabulary import SkillVocabulary
from models.encoder import Encoder, text_hash
from service.settings import REPO_DATA
from tests.conftest import REPO

ORG = 1
GRADUATES = {
    1: CandidateProfile(name="Ana", headline="Frontend developer", skills=["React", "JavaScript", "CSS"],
                        languages={"es": "B2", "en": "B1"}, location="Barcelona", remote_ok=False,
                        work_permit=True, visible_to_companies=True),
    2: CandidateProfile(name="Bo", headline="Data analyst", skills=["Python", "SQL", "pandas"],
                        languages={"en": "C1"}, location="Madrid", remote_ok=True, work_permit=True,
                        visible_to_companies=True),
    3: CandidateProfile(name="Cy", headline="Web developer", skills=["JavaScript", "React"],
                        languages={"es": "A2"}, location="Barcelona", remote_ok=False, work_permit=True,
                        visible_to_companies=False),  # not consenting: never shown to a company
}
POSTINGS = {
    10: PostingRecord(company="Sol", title="React developer", required_skills=["React", "JavaScript"],
                      languages={"es": "B1"}, location="Barcelona"),
    11: PostingRecord(company="Sol", title="Data analyst", required_skills=["SQL", "Python"], remote=True,
                      languages={"en": "B2"}),
    12: PostingRecord(company="Vida", title="Nursing assistant", required_skills=["Patient care"],
                      location="Barcelona"),
    13: PostingRecord(company="Sol", title="Frontend trainee", required_skills=["React"], kind="traineeship",
                      languages={"es": "C1"}, location="Barcelona"),
    14: PostingRecord(company="Sol", title="React developer", required_skills=["React"], location="Zagreb"),
}


@pytest.fixture(scope="module")
def ranker(encoder: Encoder) -> Ranker:
    concepts = ConceptSignal(skill_mapper(encoder, (REPO / "var" / "cache").resolve()))
    ranker = Ranker(encoder=encoder, vocab=SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv"),
                    weights=Weights(), new_index=lambda: VectorIndex(encoder.dim), concepts=concepts)
    ranker.today = lambda: dt.date(2026, 12, 1)
    for side, records in ((Side.candidates, GRADUATES), (Side.postings, POSTINGS)):
        items: list[tuple[int, Record]] = list(records.items())
        ranker.reset(side, [r for _, r in items])
        texts = [record_text(r) for _, r in items]
        ranker.sides[side].index.upsert([i for i, _ in items], encoder.encode(texts),
                                        [text_hash(t, encoder.name) for t in texts])
        for rid, record in items:
            ranker.put(side, rid, record, Owner(ORG, 7 if side is Side.postings else None))
    return ranker


def test_a_graduate_gets_only_eligible_postings_sharing_a_skill(ranker: Ranker) -> None:
    ids = [m.id for m in ranker.matches(Side.candidates, 1, limit=10)]
    assert ids[0] == 10  # the React job in her city, Spanish B1 ≤ her B2
    assert 12 not in ids  # eligible (Barcelona, no language asked) but shares no skill or concept
    assert 13 not in ids  # needs Spanish C1: a near miss, not a match


def test_why_names_the_one_rule_a_near_miss_fails_and_the_language_step(ranker: Ranker) -> None:
    why = ranker.why(Side.candidates, 1)
    reasons = {m.id: reason for m, reason in why.near_misses}
    assert reasons[13].startswith("languages") and "C1" in reasons[13]
    assert any(step.code == "es" and step.level == "C1" for step in why.language_steps)
    assert why.exclusions.considered == len(POSTINGS)


def test_a_page_is_the_list_and_the_reasons_asked_one_by_one(ranker: Ranker) -> None:
    for side, rid in ((Side.candidates, 1), (Side.candidates, 2), (Side.postings, 10), (Side.postings, 13)):
        matches, why = ranker.page(side, rid, limit=3)
        alone = ranker.why(side, rid)
        assert [m.as_dict() for m in matches] == [m.as_dict() for m in ranker.matches(side, rid, limit=3)]
        assert [(m.as_dict(), r) for m, r in why.near_misses] == [(m.as_dict(), r) for m, r in alone.near_misses]
        assert (why.exclusions, why.language_steps) == (alone.exclusions, alone.language_steps)
    assert ranker.page(Side.candidates, 1)[1].language_steps  # the page of a graduate missing on a language


def test_a_company_never_sees_a_graduate_who_did_not_consent(ranker: Ranker) -> None:
    assert 3 not in [m.id for m in ranker.matches(Side.postings, 10, limit=10, floor=None)]
    assert 3 not in [m.id for m, _ in ranker.why(Side.postings, 10).near_misses]
    assert 3 not in [m.id for m in ranker.search("React JavaScript", Side.candidates, org_id=ORG).matches]


def test_a_pair_has_the_same_signals_from_both_sides_and_the_fair_scores_it_as_the_graduate(
    ranker: Ranker,
) -> None:
    # Lexical is the one signal that depends on who asks: BM25 of the asker's own text against
    # the other side, as a share of that text's self-score (see README, How scoring works).
    graduate = {m.id: m for m in ranker.matches(Side.candidates, 2, limit=10, floor=None)}[11]
    posting = {m.id: m for m in ranker.matches(Side.postings, 11, limit=10, floor=None)}[2]
    for signal in ("semantic", "skills", "concepts"):
        assert graduate.explanation.signals[signal] == pytest.approx(posting.explanation.signals[signal])
    assert graduate.score == pytest.approx(float(ranker.pair_scores([2], [11])[0, 0]))


def test_search_limits_to_the_city_it_names_and_remote_work(ranker: Ranker) -> None:
    anywhere = {m.id for m in ranker.search("React developer", Side.postings, org_id=ORG).matches}
    found = ranker.search("React developer in Barcelona", Side.postings, org_id=ORG)
    assert 14 in anywhere and found.places == ["Barcelona"]
    assert 14 not in {m.id for m in found.matches} and 10 in {m.id for m in found.matches}


def test_changes_reach_the_next_answer_and_unknown_ids_are_not_found(ranker: Ranker) -> None:
    before = ranker.matches(Side.candidates, 2, limit=10)
    assert 11 in [m.id for m in before]
    ranker.drop(Side.postings, 11)
    try:
        assert 11 not in [m.id for m in ranker.matches(Side.candidates, 2, limit=10)]  # cache emptied
    finally:
        ranker.put(Side.postings, 11, POSTINGS[11], Owner(ORG, 7))
        vector = ranker.encoder.encode([record_text(POSTINGS[11])])
        ranker.sides[Side.postings].index.upsert([11], vector, ["x"])
    with pytest.raises(NotFoundError):
        ranker.matches(Side.candidates, 99)


def test_best_first_ties_by_id(ranker: Ranker) -> None:
    scores = [(m.score, m.id) for m in ranker.matches(Side.postings, 10, limit=10, floor=None)]
    assert scores == sorted(scores, key=lambda s: (-s[0], s[1]))
    assert np.all(np.diff([s for s, _ in scores]) <= 0)


def test_a_page_passes_every_stage_and_no_stage_holds_another(ranker: Ranker) -> None:
    """The stages `/metrics` times are leaves: their times add up to no more than the ranking's."""
    seen: list[str] = []
    open_now: list[str] = []

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        assert not open_now, f"{name} inside {open_now}"
        open_now.append(name)
        seen.append(name)
        try:
            yield
        finally:
            open_now.pop()

    untimed, ranker.stage = ranker.stage, stage
    ranker.forget()
    try:
        ranker.page(Side.candidates, 1, limit=3)
    finally:
        ranker.stage = untimed
    assert set(seen) == {"rules", "retrieval", "signals", "blend", "reasons"}
    assert seen.count("retrieval") == 3  # the list, the near misses, the language steps
