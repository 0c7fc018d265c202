"""Shortfalls as data with a cause: who got fewer meetings than the minimum, which companies kept seats."""

from __future__ import annotations

import numpy as np

from matching.fair.notices import Notice
from matching.fair.schedule import Company, FairProblem, FairRules, plan_fair, replan


def _problem(**rules: object) -> FairProblem:
    eligible = np.array([[True, True], [True, True], [True, False]])
    return FairProblem(graduates=("g1", "g2", "g3"), companies=(Company("Acme", 1), Company("Bo", 1)),
                       slots=("s0", "s1", "s2"), scores=np.full((3, 2), 0.5), eligible=eligible,
                       rules=FairRules(min_per_candidate=2, max_per_candidate=2, **rules))  # type: ignore[arg-type]


def test_a_graduate_only_one_company_fits_is_below_the_minimum_for_that_reason() -> None:
    report = plan_fair(_problem(), price_of_fairness=False).report
    assert Notice("below_min", "g3", "few_fits", 1, 2) in report.notices
    assert not [n for n in report.notices if n.kind == "below_min" and n.subject != "g3"]
    # 6 seats, 5 meetings: Bo keeps one, and only two graduates fit it
    assert [n for n in report.notices if n.kind == "free_seats"] == [Notice("free_seats", "Bo", "few_fits", 1, 3)]


def test_a_no_show_is_absent_and_a_graduate_without_free_slots_is_unavailable() -> None:
    problem = _problem()
    schedule = plan_fair(problem, price_of_fairness=False)
    first = {m.graduate for m in schedule.meetings if m.slot == "s0"}
    absent = min({"g1", "g2"} - first, default="g1")
    later = replan(problem, schedule, 1, no_shows=[absent])
    mine = [n for n in later.report.notices if n.subject == absent]
    assert [(n.kind, n.cause, n.expected) for n in mine] == [("below_min", "absent", 2)]
    assert mine[0].count == sum(m.graduate == absent for m in later.meetings) < 2
    away = plan_fair(_problem(graduate_unavailable=frozenset({("g1", s) for s in ("s0", "s1", "s2")})),
                     price_of_fairness=False).report
    assert Notice("below_min", "g1", "unavailable", 0, 2) in away.notices
