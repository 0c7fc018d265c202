"""Skill and ESCO-concept signals of a whole pool, from features kept per record.

The ranker keeps, for every record it holds, the features `matching.skills.features`
scores in bulk: a posting's skill keys (required 2, nice to have 1) and the
ESCO concepts it asks for; a graduate's skill keys with everything they imply,
and the concepts they hold. Ranking a pool then costs two numpy gathers
instead of a Python loop over pairs. Explanations (the few pairs shown) still
come from `matching.skills.vocabulary.skill_overlap` and `matching.esco.mapper.overlap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.esco.concept_signal import ConceptSignal
from matching.esco.mapper import overlap
from matching.ranking.blend import Concepts, ConceptScores
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Record, Side
from matching.skills.features import FeatureIds, FeatureRows, share
from matching.skills.vocabulary import SkillVocabulary, skill_weights


class PairSignals:
    def __init__(self, vocab: SkillVocabulary, concepts: ConceptSignal | None) -> None:
        self.vocab = vocab
        self.concepts = concepts
        self.skill_ids = FeatureIds()
        self.concept_ids = FeatureIds()
        self.skills = {side: FeatureRows() for side in Side}
        self.concept_rows = {side: FeatureRows() for side in Side}

    # ---- per record ---------------------------------------------------------------
    def _posting_skills(self, posting: PostingRecord) -> tuple[dict[int, float], float]:
        weights, total = skill_weights(posting.required_skills, posting.nice_skills, self.vocab)
        return {self.skill_ids.of(key): weight for key, weight in weights.items()}, total

    def _held(self, candidate: CandidateProfile) -> dict[int, float]:
        return {self.skill_ids.of(key): 1.0 for key in self.vocab.held(candidate.skills)}

    def put(self, side: Side, rid: int, record: Record) -> None:
        if isinstance(record, PostingRecord):
            weights, total = self._posting_skills(record)
            self.skills[side].put(rid, weights, total=total)
            if self.concepts is not None:
                want, want_total = self.concepts.target(record)
                features = {self.concept_ids.of(uri): conf for uri, (conf, _) in want.items()}
                self.concept_rows[side].put(rid, features, total=want_total)
        else:
            self.skills[side].put(rid, self._held(record), total=0.0)
            if self.concepts is not None:
                have = self.concepts.holding(record)
                features = {self.concept_ids.of(uri): conf for uri, conf in have.items()}
                self.concept_rows[side].put(rid, features, total=0.0)

    def reset(self, side: Side) -> None:
        self.skills[side], self.concept_rows[side] = FeatureRows(), FeatureRows()

    def remove(self, side: Side, rid: int) -> None:
        self.skills[side].remove(rid)
        self.concept_rows[side].remove(rid)

    # ---- per query ----------------------------------------------------------------
    def query(self, record: Record) -> QuerySignals:
        """The query record's side of every pair signal: a page ranks one query three times (its
        list, its near misses, its language steps), so this is worked out once a page."""
        if isinstance(record, PostingRecord):
            weights, total = self._posting_skills(record)
            skills = self.skill_ids.vector(weights)
            if self.concepts is None:
                return QuerySignals(skills, total)
            want, want_total = wanted = self.concepts.target(record)
            concepts = self.concept_ids.vector({self.concept_ids.of(uri): conf for uri, (conf, _) in want.items()})
            return QuerySignals(skills, total, concepts, want_total, wanted)
        skills = self.skill_ids.vector(self._held(record))
        if self.concepts is None:
            return QuerySignals(skills, 0.0)
        have = self.concepts.holding(record)
        concepts = self.concept_ids.vector({self.concept_ids.of(uri): conf for uri, conf in have.items()})
        return QuerySignals(skills, 0.0, concepts, 0.0, have)

    def for_candidate(
        self, candidate: CandidateProfile, posting_ids: list[int], postings: list[PostingRecord],
        query: QuerySignals | None = None,
    ) -> tuple[np.ndarray, ConceptScores | None]:
        """Skill share and concept overlap of one graduate with each posting of a pool
        (`query`: `self.query(candidate)`, when the caller has it already)."""
        q = query or self.query(candidate)
        rows = self.skills[Side.postings].rows(posting_ids)
        skills = share(self.skills[Side.postings].dot(rows, q.skills), self.skills[Side.postings].totals(rows))
        if self.concepts is None or q.concepts is None:
            return skills, None
        concept_rows = self.concept_rows[Side.postings]
        rows = concept_rows.rows(posting_ids)
        have = q.held
        scores = _rounded(share(concept_rows.min_sum(rows, q.concepts), concept_rows.totals(rows)))

        def explain(row: int) -> Concepts:
            return overlap(have, self.concepts.target(postings[row]))  # type: ignore[union-attr, arg-type]

        return skills, ConceptScores(scores, explain)

    def for_posting(
        self, posting: PostingRecord, candidate_ids: list[int], candidates: list[CandidateProfile],
        query: QuerySignals | None = None,
    ) -> tuple[np.ndarray, ConceptScores | None]:
        """Skill share and concept overlap of each graduate of a pool with one posting
        (`query`: `self.query(posting)`, when the caller has it already)."""
        q = query or self.query(posting)
        rows = self.skills[Side.candidates].rows(candidate_ids)
        totals = np.full(len(candidate_ids), q.skill_total)
        skills = share(self.skills[Side.candidates].dot(rows, q.skills), totals)
        if self.concepts is None or q.concepts is None:
            return skills, None
        concept_rows = self.concept_rows[Side.candidates]
        wanted = q.held
        rows = concept_rows.rows(candidate_ids)
        scores = _rounded(share(concept_rows.min_sum(rows, q.concepts), np.full(len(candidate_ids), q.concept_total)))

        def explain(row: int) -> Concepts:
            return overlap(self.concepts.holding(candidates[row]), wanted)  # type: ignore[union-attr, arg-type]

        return skills, ConceptScores(scores, explain)


@dataclass(frozen=True)
class QuerySignals:
    """One query record's feature vectors (dense over the feature ids issued so far), with what
    explanations compare against: a graduate's held concepts, or a posting's wanted ones."""

    skills: np.ndarray
    skill_total: float  # a posting's skill total; 0 for a graduate (each posting has its own)
    concepts: np.ndarray | None = None
    concept_total: float = 0.0
    held: object = None  # `ConceptSignal.holding` of a graduate, `ConceptSignal.target` of a posting


def _rounded(scores: np.ndarray) -> np.ndarray:
    """As `matching.esco.mapper.overlap_score` reports a score: at most 1, four decimals."""
    return np.round(np.minimum(scores, 1.0), 4)
