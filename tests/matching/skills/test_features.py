"""Pool scoring from feature rows equals the pair-by-pair functions it replaces on the hot path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.esco.mapper import ConceptHit, holdings, overlap_score, target
from matching.skills.features import FeatureIds, FeatureRows, share
from matching.skills.vocabulary import SkillVocabulary, skill_score, skill_weights
from service.settings import REPO_DATA

VOCAB = SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv")
# Aliases, implications (Django → Python, PostgreSQL → SQL), case and punctuation variants, unknowns.
SKILLS = ["Python", "python", "Django", "SQL", "PostgreSQL", "postgres", "JS", "JavaScript", "React",
          "React.js", "reactjs", "Node.js", "Express", "Docker", "CSS", "Figma", "QA testing", "COBOL"]
skill_lists = st.lists(st.sampled_from(SKILLS), min_size=0, max_size=8)


def posting_features(ids: FeatureIds, required: list[str], nice: list[str]) -> tuple[dict[int, float], float]:
    weights, total = skill_weights(required, nice, VOCAB)
    return {ids.of(key): weight for key, weight in weights.items()}, total


@settings(max_examples=150, deadline=None)
@given(have=skill_lists, postings=st.lists(st.tuples(skill_lists, skill_lists), min_size=1, max_size=12))
def test_skill_share_from_rows_equals_skill_score_both_ways(
    have: list[str], postings: list[tuple[list[str], list[str]]]
) -> None:
    expected = [skill_score(have, req, nice, VOCAB) for req, nice in postings]
    ids, rows = FeatureIds(), FeatureRows()
    for rid, (req, nice) in enumerate(postings):
        features, total = posting_features(ids, req, nice)
        rows.put(rid, features, total=total)
    picked = rows.rows(list(range(len(postings))))
    held = ids.vector({ids.of(k): 1.0 for k in VOCAB.held(have)})
    got = share(rows.dot(picked, held), rows.totals(picked))
    assert got.tolist() == pytest.approx(expected, abs=1e-12)
    # the other way: one posting against many graduates holding these skills
    grads = FeatureRows()
    for rid, (req, _) in enumerate(postings):
        grads.put(rid, {ids.of(k): 1.0 for k in VOCAB.held(req)}, total=0.0)
    features, total = posting_features(ids, have, [])
    picked = grads.rows(list(range(len(postings))))
    got = share(grads.dot(picked, ids.vector(features)), np.full(len(postings), total))
    assert got.tolist() == pytest.approx([skill_score(req, have, [], VOCAB) for req, _ in postings], abs=1e-12)


hits = st.lists(
    st.builds(ConceptHit, st.sampled_from([f"u:{i}" for i in range(12)]), st.just("label"),
              st.floats(-0.2, 1.0, allow_nan=False)),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(have=hits, postings=st.lists(hits, min_size=1, max_size=10))
def test_concept_overlap_from_rows_equals_overlap_score(have: list[ConceptHit], postings: list[list[ConceptHit]]) -> None:
    ids, rows = FeatureIds(), FeatureRows()
    for rid, wanted in enumerate(postings):
        want, total = target(wanted)
        rows.put(rid, {ids.of(uri): conf for uri, (conf, _) in want.items()}, total=total)
    query = ids.vector({ids.of(uri): conf for uri, conf in holdings(have).items()})
    picked = rows.rows(list(range(len(postings))))
    got = np.round(np.minimum(share(rows.min_sum(picked, query), rows.totals(picked)), 1.0), 4)
    expected = [overlap_score(holdings(have), target(wanted)) for wanted in postings]
    assert got.tolist() == pytest.approx(expected, abs=1e-9)


def test_rows_are_replaced_removed_reused_and_widened() -> None:
    ids, rows = FeatureIds(), FeatureRows()
    a, b = ids.of("a"), ids.of("b")
    rows.put(1, {a: 2.0}, total=2.0)
    rows.put(2, {b: 1.0}, total=1.0)
    rows.put(1, {b: 2.0}, total=2.0)  # an update replaces the whole row
    query = ids.vector({a: 1.0})
    assert rows.dot(rows.rows([1, 2]), query).tolist() == [0.0, 0.0]
    rows.remove(2)
    assert rows.rows([2]).tolist() == [-1] and rows.dot(rows.rows([2, 99]), query).tolist() == [0.0, 0.0]
    many = {ids.of(f"s{i}"): 1.0 for i in range(40)}  # wider than any row so far
    rows.put(3, many, total=40.0)
    assert len(rows) == 2 and rows.row_of[3] == 1  # took the freed slot
    assert rows.dot(rows.rows([3]), ids.vector(many)).tolist() == [40.0]
    late = ids.of("issued after the query vector")  # a feature newer than the query reads as 0
    rows.put(4, {late: 5.0}, total=5.0)
    assert rows.dot(rows.rows([4]), query).tolist() == [0.0]
    for rid in range(100, 300):  # growth keeps earlier rows
        rows.put(rid, {a: 1.0}, total=1.0)
    assert rows.dot(rows.rows([1, 3, 299]), ids.vector(many | {a: 1.0, b: 1.0})).tolist() == [2.0, 40.0, 1.0]
