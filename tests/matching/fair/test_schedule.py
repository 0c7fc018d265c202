"""Tests of the job-fair scheduler: hand-checked optima, a brute-force referee, rules, replan."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.fair.schedule import (
    Company,
    FairProblem,
    FairRules,
    FairRulesConflict,
    Meeting,
    plan_fair,
    replan,
    replan_problem,
    validate_schedule,
)

SLOTS2 = ("s1", "s2")


def _hand_problem(min_pc: int, max_pc: int, **rules: object) -> FairProblem:
    """3 graduates × 2 companies (1 seat each) × 2 slots: 4 seats in all."""
    scores = np.array([[0.9, 0.8], [0.7, 0.1], [0.6, 0.05]])
    return FairProblem(
        graduates=("g1", "g2", "g3"),
        companies=(Company("A", 1), Company("B", 1)),
        slots=SLOTS2,
        scores=scores,
        rules=FairRules(min_per_candidate=min_pc, max_per_candidate=max_pc, **rules),
    )


def test_hand_checked_min_one_and_price_of_fairness() -> None:
    # Without min: A takes g1 .9 + g2 .7, B takes g1 .8 + g2 .1 -> 2.5 and g3 gets nothing.
    # With min 1, g3 must replace someone: g3-B .05 for g2-B .1 -> 2.45 (g3-A for g2-A: 2.4).
    schedule = plan_fair(_hand_problem(1, 2))
    report = schedule.report
    assert report.total_score == pytest.approx(2.45)
    assert report.status == "OPTIMAL" and report.gap == 0.0
    assert report.score_without_min == pytest.approx(2.5)
    assert report.price_of_fairness == pytest.approx(0.05)
    pairs = {(m.graduate, m.company) for m in schedule.meetings}
    assert pairs == {("g1", "A"), ("g1", "B"), ("g2", "A"), ("g3", "B")}
    assert validate_schedule(_hand_problem(1, 2), schedule) == []


def test_hand_checked_min_beyond_seats_is_max_min_fair() -> None:
    # min 2 for 3 graduates needs 6 seats, only 4 exist: no error, a warning, and leximin:
    # all three get one meeting first, the fourth seat gives one graduate a second.
    # Best such: g1 meets A and B (1.7) + g2-A .7 + g3-B .05 = 2.45.
    schedule = plan_fair(_hand_problem(2, 2))
    report = schedule.report
    assert report.total_score == pytest.approx(2.45)
    assert "3 graduates × 2 meetings need 6 seats, 4 available" in report.warnings
    assert report.graduates_without_meeting == ()
    assert report.graduates_below_min == ("g2", "g3")
    assert (report.meetings_min, report.meetings_max) == (1, 2)


def test_hand_checked_with_company_unavailable() -> None:
    # B is away in s2, so 3 seats for 3 graduates with min 1: one meeting each.
    # g1-B .8 + g2-A .7 + g3-A .6 = 2.1 beats g1-A .9 + g2-A .7 + g3-B .05 = 1.65.
    problem = _hand_problem(1, 2, company_unavailable=frozenset({("B", "s2")}))
    schedule = plan_fair(problem)
    assert schedule.report.total_score == pytest.approx(2.1)
    assert ("g1", "B", "s1") in {(m.graduate, m.company, m.slot) for m in schedule.meetings}
    assert validate_schedule(problem, schedule) == []
    use = schedule.report.utilisation
    assert (use["B"].used, use["B"].available) == (1, 1)
    assert (use["A"].used, use["A"].available) == (2, 2)


def test_real_fair_story_everyone_gets_two() -> None:
    """Six companies at a real fair talked to three of nine graduates; here all nine get two."""
    rng = np.random.default_rng(7)
    scores = np.round(rng.uniform(0.0, 0.3, (9, 6)), 2)
    scores[:3] = np.round(rng.uniform(0.8, 1.0, (3, 6)), 2)  # the three "obvious" ones
    problem = FairProblem(
        graduates=tuple(f"g{i}" for i in range(9)),
        companies=tuple(Company(f"c{j}", 1) for j in range(6)),
        slots=("10:00", "10:30", "11:00"),
        scores=scores,
        rules=FairRules(min_per_candidate=2, max_per_candidate=3),
    )
    schedule = plan_fair(problem)
    report = schedule.report
    assert report.meetings_min >= 2 and report.graduates_without_meeting == ()
    assert validate_schedule(problem, schedule) == []
    assert report.price_of_fairness is not None and report.price_of_fairness >= -1e-9


def _brute_force(problem: FairProblem) -> tuple[tuple[int, ...], int] | None:
    """Best (leximin profile, scaled score) over every schedule; None if none is valid."""
    r = problem.rules
    eligible = np.ones(problem.scores.shape, bool) if problem.eligible is None else problem.eligible
    pairs = [
        (g, c)
        for g, c in itertools.product(range(len(problem.graduates)), range(len(problem.companies)))
        if (eligible[g, c] or (problem.graduates[g], problem.companies[c].id) in r.required)
    ]
    best = None
    choices = [None, *problem.slots]
    for pick in itertools.product(choices, repeat=len(pairs)):
        meetings = [
            Meeting(problem.graduates[g], problem.companies[c].id, s)
            for (g, c), s in zip(pairs, pick, strict=True)
            if s is not None
        ]
        if validate_schedule(problem, meetings, check_min=False):
            continue
        deg = [sum(m.graduate == g for m in meetings) for g in problem.graduates]
        profile = tuple(sum(d >= k for d in deg) for k in range(1, r.min_per_candidate + 1))
        col = {c.id: j for j, c in enumerate(problem.companies)}
        row = {g: i for i, g in enumerate(problem.graduates)}
        score = sum(round(problem.scores[row[m.graduate], col[m.company]] * 100) for m in meetings)
        if best is None or (profile, score) > best:
            best = (profile, score)
    return best


def _tiny(seed: int) -> FairProblem:
    rng = np.random.default_rng(seed)
    n_g, n_c = 3, 2
    gids, cids = [f"g{i}" for i in range(n_g)], [f"c{j}" for j in range(n_c)]
    pairs = list(itertools.product(gids, cids))
    off_g = {(g, s) for g in gids for s in SLOTS2 if rng.random() < 0.2}
    off_c = {(c, s) for c in cids for s in SLOTS2 if rng.random() < 0.15}
    blocked = {p for p in pairs if rng.random() < 0.1}
    required = {p for p in pairs if rng.random() < 0.08}
    return FairProblem(
        graduates=tuple(gids),
        companies=tuple(
            Company(c, int(rng.integers(1, 3)), None if rng.random() < 0.7 else 2) for c in cids
        ),
        slots=SLOTS2,
        scores=rng.integers(0, 101, (n_g, n_c)) / 100,
        eligible=rng.random((n_g, n_c)) < 0.85,
        rules=FairRules(
            min_per_candidate=int(rng.integers(0, 3)),
            max_per_candidate=2,
            blocked=frozenset(blocked),
            required=frozenset(required),
            graduate_unavailable=frozenset(off_g),
            company_unavailable=frozenset(off_c),
        ),
    )


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_on_tiny_fairs(seed: int) -> None:
    problem = _tiny(seed)
    best = _brute_force(problem)
    try:
        schedule = plan_fair(problem, price_of_fairness=False)
    except FairRulesConflict:
        assert best is None, "solver reported a conflict but a valid schedule exists"
        return
    assert best is not None
    assert validate_schedule(problem, schedule, check_min=False) == []
    m = problem.rules.min_per_candidate
    deg = [sum(x.graduate == g for x in schedule.meetings) for g in problem.graduates]
    profile = tuple(sum(d >= k for d in deg) for k in range(1, m + 1))
    assert profile == best[0]
    assert schedule.report.status == "OPTIMAL"
    assert round(schedule.report.total_score * 100) == best[1]


def _random_fair(seed: int, n_g: int, n_c: int, n_s: int, tight: bool) -> FairProblem:
    rng = np.random.default_rng(seed)
    gids = tuple(f"g{i}" for i in range(n_g))
    comps = tuple(
        Company(f"c{j}", int(rng.integers(1, 3)), None if rng.random() < 0.8 else n_s)
        for j in range(n_c)
    )
    slots = tuple(f"s{k}" for k in range(n_s))
    pairs = list(itertools.product(gids, (c.id for c in comps)))
    picks = rng.choice(len(pairs), size=6, replace=False)
    return FairProblem(
        graduates=gids,
        companies=comps,
        slots=slots,
        scores=rng.random((n_g, n_c)),
        eligible=rng.random((n_g, n_c)) < (0.7 if tight else 0.95),
        rules=FairRules(
            min_per_candidate=2,
            max_per_candidate=int(rng.integers(2, 5)),
            blocked=frozenset(pairs[i] for i in picks[:4]),
            required=frozenset(pairs[i] for i in picks[4:5]),
            graduate_unavailable=frozenset(
                (g, s) for g in gids for s in slots if rng.random() < (0.3 if tight else 0.0)
            ),
            company_unavailable=frozenset(
                (c.id, s) for c in comps for s in slots if rng.random() < (0.2 if tight else 0.0)
            ),
        ),
    )


@pytest.mark.parametrize("seed", range(12))
def test_every_rule_holds_on_random_fairs(seed: int) -> None:
    problem = _random_fair(seed, n_g=40, n_c=8, n_s=6, tight=True)
    schedule = plan_fair(problem, price_of_fairness=False, time_limit=5)
    assert validate_schedule(problem, schedule, check_min=False) == []
    report = schedule.report
    if report.graduates_below_min:
        assert report.warnings, "an unmet minimum must be explained"
    assert report.bound >= report.total_score - 1e-9
    assert 0.0 <= report.gap <= 0.05


@pytest.mark.parametrize("seed", range(6))
def test_min_is_met_when_seats_allow(seed: int) -> None:
    # No availability limits, 95 % eligible, 8 companies × 1-2 seats × 6 slots >= 48 seats
    # for 20 graduates × 2: the minimum is reachable, and by König the two-stage plan is
    # exactly optimal.
    problem = _random_fair(seed, n_g=20, n_c=8, n_s=6, tight=False)
    schedule = plan_fair(problem, price_of_fairness=False)
    assert validate_schedule(problem, schedule, check_min=True) == []
    assert schedule.report.status == "OPTIMAL"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_g=st.integers(1, 15),
    n_c=st.integers(1, 5),
    n_s=st.integers(1, 5),
    min_pc=st.integers(0, 3),
)
def test_schedule_is_valid_property(seed: int, n_g: int, n_c: int, n_s: int, min_pc: int) -> None:
    problem = _random_fair(seed, n_g, n_c, n_s, tight=True) if n_g * n_c >= 6 else None
    if problem is None:
        return
    rules = replace(
        problem.rules,
        min_per_candidate=min_pc,
        max_per_candidate=max(min_pc, problem.rules.max_per_candidate),
    )
    problem = replace(problem, rules=rules)
    try:
        schedule = plan_fair(problem, price_of_fairness=False, time_limit=2)
    except FairRulesConflict as e:
        assert e.conflicts
        return
    assert validate_schedule(problem, schedule, check_min=False) == []


def test_non_eligible_pair_meets_only_when_required() -> None:
    problem = replace(
        _hand_problem(1, 2, required=frozenset({("g3", "B")})),
        eligible=np.array([[True, True], [True, True], [False, False]]),
    )
    schedule = plan_fair(problem)
    g3 = {m.company for m in schedule.meetings if m.graduate == "g3"}
    assert g3 == {"B"}
    assert validate_schedule(problem, schedule) == []


def test_blocked_pairs_never_meet() -> None:
    problem = _hand_problem(1, 2, blocked=frozenset({("g1", "A"), ("g2", "A")}))
    schedule = plan_fair(problem)
    assert not {("g1", "A"), ("g2", "A")} & {(m.graduate, m.company) for m in schedule.meetings}
    assert validate_schedule(problem, schedule) == []


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            {"required": frozenset({("g1", "A")}), "blocked": frozenset({("g1", "A")})},
            "required pair (g1, A) is blocked",
        ),
        (
            {"required": frozenset({("g1", "A"), ("g1", "B")})},
            "graduate g1 has 2 required meetings but max_per_candidate is 1",
        ),
        (
            {
                "required": frozenset({("g1", "A")}),
                "graduate_unavailable": frozenset({("g1", "s1"), ("g1", "s2")}),
            },
            "required pair (g1, A) has no slot where both are available",
        ),
    ],
)
def test_contradictions_raise_with_named_conflict(rules: dict, expected: str) -> None:
    with pytest.raises(FairRulesConflict) as info:
        plan_fair(_hand_problem(1, 1, **rules))
    assert expected in info.value.conflicts


def test_company_required_beyond_seats_raises() -> None:
    required = frozenset({("g1", "A"), ("g2", "A"), ("g3", "A")})
    with pytest.raises(FairRulesConflict) as info:
        plan_fair(_hand_problem(0, 2, required=required))
    assert "company A has 3 required meetings but only 2 seats in its available slots" in (
        info.value.conflicts
    )


def test_min_above_max_and_bad_shapes_raise() -> None:
    with pytest.raises(FairRulesConflict, match="min_per_candidate 3 exceeds max_per_candidate 2"):
        plan_fair(_hand_problem(3, 2))
    with pytest.raises(FairRulesConflict, match="scores has shape"):
        plan_fair(replace(_hand_problem(1, 2), scores=np.zeros((2, 2))))


def test_solver_proves_required_meetings_cannot_be_timetabled() -> None:
    # A has 2 seats over 2 slots, but both required graduates can only come in s1.
    off = frozenset({("g1", "s2"), ("g2", "s2")})
    problem = _hand_problem(
        0, 2, required=frozenset({("g1", "A"), ("g2", "A")}), graduate_unavailable=off
    )
    with pytest.raises(FairRulesConflict, match="cannot all be timetabled"):
        plan_fair(problem)


def test_replan_keeps_held_meetings_and_drops_no_shows() -> None:
    problem = _random_fair(3, n_g=18, n_c=6, n_s=6, tight=False)
    first = plan_fair(problem, price_of_fairness=False)
    no_shows, late = ["g0", "g5"], {"c1": "s4"}
    later = replan(problem, first, "s2", no_shows=no_shows, late_companies=late)
    current = replan_problem(problem, first, "s2", no_shows=no_shows, late_companies=late)
    assert validate_schedule(current, later, check_min=False) == []
    early = {"s0", "s1"}
    assert {m for m in first.meetings if m.slot in early} == {
        m for m in later.meetings if m.slot in early
    }
    assert not [m for m in later.meetings if m.graduate in no_shows and m.slot not in early]
    assert not [m for m in later.meetings if m.company == "c1" and m.slot in {"s2", "s3"}]
    present = [g for g in problem.graduates if g not in no_shows]
    counts = {g: sum(m.graduate == g for m in later.meetings) for g in present}
    assert min(counts.values()) >= 2


def test_replan_counts_held_meetings_toward_max() -> None:
    # max 1: g1 already met A in s1, so it gets nothing new; g2 and g3 share s2's two seats.
    problem = _hand_problem(1, 1)
    earlier = replace(plan_fair(problem), meetings=(Meeting("g1", "A", "s1"),))
    later = replan(problem, earlier, 1)
    assert [m for m in later.meetings if m.graduate == "g1"] == [Meeting("g1", "A", "s1")]
    current = replan_problem(problem, earlier, 1)
    assert validate_schedule(current, later, check_min=True) == []
    assert {m.slot for m in later.meetings if m.graduate != "g1"} == {"s2"}


@pytest.mark.parametrize("seed", range(5))
def test_timetable_colours_every_pair_without_availability_limits(seed: int) -> None:
    # König: with max_per_candidate = slots and companies filled to seats × slots, the
    # chosen pairs form a bipartite multigraph of maximum degree = slots, which Kempe
    # swaps must colour completely.
    from matching.fair.arrays import build_arrays
    from matching.fair.relax import relax_pairs, tier_weights
    from matching.fair.timetable import kempe_timetable

    rng = np.random.default_rng(seed)
    n_g, n_c, n_s = 60, 10, 6
    problem = FairProblem(
        graduates=tuple(f"g{i}" for i in range(n_g)),
        companies=tuple(Company(f"c{j}", int(rng.integers(1, 4))) for j in range(n_c)),
        slots=tuple(f"s{k}" for k in range(n_s)),
        scores=rng.random((n_g, n_c)),
        rules=FairRules(min_per_candidate=0, max_per_candidate=n_s),
    )
    arrays, _ = build_arrays(problem)
    pairs = relax_pairs(arrays, tier_weights(arrays)).pairs
    assert pairs.sum(0).max() == (arrays.c_seats.sum(1)).max()  # companies are full
    edges, slots = kempe_timetable(arrays, pairs)
    assert len(edges) == pairs.sum() and (slots >= 0).all()
