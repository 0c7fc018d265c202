"""The evaluation harness reports the service's own ranking, not a ranker of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.evaluation.data import RankingTask
from matching.evaluation.harness import run_benchmark
from matching.records.sides import Owner, Side
from service.pairs_eval import SkillFinder
from service.search_eval import posting_of_item, scratch_matcher, search_rankings
from service.settings import Settings

TASK = RankingTask(
    name="tiny",
    queries={"q1": "python backend developer", "q2": "registered nurse", "q3": "TRUCK DRIVER"},
    corpus={"d1": "Python developer for our Django backend", "d2": "Nurse on a hospital ward",
            "d3": "Truck driver, long-distance routes", "d4": "Pastry chef in a hotel"},
    qrels={"q1": {"d1"}, "q2": {"d2"}, "q3": {"d3"}},
)


CACHE = Path(__file__).resolve().parents[2] / "var" / "cache"  # ESCO label vectors, shared with the suite


def _search(cache: Path):  # type: ignore[no-untyped-def]
    return lambda task: search_rankings(task, model="all-MiniLM-L6-v2", cache_dir=cache,
                                        data_dir=Settings().data_dir)


def test_titles_and_rankings_go_through_the_service_search() -> None:
    report = run_benchmark(TASK, kind="ranking", model="all-MiniLM-L6-v2", cache_dir=CACHE,
                           search=_search(CACHE))
    ours = next(r for r in report.results if r.method == "bridgematch")
    assert ours.metrics["mrr"] == 1.0
    # the same order GET /search gives, query by query, on the same records
    rankings = _search(CACHE)(TASK)
    with scratch_matcher(model="all-MiniLM-L6-v2", cache_dir=CACHE, data_dir=Settings().data_dir,
                         name="check") as (matcher, org, company):
        find = SkillFinder(matcher)
        ids = matcher.create(Side.postings, [posting_of_item(TASK.corpus[d], find) for d in TASK.corpus],
                             [Owner(org, company)] * len(TASK.corpus))
        doc = dict(zip(ids, TASK.corpus, strict=True))
        for qid, text in TASK.queries.items():
            found = matcher.search(text, Side.postings, org_id=org, limit=100)
            assert rankings[qid] == [doc[m.id] for m in found.matches]


def test_a_ranking_set_needs_the_service_search() -> None:
    with pytest.raises(ValueError, match="service's search"):
        run_benchmark(TASK, kind="ranking", model="all-MiniLM-L6-v2", cache_dir=None)


def test_skill_spans_go_through_the_service_skill_mapper() -> None:
    task = RankingTask(
        name="spans", queries={"s1": "postgres", "s2": "Sass"},
        corpus={"PostgreSQL": "PostgreSQL", "Sass": "Sass", "SAS language": "SAS language",
                "nursing": "provide nursing care"},
        qrels={"s1": {"PostgreSQL"}, "s2": {"Sass"}},
    )
    report = run_benchmark(task, kind="skills", model="all-MiniLM-L6-v2", cache_dir=CACHE)
    ours = next(r for r in report.results if r.method == "bridgematch")
    assert ours.metrics["recall@1"] == 1.0
