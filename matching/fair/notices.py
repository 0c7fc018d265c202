"""Why a planned fair falls short, as data: who got fewer meetings than the minimum and which
companies kept free seats, each with a cause code.

The engine names no person and writes no sentence here: the service turns each notice into a
translated sentence with names ("María did not come; 1 meeting instead of 2"), so the
coordinator never reads solver terms. Causes, first match wins:

graduate below the minimum
    ``absent``      no free slot left in the re-planned part (did not come);
    ``unavailable`` no free slot at all in a first plan;
    ``few_slots``   free in fewer slots than the meetings missing;
    ``few_fits``    fewer companies that fit (eligible, not blocked, a shared free slot);
    ``seats``       companies that fit were full (the seats went to others, fairly).
company with free seats
    ``few_fits``        fewer graduates fit it than it had seats;
    ``graduates_full``  the graduates who fit already had their most meetings or other ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.fair.arrays import FairArrays
from matching.fair.types import FairProblem


@dataclass(frozen=True)
class Notice:
    """One shortfall. `subject` is a graduate id (kind "below_min") or a company id ("free_seats");
    `count` the meetings it got or the seats left free, `expected` the minimum or seats offered."""

    kind: str
    subject: str
    cause: str
    count: int
    expected: int


def fair_notices(problem: FairProblem, a: FairArrays, meetings: np.ndarray,
                 available: dict[str, int]) -> tuple[Notice, ...]:
    """Notices for a schedule given as (graduate, company, slot) index triples, held ones included;
    `available` is each company's seats in its available slots (the report's utilisation)."""
    n_g, n_c, _ = a.shape
    m = a.min_target
    deg = np.bincount(meetings[:, 0], minlength=n_g)
    open_free = a.g_free[:, problem.open_from:].sum(1)
    out: list[Notice] = []
    for g in np.nonzero(deg < m)[0]:
        missing = m - int(a.held_g[g])
        if open_free[g] == 0:
            cause = "absent" if problem.open_from > 0 else "unavailable"
        elif open_free[g] < missing:
            cause = "few_slots"
        elif int(a.allowed[g].sum()) < missing:
            cause = "few_fits"
        else:
            cause = "seats"
        out.append(Notice("below_min", problem.graduates[g], cause, int(deg[g]), m))
    used = np.bincount(meetings[:, 1], minlength=n_c)
    met = np.zeros((n_g, n_c), bool)
    met[meetings[:, 0], meetings[:, 1]] = True
    for j, company in enumerate(problem.companies):
        offered = available.get(company.id, 0)
        if company.max_total is not None:
            offered = min(offered, company.max_total)
        free = offered - int(used[j])
        if free <= 0:
            continue
        fitting = int((a.allowed[:, j] | met[:, j]).sum())
        cause = "few_fits" if fitting < offered else "graduates_full"
        out.append(Notice("free_seats", company.id, cause, free, offered))
    return tuple(out)
