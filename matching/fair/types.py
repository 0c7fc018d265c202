"""Plain data for the job-fair scheduler: the problem, the rules, the schedule, the report.

Everything here is a frozen dataclass keyed by the ids the rest of bridgematch uses
(graduate ids, company ids, slot ids), so the service layer can build a problem from
its tables and hand a schedule back without knowing how it was solved. The solver
works on an index form built in `fair_arrays`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

SCORE_SCALE = 10_000
"""Scores in [0, 1] are rounded to 1/SCORE_SCALE before optimisation (solvers need integers)."""


class FairRulesConflict(ValueError):
    """The fair rules contradict each other, so no schedule can satisfy them.

    Raised before solving by cheap checks (required vs blocked, required beyond a
    capacity, malformed input) or after solving when the solver proves the required
    meetings cannot be timetabled. `conflicts` holds one human-readable sentence per
    problem so an organiser can fix the data without reading solver output.
    """

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = list(conflicts)
        super().__init__("; ".join(self.conflicts))


@dataclass(frozen=True)
class Company:
    """A company at the fair.

    Attributes:
        id: Company id.
        seats_per_slot: Interviews the company can hold in parallel in one slot.
        max_total: Optional cap on the company's interviews over the whole fair.
    """

    id: str
    seats_per_slot: int = 1
    max_total: int | None = None


@dataclass(frozen=True)
class FairRules:
    """Organiser rules. Pairs are (graduate id, company id); availability is (id, slot id).

    Attributes:
        min_per_candidate: Meetings every graduate gets whenever the seats allow it.
        max_per_candidate: Hard cap on a graduate's meetings.
        blocked: Pairs that must never meet.
        required: Pairs that must meet (even if not `eligible`).
        graduate_unavailable: (graduate id, slot id) pairs the graduate cannot attend.
        company_unavailable: (company id, slot id) pairs the company cannot attend.
    """

    min_per_candidate: int = 2
    max_per_candidate: int = 4
    blocked: frozenset[tuple[str, str]] = frozenset()
    required: frozenset[tuple[str, str]] = frozenset()
    graduate_unavailable: frozenset[tuple[str, str]] = frozenset()
    company_unavailable: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, order=True)
class Meeting:
    """One interview: a graduate meets a company in a slot (all by id)."""

    graduate: str
    company: str
    slot: str


@dataclass(frozen=True, eq=False)
class FairProblem:
    """A job fair to schedule.

    Attributes:
        graduates: Graduate ids (row order of `scores`).
        companies: Companies (column order of `scores`).
        slots: Slot ids in time order.
        scores: (n_graduates, n_companies) floats in [0, 1]: the best posting of the
            company for the graduate, as ranked upstream.
        eligible: Optional (n_graduates, n_companies) bool mask of the ranking's hard
            filters (work permit, languages, consent); None means every pair is eligible.
        rules: Organiser rules.
        held: Meetings that already took place (only in slots before `open_from`);
            they are kept as they are and count toward min/max and capacities.
        open_from: Index of the first slot that may still be planned.
    """

    graduates: tuple[str, ...]
    companies: tuple[Company, ...]
    slots: tuple[str, ...]
    scores: np.ndarray
    eligible: np.ndarray | None = None
    rules: FairRules = field(default_factory=FairRules)
    held: tuple[Meeting, ...] = ()
    open_from: int = 0


@dataclass(frozen=True)
class CompanyUse:
    """Seats a company used out of the seats it offered in its available slots."""

    used: int
    available: int

    @property
    def ratio(self) -> float:
        """Used / available, 0.0 for a company that offered no seat."""
        return self.used / self.available if self.available else 0.0


@dataclass(frozen=True)
class FairReport:
    """What an organiser (and a benchmark) needs to judge a schedule.

    Attributes:
        total_score: Sum of scores of all meetings (held ones included).
        status: "OPTIMAL" when proven optimal (scores rounded to 1e-4), else "FEASIBLE".
        method: How it was solved: "relaxation+timetable" or "cp-sat joint".
        bound: Upper bound on the total score of any schedule at least as fair as this
            one (same or better min-meeting profile, see `plan_fair`): from the pair
            relaxation (an LP with an integral optimum) or CP-SAT's objective bound. If
            availability conflicts left the schedule less fair than the relaxation, it is
            the relaxation's score instead, and `warnings` says so.
        gap: (bound - total_score) / bound, 0.0 when proven optimal.
        meetings_min: Fewest meetings of any graduate.
        meetings_median: Median meetings per graduate.
        meetings_max: Most meetings of any graduate.
        graduates_without_meeting: Ids of graduates with no meeting at all.
        graduates_below_min: Ids of graduates with fewer than `min_per_candidate`.
        utilisation: Company id -> seats used / seats available.
        score_without_min: Total score of the same fair planned without the min rule
            (None when not computed).
        price_of_fairness: score_without_min - total_score (None when not computed).
        warnings: Human-readable notes, e.g. why the min rule could not be met.
        seconds: Wall time of the whole plan (price-of-fairness solve included).
        notices: The same shortfalls as data with a cause code (`matching.fair.notices`), for
            the service to say in a person's language with names.
    """

    total_score: float
    status: str
    method: str
    bound: float
    gap: float
    meetings_min: int
    meetings_median: float
    meetings_max: int
    graduates_without_meeting: tuple[str, ...]
    graduates_below_min: tuple[str, ...]
    utilisation: Mapping[str, CompanyUse]
    score_without_min: float | None
    price_of_fairness: float | None
    warnings: tuple[str, ...]
    seconds: float
    notices: tuple = ()


@dataclass(frozen=True)
class FairSchedule:
    """A planned fair: the meetings (sorted by slot, company, graduate) and the report."""

    meetings: tuple[Meeting, ...]
    report: FairReport
