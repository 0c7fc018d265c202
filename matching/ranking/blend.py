"""Scoring one side against the other, with an explanation for every match.

Score = w_semantic·semantic + w_skills·skills + w_lexical·lexical + w_concepts·concepts,
each signal in [0, 1]:
- semantic: cosine of the two texts' embeddings, clipped at 0;
- skills: weighted share of the posting's skills the candidate has
  (required skills count twice, nice-to-have once: `matching.skills.vocabulary`);
- lexical: BM25 of the query text against the other side, as a share of the
  query's self-score (what a text of exactly the query's words would score), so
  a weak lexical match stays weak however weak the rest of the pool is;
- concepts: how much of the posting's ESCO skill concepts the graduate's skills
  reach (`matching.esco.mapper.concept_overlap`): "REST APIs with Express" and
  "Node.js backend" meet on ESCO's JavaScript concepts, not on strings.
The weights (settings and per request may change them) are normalised to sum
to 1, so scores stay in [0, 1]. Hard filters run before this module sees a pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from matching.cefr.levels import LanguageFit, language_fit
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.retrieval.topk import best_first
from matching.skills.vocabulary import SkillOverlap, SkillVocabulary, held_score, skill_overlap

# A ranked pair is a match only if it shares at least one skill or ESCO concept and its blended
# score reaches this floor. Set from the demo's score distribution (README, How scoring works):
# of the 233 eligible pairs, the 176 sharing a skill or concept score from 0.16 (5th percentile
# 0.20, median 0.37), the 57 sharing none 0.03-0.25; the sharing rule removes those, and the
# floor guards against the faintest shared ones (none on the demo today).
# Fairs and placements score every pair of a small set and apply no floor; free-text search
# has no posting to share skills with, so it applies neither.
RELEVANCE_FLOOR = 0.15


@dataclass(frozen=True)
class Weights:
    """The blend. These defaults are the only ones: `Settings` starts from them (and
    `BRIDGEMATCH_WEIGHT_*` may change them), requests may change them with `w_*`."""

    semantic: float = 0.45
    skills: float = 0.25
    lexical: float = 0.15
    concepts: float = 0.15

    def normalised(self) -> Weights:
        values = np.array([self.semantic, self.skills, self.lexical, self.concepts], dtype=float)
        if (values < 0).any() or values.sum() <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        s, k, lex, con = values / values.sum()
        return Weights(float(s), float(k), float(lex), float(con))


Concepts = tuple[float, list[str]]  # (overlap score, shared ESCO labels) of one pair


@dataclass(frozen=True)
class ConceptScores:
    """The concept signal of a whole pool: every pair's score now, the shared labels of a
    row only when that row is explained (listing and sorting labels costs more than the score)."""

    scores: np.ndarray
    explain: Callable[[int], Concepts]

    @classmethod
    def of(cls, concepts: list[Concepts]) -> ConceptScores:
        return cls(np.array([score for score, _ in concepts], dtype=float), concepts.__getitem__)


@dataclass
class Explanation:
    matched_skills: list[str]
    missing_skills: list[str]
    missing_required_skills: list[str]
    languages_ok: bool | None
    languages: list[LanguageFit]
    signals: dict[str, float]
    matched_concepts: list[str] = field(default_factory=list)


@dataclass
class Match:
    id: int
    score: float
    explanation: Explanation
    extra: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON, built field by field: `dataclasses.asdict` deep-copies
        recursively and cost ~0.45 ms for a page of 20 matches, more than ranking a small pool."""
        e = self.explanation
        explanation = {
            "matched_skills": e.matched_skills,
            "missing_skills": e.missing_skills,
            "missing_required_skills": e.missing_required_skills,
            "languages_ok": e.languages_ok,
            "languages": [{"code": f.code, "required": f.required, "have": f.have, "ok": f.ok} for f in e.languages],
            "signals": e.signals,
            "matched_concepts": e.matched_concepts,
        }
        return {"id": self.id, "score": self.score, "explanation": explanation, **self.extra}


def _match(
    rid: int,
    overlap: SkillOverlap,
    fits: list[LanguageFit] | None,
    sem: float,
    lex: float,
    w: Weights,
    concepts: Concepts | None = None,
) -> Match:
    con, labels = concepts or (0.0, [])
    total = w.semantic * sem + w.skills * overlap.score + w.lexical * lex + w.concepts * con
    signals = {
        "semantic": round(float(sem), 6),
        "skills": round(overlap.score, 6),
        "lexical": round(float(lex), 6),
    }
    if concepts is not None:
        signals["concepts"] = round(float(con), 6)
    return Match(
        id=rid,
        score=round(float(total), 6),
        explanation=Explanation(
            matched_skills=overlap.matched,
            missing_skills=overlap.missing,
            missing_required_skills=overlap.missing_required,
            languages_ok=None if fits is None else all(f.ok for f in fits),
            languages=fits or [],
            signals=signals,
            matched_concepts=labels,
        ),
    )


