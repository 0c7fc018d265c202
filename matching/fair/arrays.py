"""Index form of a fair problem, plus the cheap checks run before any solver.

The solvers work on integer arrays: which (graduate, company) pairs may still meet,
which slots each graduate has free, how many seats each company has left per slot.
Building them is also the natural place to find contradictions in the rules, so
`build_arrays` raises `FairRulesConflict` for hard ones and returns human-readable
warnings for the soft one (the min rule cannot be met for everyone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.fair.types import SCORE_SCALE, FairProblem, FairRulesConflict

MAX_LISTED = 10
"""Longest list of ids quoted in one warning."""


@dataclass(frozen=True, eq=False)
class FairArrays:
    """A fair problem by index; "new" means meetings still to be planned.

    Attributes:
        score_int: (G, C) int64 scores scaled by SCORE_SCALE.
        allowed: (G, C) pairs that may get a new meeting (eligible or required, not
            blocked, not met already, with a slot where both are free).
        required: (G, C) pairs that must get a new meeting.
        g_free: (G, S) slots where the graduate can take a new meeting.
        c_seats: (C, S) seats left for new meetings.
        g_cap: (G,) new meetings a graduate may still take.
        c_cap: (C,) new meetings a company may still take.
        held_g: (G,) meetings each graduate already had.
        held: (H, 3) held meetings as (graduate, company, slot) indices.
        min_target: min_per_candidate.
    """

    score_int: np.ndarray
    allowed: np.ndarray
    required: np.ndarray
    g_free: np.ndarray
    c_seats: np.ndarray
    g_cap: np.ndarray
    c_cap: np.ndarray
    held_g: np.ndarray
    held: np.ndarray
    min_target: int

    @property
    def shape(self) -> tuple[int, int, int]:
        """(graduates, companies, slots)."""
        return self.score_int.shape[0], self.score_int.shape[1], self.g_free.shape[1]


def _index(ids: tuple[str, ...], kind: str, errors: list[str]) -> dict[str, int]:
    index = {x: i for i, x in enumerate(ids)}
    if len(index) != len(ids):
        errors.append(f"{kind} ids are not unique")
    return index


def _quote(ids: list[str]) -> str:
    """'graduate g1' or 'graduates g1, g2 and 3 more'."""
    shown = ", ".join(ids[:MAX_LISTED])
    more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
    return ("graduate " if len(ids) == 1 else "graduates ") + shown + more


def _structure(p: FairProblem) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Check shapes, ranges and ids; raise at once because nothing else can be checked."""
    errors: list[str] = []
    gi = _index(p.graduates, "graduate", errors)
    ci = _index(tuple(c.id for c in p.companies), "company", errors)
    si = _index(p.slots, "slot", errors)
    g, c = len(p.graduates), len(p.companies)
    scores = np.asarray(p.scores)
    if scores.shape != (g, c):
        errors.append(f"scores has shape {scores.shape}, expected ({g}, {c})")
    elif not np.all(np.isfinite(scores)) or scores.min(initial=0) < 0 or scores.max(initial=0) > 1:
        errors.append("scores must be finite numbers in [0, 1]")
    if p.eligible is not None and np.asarray(p.eligible).shape != (g, c):
        errors.append(f"eligible has shape {np.asarray(p.eligible).shape}, expected ({g}, {c})")
    for comp in p.companies:
        if comp.seats_per_slot < 0 or (comp.max_total is not None and comp.max_total < 0):
            errors.append(f"company {comp.id} has a negative seat count or max_total")
    r = p.rules
    if r.min_per_candidate < 0 or r.max_per_candidate < 0:
        errors.append("min_per_candidate and max_per_candidate must not be negative")
    elif r.min_per_candidate > r.max_per_candidate:
        errors.append(
            f"min_per_candidate {r.min_per_candidate} exceeds "
            f"max_per_candidate {r.max_per_candidate}"
        )
    if not 0 <= p.open_from <= len(p.slots):
        errors.append(f"open_from {p.open_from} is not a slot index")
    named = [("blocked", r.blocked, ci), ("required", r.required, ci)]
    named += [("graduate_unavailable", r.graduate_unavailable, si)]
    for rule, pairs, second in named:
        for a, b in sorted(pairs):
            if a not in gi or b not in second:
                errors.append(f"{rule} names unknown ids ({a}, {b})")
    for a, b in sorted(r.company_unavailable):
        if a not in ci or b not in si:
            errors.append(f"company_unavailable names unknown ids ({a}, {b})")
    for m in p.held:
        if m.graduate not in gi or m.company not in ci or m.slot not in si:
            errors.append(f"held meeting {m} names unknown ids")
        elif si[m.slot] >= p.open_from:
            errors.append(f"held meeting {m} is not before the first open slot")
    if errors:
        raise FairRulesConflict(errors)
    return gi, ci, si


