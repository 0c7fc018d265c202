"""Independent check of a fair schedule against every rule.

Deliberately shares no code with the solver (it works on ids and plain counters, not
on the solver's arrays), so tests can trust it as a referee. `plan_fair` also runs it
on its own output and refuses to return an invalid schedule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from matching.fair.types import FairProblem, FairSchedule, Meeting


def validate_schedule(
    problem: FairProblem,
    schedule: FairSchedule | Iterable[Meeting],
    *,
    check_min: bool = True,
) -> list[str]:
    """Return every rule the schedule breaks, one sentence each; empty means valid.

    The min rule only binds "whenever the seats allow it", which a validator cannot
    decide cheaply, so the caller says whether to check it.

    Args:
        problem: The fair.
        schedule: A schedule or its meetings.
        check_min: Also require min_per_candidate meetings for every graduate.

    Example:
        >>> validate_schedule(problem, plan_fair(problem))
        []
    """
    meetings = list(schedule.meetings if isinstance(schedule, FairSchedule) else schedule)
    r = problem.rules
    gids, sids = set(problem.graduates), list(problem.slots)
    companies = {c.id: c for c in problem.companies}
    gpos = {g: i for i, g in enumerate(problem.graduates)}
    cpos = {c.id: i for i, c in enumerate(problem.companies)}
    spos = {s: i for i, s in enumerate(sids)}
    out: list[str] = []
    known = []
    for m in meetings:
        if m.graduate not in gids or m.company not in companies or m.slot not in spos:
            out.append(f"meeting {m} names an unknown graduate, company or slot")
        else:
            known.append(m)
    pair_n = Counter((m.graduate, m.company) for m in known)
    out += [f"graduate {g} meets company {c} {n} times" for (g, c), n in pair_n.items() if n > 1]
    g_slot = Counter((m.graduate, m.slot) for m in known)
    out += [f"graduate {g} has {n} meetings in slot {s}" for (g, s), n in g_slot.items() if n > 1]
    c_slot = Counter((m.company, m.slot) for m in known)
    for (c, s), n in c_slot.items():
        if n > companies[c].seats_per_slot:
            seats = companies[c].seats_per_slot
            out.append(f"company {c} has {n} meetings in slot {s} but {seats} seats")
    c_total = Counter(m.company for m in known)
    for c, n in c_total.items():
        cap = companies[c].max_total
        if cap is not None and n > cap:
            out.append(f"company {c} has {n} meetings but max_total is {cap}")
    g_total = Counter(m.graduate for m in known)
    for g in problem.graduates:
        if g_total[g] > r.max_per_candidate:
            out.append(f"graduate {g} has {g_total[g]} meetings, max is {r.max_per_candidate}")
        if check_min and g_total[g] < r.min_per_candidate:
            out.append(f"graduate {g} has {g_total[g]} meetings, min is {r.min_per_candidate}")
    met = set(pair_n)
    out += [f"blocked pair ({g}, {c}) meets" for g, c in sorted(r.blocked & met)]
    out += [f"required pair ({g}, {c}) does not meet" for g, c in sorted(r.required - met)]
    eligible = None if problem.eligible is None else np.asarray(problem.eligible, bool)
    for m in known:
        if (m.graduate, m.slot) in r.graduate_unavailable:
            out.append(
                f"graduate {m.graduate} is unavailable in slot {m.slot} but meets {m.company}"
            )
        if (m.company, m.slot) in r.company_unavailable:
            out.append(
                f"company {m.company} is unavailable in slot {m.slot} but meets {m.graduate}"
            )
        not_eligible = eligible is not None and not eligible[gpos[m.graduate], cpos[m.company]]
        if not_eligible and (m.graduate, m.company) not in r.required:
            out.append(f"graduate {m.graduate} is not eligible for company {m.company}")
    held = set(problem.held)
    out += [f"held meeting {m} is missing" for m in sorted(held - set(known))]
    for m in known:
        if spos[m.slot] < problem.open_from and m not in held:
            out.append(f"meeting {m} is before the first open slot but was not held")
    return out
