"""Job-fair scheduler: who meets which company in which slot, fairly.

At a real fair six companies talked to three of nine graduates; here every graduate
gets `min_per_candidate` meetings whenever the seats allow it, and the rest of the
seats go to the best-scoring pairs.

How it is solved (pipeline in `fair_solve`; chosen by measurement, see bench/bench_fair.py):

1. Pair relaxation (`fair_relax`): drop the slots and choose pairs by an exact
   min-cost flow. Its constraint matrix is totally unimodular, so this is also the LP
   bound. Fairness is lexicographic: maximise the number of graduates with >= 1
   meeting, then >= 2, ... up to the minimum, then the score. When the seats allow it
   this equals a hard min rule; when they do not, the report says why (warnings) and
   the schedule is max-min fair instead of raising.
2. Timetable (`fair_timetable`): edge-colour the chosen pairs with slots (König:
   always possible without availability limits); pairs that availability leaves
   without a slot are re-planned by CP-SAT around the conflict (`fair_joint`), then
   free seats are filled greedily.
3. If the result does not reach the relaxation bound and the fair is small, the full
   CP-SAT model (pairs and slots together) is solved from that start, which proves
   optimality on fairs of a few thousand (graduate, company, slot) triples.

The "price of fairness" re-solves the fair without the min rule.

Example:
    >>> problem = FairProblem(graduates=("g1", "g2"), companies=(Company("c1", 1),),
    ...                       slots=("9:00", "9:20"), scores=np.array([[0.9], [0.2]]))
    >>> plan_fair(problem).report.status
    'OPTIMAL'
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np

from matching.fair.arrays import build_arrays
from matching.fair.report import build_report, to_meetings
from matching.fair.solve import JOINT_LIMIT, solve
from matching.fair.types import (
    Company,
    CompanyUse,
    FairProblem,
    FairReport,
    FairRules,
    FairRulesConflict,
    FairSchedule,
    Meeting,
)
from matching.fair.validate import validate_schedule

__all__ = [
    "Company",
    "CompanyUse",
    "FairProblem",
    "FairReport",
    "FairRules",
    "FairRulesConflict",
    "FairSchedule",
    "Meeting",
    "plan_fair",
    "replan",
    "replan_problem",
    "validate_schedule",
]


def plan_fair(
    problem: FairProblem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    price_of_fairness: bool = True,
    joint_limit: int = JOINT_LIMIT,
) -> FairSchedule:
    """Plan the fair: maximise total score under every rule, min meetings first.

    Args:
        problem: The fair (held meetings, if any, are kept).
        time_limit: Seconds for each solve (the price-of-fairness solve has its own).
        workers: CP-SAT workers.
        price_of_fairness: Also solve without the min rule and report the difference.
        joint_limit: Largest fair (in triples) given to the full CP-SAT model.

    Returns:
        The schedule and its report; `report.warnings` says why the min rule was not
        met for everyone when the seats do not allow it.

    Raises:
        FairRulesConflict: The rules contradict each other (e.g. a required pair is
            blocked), or the solver proved the required meetings cannot be timetabled.
    """
    start = time.perf_counter()
    a, warnings = build_arrays(problem)
    outcome = solve(a, time_limit, workers, joint_limit)
    without_min = None
    if price_of_fairness and a.min_target > 0:
        other = solve(replace(a, min_target=0), time_limit, workers, joint_limit).new
        both = np.concatenate([a.held, other])
        without_min = float(np.asarray(problem.scores, float)[both[:, 0], both[:, 1]].sum())
    report = build_report(
        problem,
        a,
        outcome.weights,
        outcome.new,
        optimal=outcome.optimal,
        method=outcome.method,
        bound_value=outcome.bound_value,
        relaxation=outcome.relaxation,
        warnings=warnings,
        score_without_min=without_min,
        seconds=time.perf_counter() - start,
    )
    if price_of_fairness and a.min_target == 0:
        report = replace(report, score_without_min=report.total_score, price_of_fairness=0.0)
    new = outcome.new
    meetings = to_meetings(problem, np.concatenate([a.held, new]))
    problems = validate_schedule(problem, meetings, check_min=False)
    if problems:
        raise RuntimeError(f"internal error, planned schedule breaks rules: {problems[:5]}")
    return FairSchedule(meetings=meetings, report=report)


def replan_problem(
    problem: FairProblem,
    schedule: FairSchedule,
    from_slot: int | str,
    *,
    no_shows: Iterable[str] = (),
    late_companies: Mapping[str, int | str] | None = None,
) -> FairProblem:
    """The fair as it stands at `from_slot`: earlier meetings held, absentees removed.

    Required pairs that did not meet yet and no longer share an open slot (e.g. with a
    no-show) are dropped rather than raised: on the day, the organiser needs a plan.

    Args:
        problem: The original fair.
        schedule: The schedule so far.
        from_slot: First slot to re-plan (index or slot id).
        no_shows: Graduates absent from `from_slot` on.
        late_companies: Company id -> first slot (index or id) it is present; a value
            past the last slot means absent for the rest of the fair.
    """
    pos = {s: i for i, s in enumerate(problem.slots)}
    start = pos[from_slot] if isinstance(from_slot, str) else int(from_slot)
    held = tuple(m for m in schedule.meetings if pos[m.slot] < start)
    rest = problem.slots[start:]
    g_off = set(problem.rules.graduate_unavailable)
    g_off |= {(g, s) for g in no_shows for s in rest}
    c_off = set(problem.rules.company_unavailable)
    for c, arrival in (late_companies or {}).items():
        first = pos[arrival] if isinstance(arrival, str) else int(arrival)
        c_off |= {(c, s) for s in problem.slots[start:first]}
    met = {(m.graduate, m.company) for m in held}

    def still_possible(g: str, c: str) -> bool:
        return (g, c) in met or any((g, s) not in g_off and (c, s) not in c_off for s in rest)

    required = frozenset(p for p in problem.rules.required if still_possible(*p))
    rules = replace(
        problem.rules,
        required=required,
        graduate_unavailable=frozenset(g_off),
        company_unavailable=frozenset(c_off),
    )
    return replace(problem, rules=rules, held=held, open_from=start)


def replan(
    problem: FairProblem,
    schedule: FairSchedule,
    from_slot: int | str,
    *,
    no_shows: Iterable[str] = (),
    late_companies: Mapping[str, int | str] | None = None,
    time_limit: float = 10.0,
    workers: int = 2,
    price_of_fairness: bool = False,
) -> FairSchedule:
    """Re-plan the rest of the fair after no-shows or late companies.

    Meetings before `from_slot` are kept and count toward min/max and capacities;
    absent people get no meeting from `from_slot` on. Validate the result against
    `replan_problem(...)` with the same arguments.

    Example:
        >>> later = replan(problem, schedule, "10:00", no_shows=["g7"])
    """
    current = replan_problem(
        problem, schedule, from_slot, no_shows=no_shows, late_companies=late_companies
    )
    return plan_fair(
        current, time_limit=time_limit, workers=workers, price_of_fairness=price_of_fairness
    )