def build_arrays(p: FairProblem) -> tuple[FairArrays, list[str]]:
    """Index a problem, raising for hard contradictions and warning about the min rule.

    Returns:
        The arrays and warnings (e.g. "12 graduates × 2 meetings need 24 seats, 18 available").

    Raises:
        FairRulesConflict: malformed input, or rules no schedule can satisfy.
    """
    gi, ci, si = _structure(p)
    r = p.rules
    n_g, n_c, n_s = len(p.graduates), len(p.companies), len(p.slots)
    score_int = np.rint(np.asarray(p.scores, dtype=float) * SCORE_SCALE).astype(np.int64)
    eligible = np.ones((n_g, n_c), bool) if p.eligible is None else np.asarray(p.eligible, bool)
    held = np.array([(gi[m.graduate], ci[m.company], si[m.slot]) for m in p.held], np.int64)
    held = held.reshape(-1, 3)
    held_g = np.bincount(held[:, 0], minlength=n_g)
    held_c = np.bincount(held[:, 1], minlength=n_c)
    met = np.zeros((n_g, n_c), bool)
    met[held[:, 0], held[:, 1]] = True
    g_free = np.zeros((n_g, n_s), bool)
    g_free[:, p.open_from :] = True
    g_free[held[:, 0], held[:, 2]] = False
    for g, s in r.graduate_unavailable:
        g_free[gi[g], si[s]] = False
    seats = np.array([c.seats_per_slot for c in p.companies], np.int64)
    c_seats = np.repeat(seats[:, None], n_s, axis=1)
    c_seats[:, : p.open_from] = 0
    np.subtract.at(c_seats, (held[:, 1], held[:, 2]), 1)
    c_seats = np.maximum(c_seats, 0)
    for c, s in r.company_unavailable:
        c_seats[ci[c], si[s]] = 0
    blocked = np.zeros((n_g, n_c), bool)
    for g, c in r.blocked:
        blocked[gi[g], ci[c]] = True
    required = np.zeros((n_g, n_c), bool)
    for g, c in r.required:
        required[gi[g], ci[c]] = True
    common = (g_free.astype(np.int64) @ (c_seats > 0).T.astype(np.int64)) > 0
    allowed = (eligible | required) & ~blocked & ~met & common
    total_cap = np.array([np.inf if c.max_total is None else c.max_total for c in p.companies])
    g_cap = np.maximum(np.minimum(r.max_per_candidate - held_g, g_free.sum(1)), 0)
    c_left = np.maximum(total_cap - held_c, 0)
    c_cap = np.minimum(c_left, c_seats.sum(1)).astype(np.int64)
    new_required = required & ~met
    _required_conflicts(p, new_required, required, blocked, common, held_g, g_cap, c_cap, c_left)
    arrays = FairArrays(
        score_int=score_int,
        allowed=allowed,
        required=new_required,
        g_free=g_free,
        c_seats=c_seats,
        g_cap=g_cap.astype(np.int64),
        c_cap=c_cap,
        held_g=held_g.astype(np.int64),
        held=held,
        min_target=r.min_per_candidate,
    )
    return arrays, min_rule_warnings(p, arrays)


def _required_conflicts(
    p: FairProblem,
    new_required: np.ndarray,
    required: np.ndarray,
    blocked: np.ndarray,
    common: np.ndarray,
    held_g: np.ndarray,
    g_cap: np.ndarray,
    c_cap: np.ndarray,
    c_left: np.ndarray,
) -> None:
    """Raise FairRulesConflict listing every way the required pairs cannot all be met."""
    gids, cids = p.graduates, [c.id for c in p.companies]
    max_pc = p.rules.max_per_candidate
    out: list[str] = []
    for g, c in zip(*np.nonzero(required & blocked), strict=True):
        out.append(f"required pair ({gids[g]}, {cids[c]}) is blocked")
    for g, c in zip(*np.nonzero(new_required & ~blocked & ~common), strict=True):
        out.append(f"required pair ({gids[g]}, {cids[c]}) has no slot where both are available")
    req_g, new_g = required.sum(1), new_required.sum(1)
    for g in range(len(gids)):
        if max(req_g[g], held_g[g] + new_g[g]) > max_pc:
            n = max(req_g[g], held_g[g] + new_g[g])
            out.append(
                f"graduate {gids[g]} has {n} required meetings but max_per_candidate is {max_pc}"
            )
        elif new_g[g] > g_cap[g]:
            out.append(
                f"graduate {gids[g]} has {new_g[g]} required meetings "
                f"but only {g_cap[g]} free slots"
            )
    new_c = new_required.sum(0)
    for c in range(len(cids)):
        if new_c[c] > c_left[c]:
            out.append(
                f"company {cids[c]} has {new_c[c]} required meetings "
                f"but max_total allows {int(c_left[c])}"
            )
        elif new_c[c] > c_cap[c]:
            out.append(
                f"company {cids[c]} has {new_c[c]} required meetings "
                f"but only {c_cap[c]} seats in its available slots"
            )
    if out:
        raise FairRulesConflict(out)


def min_rule_warnings(p: FairProblem, a: FairArrays) -> list[str]:
    """Say, cheaply, why min_per_candidate cannot be met for everyone (empty if no reason seen)."""
    m = a.min_target
    if m == 0:
        return []
    gids = p.graduates
    short = np.maximum(m - a.held_g, 0)
    need, seats = int(short.sum()), int(a.c_cap.sum())
    out: list[str] = []
    if need > seats:
        if a.held.size:
            out.append(
                f"graduates still need {need} meetings to reach {m} each, {seats} seats left"
            )
        else:
            out.append(f"{len(gids)} graduates × {m} meetings need {need} seats, {seats} available")
    few_companies = [gids[g] for g in np.nonzero(a.allowed.sum(1) < short)[0]]
    if few_companies:
        out.append(
            f"{_quote(few_companies)} can meet fewer companies (eligible, not blocked, "
            f"sharing a free slot) than min_per_candidate {m}"
        )
    few_slots = [gids[g] for g in np.nonzero(a.g_cap < short)[0]]
    if few_slots:
        out.append(f"{_quote(few_slots)} can attend fewer free slots than min_per_candidate {m}")
    return out