def _clip(values: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), 0.0, 1.0)


def score_pairs(
    pairs: list[tuple[int, CandidateProfile, PostingRecord]],
    semantic: np.ndarray,
    lexical: np.ndarray,
    vocab: SkillVocabulary,
    weights: Weights,
    limit: int | None = None,
    concepts: list[Concepts] | ConceptScores | None = None,
    skills: np.ndarray | None = None,
    floor: float | None = None,
) -> list[Match]:
    """Blend signals for (result id, candidate, posting) triples; semantic/lexical are aligned arrays,
    `concepts` (when the ESCO signal is on) and `skills` (computed here when not given) too.

    Scores every pair, then explains only the best `limit` (all when None): the
    explanation costs more than the score, and a pool has hundreds of pairs.
    With a `floor`, pairs sharing no skill and no concept, or scoring below it, are no match.
    """
    w = weights.normalised()
    sem, lex = _clip(semantic), _clip(lexical)
    if isinstance(concepts, list):
        concepts = ConceptScores.of(concepts)
    order = ranked_rows(pairs, semantic, lexical, vocab, weights, concepts, skills, floor=floor)
    order = order[: len(order) if limit is None else limit]
    con = _clip(concepts.scores) if concepts is not None and len(pairs) else np.zeros(len(pairs))
    return [
        _match(
            rid,
            skill_overlap(cand.skills, post.required_skills, post.nice_skills, vocab),
            language_fit(cand.languages, post.languages),
            sem[row],
            lex[row],
            w,
            (float(con[row]), concepts.explain(row)[1]) if concepts is not None else None,
        )
        for row in order.tolist()
        for rid, cand, post in [pairs[row]]
    ]


def ranked_rows(
    pairs: list[tuple[int, CandidateProfile, PostingRecord]],
    semantic: np.ndarray,
    lexical: np.ndarray,
    vocab: SkillVocabulary,
    weights: Weights,
    concepts: list[Concepts] | ConceptScores | None = None,
    skills: np.ndarray | None = None,
    *,
    floor: float | None = None,
) -> np.ndarray:
    """Positions into `pairs` of the matches, best first ties by id, unexplained: `score_pairs`
    explains them, and a caller wanting only which records match (the language steps) stops here."""
    w = weights.normalised()
    sem, lex = _clip(semantic), _clip(lexical)
    if isinstance(concepts, list):
        concepts = ConceptScores.of(concepts)
    con = _clip(concepts.scores) if concepts is not None and len(pairs) else np.zeros(len(pairs))
    held: dict[int, frozenset[str]] = {}  # per distinct candidate: one graduate's query has one
    skills = skills if skills is not None else np.array([
        held_score(held.get(id(c)) or held.setdefault(id(c), vocab.held(c.skills)), p.required_skills,
                   p.nice_skills, vocab)
        for _, c, p in pairs
    ])
    totals = (
        np.round(w.semantic * sem + w.skills * skills + w.lexical * lex + w.concepts * con, 6)
        if pairs else np.zeros(0)
    )
    ids = np.array([rid for rid, _, _ in pairs], dtype=np.int64)
    order = best_first(totals, ids)
    if floor is not None and len(pairs):
        relevant = ((np.asarray(skills) > 0) | (con > 0)) & (totals >= floor)
        order = order[relevant[order]]
    return order


def sort_matches(matches: list[Match]) -> list[Match]:
    """Best first; ties broken by id so the same data always gives the same order."""
    return sorted(matches, key=lambda m: (-m.score, m.id))


def score_text_query(
    ids: list[int],
    skills_of: list[list[str]],
    query_skills: list[str],
    semantic: np.ndarray,
    lexical: np.ndarray,
    vocab: SkillVocabulary,
    weights: Weights,
    concepts: list[Concepts] | None = None,
) -> list[Match]:
    """Free-text search: the skills named in the text play the posting's required skills, and
    the ESCO concepts it names (in any language the labels and aliases are written in:
    "جافا سكريبت", "bases de datos") the posting's concepts, so a search in Arabic or
    Spanish meets records on what they hold even where the English-only encoder cannot read it."""
    w = weights.normalised()
    sem, lex = _clip(semantic), _clip(lexical)
    matches = [
        _match(rid, skill_overlap(skills_of[row], query_skills, [], vocab), None, sem[row], lex[row], w,
               concepts[row] if concepts is not None else None)
        for row, rid in enumerate(ids)
    ]
    return sort_matches(matches)
