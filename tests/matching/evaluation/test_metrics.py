"""Ranking metrics on tiny rankings whose right answers are worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from matching.evaluation.data import load_skill_spans, load_titles, load_trec_dir
from matching.evaluation.metrics import (
    mean_metrics,
    ndcg_at_k,
    r_precision_at_k,
    recall_at_k,
    reciprocal_rank,
)


def test_reciprocal_rank_is_one_over_first_relevant_position() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"a"}) == 1.0
    assert reciprocal_rank(["a", "b", "c"], {"c", "b"}) == 0.5
    assert reciprocal_rank(["a", "b"], {"z"}) == 0.0
    assert reciprocal_rank([], {"a"}) == 0.0


def test_recall_counts_relevant_found_in_the_cut() -> None:
    ranked = ["a", "x", "b", "y", "c"]
    assert recall_at_k(ranked, {"a", "b", "c"}, 1) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, {"a", "b", "c"}, 3) == pytest.approx(2 / 3)
    assert recall_at_k(ranked, {"a", "b", "c"}, 10) == 1.0
    assert recall_at_k(ranked, set(), 5) == 0.0


def test_r_precision_divides_by_what_could_fit() -> None:
    # one relevant label: RP@5 is a hit in the top 5
    assert r_precision_at_k(["x", "y", "a"], {"a"}, 5) == 1.0
    # seven relevant, two in the top 5: 2 / min(5, 7)
    relevant = {"a", "b", "c", "d", "e", "f", "g"}
    assert r_precision_at_k(["a", "x", "b", "y", "z"], relevant, 5) == pytest.approx(2 / 5)
    # two relevant, both in top 5 → perfect even though 3 slots hold misses
    assert r_precision_at_k(["x", "a", "y", "b", "z"], {"a", "b"}, 5) == 1.0


def test_ndcg_matches_the_formula() -> None:
    # relevant at positions 1 and 3 of 2 relevant: (1 + 1/log2(4)) / (1 + 1/log2(3))
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx(expected)
    assert ndcg_at_k(["a", "b"], {"a", "b"}, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "a"], {"a"}, 1) == 0.0
    # the ideal ranking is also cut at k: 3 relevant but k = 2 → ideal has 2 gains
    assert ndcg_at_k(["a", "b", "c"], {"a", "b", "c"}, 2) == pytest.approx(1.0)


def test_mean_metrics_averages_over_judged_queries_and_counts_missing_rankings() -> None:
    rankings = {"q1": ["a", "b"], "q2": ["x", "c"], "q3": ["z"]}
    qrels = {"q1": {"a"}, "q2": {"c"}, "q4": {"d"}, "q5": set()}
    metrics = mean_metrics(rankings, qrels, ks=(1, 2))
    # q1 RR 1, q2 RR 1/2, q4 not ranked → 0; q5 has no relevant item and is skipped
    assert metrics["mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert metrics["recall@1"] == pytest.approx(1 / 3)
    assert metrics["recall@2"] == pytest.approx(2 / 3)
    assert metrics["rp@2"] == pytest.approx(2 / 3)


def test_invalid_inputs_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="positive"):
        recall_at_k(["a"], {"a"}, 0)
    with pytest.raises(ValueError, match="no query"):
        mean_metrics({"q": ["a"]}, {"q": set()})


SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"shared evaluation sets not found at {SHARED.resolve()}")
    return SHARED


def test_skill_spans_group_labels_per_sentence_and_span(shared: Path) -> None:
    task = load_skill_spans(
        shared / "eval" / "skill_extraction" / "tech_validation_annotations.csv"
    )
    assert len(task.corpus) == 13_896
    assert len(task.queries) == 120  # (sentence, span) pairs with a real ESCO label
    assert all(task.qrels[q] for q in task.queries)
    assert not any("LABEL NOT PRESENT" in rel for rel in task.qrels.values())


def test_trec_folders_and_title_samples_load(shared: Path) -> None:
    task = load_trec_dir(shared / "eval" / "title_similarity" / "en")
    assert (len(task.queries), len(task.corpus)) == (105, 2619)
    assert set().union(*task.qrels.values()) <= set(task.corpus)
    titles = shared / "eval" / "jobbert" / "titles_validation.csv"
    first = load_titles(titles, sample=50, seed=0)
    assert len(first.queries) == 50 and len(first.corpus) == 3658
    assert load_titles(titles, sample=50, seed=0).queries == first.queries
    assert load_titles(titles, sample=50, seed=1).queries != first.queries
