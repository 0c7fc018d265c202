"""Turn solver output (index triples) into meetings by id and an organiser's report."""

from __future__ import annotations

import numpy as np

from matching.fair.arrays import MAX_LISTED, FairArrays
from matching.fair.notices import fair_notices
from matching.fair.relax import Relaxation, tier_value
from matching.fair.types import SCORE_SCALE, CompanyUse, FairProblem, FairReport, Meeting


def to_meetings(problem: FairProblem, triples: np.ndarray) -> tuple[Meeting, ...]:
    """Meetings by id, sorted by slot, then company, then graduate (index order)."""
    t = np.asarray(triples, np.int64).reshape(-1, 3)
    t = t[np.lexsort((t[:, 0], t[:, 1], t[:, 2]))]
    g, c, s = problem.graduates, problem.companies, problem.slots
    return tuple(Meeting(g[i], c[j].id, s[k]) for i, j, k in t)


def build_report(
    problem: FairProblem,
    a: FairArrays,
    weights: np.ndarray,
    new: np.ndarray,
    *,
    optimal: bool,
    method: str,
    bound_value: int,
    relaxation: Relaxation,
    warnings: list[str],
    score_without_min: float | None,
    seconds: float,
) -> FairReport:
    """Summarise a schedule.

    Args:
        problem: The fair.
        a: Its arrays.
        weights: Tier rewards the schedule was optimised with.
        new: (K, 3) new meetings (held ones come from `a.held`).
        optimal: Whether optimality was proven.
        method: Name of the solving route.
        bound_value: Upper bound on tier rewards + scaled score of new meetings.
        relaxation: The pair relaxation (its fairness profile is the best possible).
        warnings: Notes collected so far.
        score_without_min: Total score without the min rule, if computed.
        seconds: Wall time so far.
    """
    n_g, n_c, _ = a.shape
    held = a.held
    all_t = np.concatenate([held, np.asarray(new, np.int64).reshape(-1, 3)])
    scores = np.asarray(problem.scores, float)
    total = float(scores[all_t[:, 0], all_t[:, 1]].sum())
    new_deg = np.bincount(new[:, 0], minlength=n_g) if len(new) else np.zeros(n_g, np.int64)
    held_int = int(a.score_int[held[:, 0], held[:, 1]].sum())
    new_int = int(a.score_int[new[:, 0], new[:, 1]].sum()) if len(new) else 0
    relax_score = int(a.score_int[relaxation.pairs].sum())
    relax_tiers = relaxation.value - relax_score
    new_tiers = tier_value(a, weights, new_deg)
    notes = list(warnings)
    if optimal:
        new_bound = new_int
    elif new_tiers >= relax_tiers:
        new_bound = max(bound_value - new_tiers, new_int)
    else:
        # Less fair than the relaxation: a bound "among schedules at least this fair" would
        # mostly measure tier rewards, so compare with the fairer relaxation's score instead.
        new_bound = max(relax_score, new_int)
        notes.append(
            "availability conflicts left the schedule less fair than the pair relaxation; "
            "the bound is the relaxation's score"
        )
    bound_int = held_int + new_bound
    gap = (new_bound - new_int) / bound_int if bound_int > 0 else 0.0
    deg = np.bincount(all_t[:, 0], minlength=n_g)
    m = problem.rules.min_per_candidate
    gids = problem.graduates
    below = tuple(gids[g] for g in np.nonzero(deg < m)[0])
    if below:
        shown = ", ".join(below[:MAX_LISTED]) + (" ..." if len(below) > MAX_LISTED else "")
        who = "graduate has" if len(below) == 1 else "graduates have"
        notes.append(f"{len(below)} {who} fewer than {m} meetings: {shown}")
    unavailable = {c for c, _ in problem.rules.company_unavailable}
    used = np.bincount(all_t[:, 1], minlength=n_c)
    utilisation = {}
    for j, comp in enumerate(problem.companies):
        off = 0
        if comp.id in unavailable:
            off = sum((comp.id, s) in problem.rules.company_unavailable for s in problem.slots)
        available = comp.seats_per_slot * (len(problem.slots) - off)
        utilisation[comp.id] = CompanyUse(used=int(used[j]), available=available)
    price = None if score_without_min is None else score_without_min - total
    return FairReport(
        total_score=total,
        status="OPTIMAL" if optimal else "FEASIBLE",
        method=method,
        bound=total + (new_bound - new_int) / SCORE_SCALE,
        gap=float(gap),
        meetings_min=int(deg.min()) if n_g else 0,
        meetings_median=float(np.median(deg)) if n_g else 0.0,
        meetings_max=int(deg.max(initial=0)),
        graduates_without_meeting=tuple(gids[g] for g in np.nonzero(deg == 0)[0]),
        graduates_below_min=below,
        utilisation=utilisation,
        score_without_min=score_without_min,
        price_of_fairness=price,
        warnings=tuple(notes),
        seconds=seconds,
        notices=fair_notices(problem, a, all_t, {c: u.available for c, u in utilisation.items()}),
    )
