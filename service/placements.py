"""Traineeship placements: the stable (deferred acceptance) and the welfare-maximising assignment
of graduates to postings' seats, side by side, from the ranking's scores and the placement rules.

Graduates and postings are named as at a fair (`service.fairs.resolve`: ids or external ids of
the organisation's records); the solvers are `matching.placement`'s.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from matching.filters.reference import placement_exclusion_reasons
from matching.placement.assign import (
    PlacementProblem,
    compare,
    count_blocking_pairs,
    stable_placement,
    welfare_placement,
)
from matching.placement.why import unplaced_codes
from matching.records.profiles import CandidateProfile
from matching.records.sides import Side
from service.fair_specs import PlacementIn, Ref, shown
from service.fairs import FairInputError, posting, resolve
from service.matcher import Matcher


def place(matcher: Matcher, org_id: int, spec: PlacementIn) -> dict:
    """Stable and welfare-maximising placements side by side, with every seat accounted for."""
    grads = resolve(matcher, Side.candidates, org_id, spec.graduates, "graduates")
    posts = resolve(matcher, Side.postings, org_id, spec.postings, "postings")
    scores = matcher.pair_scores(grads, posts)
    dates = matcher.dates()
    reasons = [[placement_exclusion_reasons(_cand(matcher, g), posting(matcher, p), dates) for p in posts]
               for g in grads]
    eligible = np.array([[not r for r in row] for row in reasons], dtype=bool).reshape(len(grads), len(posts))

    def ranking(raw: dict[str, list[Ref]] | None, side: Side, label: str, keys: list[int]) -> dict | None:
        if raw is None:
            return None
        other = Side.postings if side is Side.candidates else Side.candidates
        out = {}
        for key, refs in raw.items():
            rid = resolve(matcher, side, org_id, [key], label)[0]
            if rid not in keys:
                raise FairInputError(f"{label}: {shown(key)} is not part of this placement")
            out[str(rid)] = [str(r) for r in resolve(matcher, other, org_id, refs, f"{label}.{key}")]
        return out

    problem = PlacementProblem(
        graduates=tuple(str(g) for g in grads),
        postings=tuple(str(p) for p in posts),
        capacities=tuple(posting(matcher, p).seats for p in posts),
        scores=np.clip(scores, 0.0, 1.0),
        eligible=eligible,
        graduate_rankings=ranking(spec.graduate_rankings, Side.candidates, "graduate_rankings", grads),
        posting_rankings=ranking(spec.posting_rankings, Side.postings, "posting_rankings", posts),
    )
    gpos = {g: i for i, g in enumerate(problem.graduates)}
    ppos = {p: j for j, p in enumerate(problem.postings)}
    records = [posting(matcher, p) for p in posts]

    def out(placement) -> dict:  # type: ignore[no-untyped-def]
        return {
            "method": placement.method,
            "assignments": [
                {"graduate_id": int(g), "posting_id": int(p), "score": round(float(problem.scores[gpos[g], ppos[p]]), 4)}
                for g, p in sorted(placement.assignment.items(), key=lambda kv: int(kv[0]))
            ],
            "unplaced": [int(g) for g in placement.unplaced],
            "unplaced_reasons": {g: why_unplaced(reasons[gpos[g]]) for g in sorted(placement.unplaced, key=int)},
            "unplaced_why": {g: unplaced_codes(_cand(matcher, int(g)), records, reasons[gpos[g]])
                             for g in sorted(placement.unplaced, key=int)},
            "empty_seats": {p: n for p, n in placement.empty_seats.items() if n},
            "total_score": round(placement.total_score, 4),
            "blocking_pairs": count_blocking_pairs(problem, placement),
        }

    comparison = compare(problem, proposing=spec.proposing)
    return {
        "stable": out(stable_placement(problem, proposing=spec.proposing)),
        "welfare": out(welfare_placement(problem)),
        "comparison": [asdict(comparison.stable), asdict(comparison.welfare)],
    }


def why_unplaced(reasons: list[list[str]]) -> str:
    """One sentence for a coordinator: which rules kept a graduate out of every seat, or that the
    seats they could take went to others (reasons per posting, in the placement's order)."""
    if any(not r for r in reasons):
        return "every seat this graduate could take went to someone ranked higher for it"
    rules = sorted({reason.split(":")[0] for r in reasons for reason in r})
    return "no seat fits: " + ", ".join(rules) + " (see each posting's requirements)"


def _cand(matcher: Matcher, rid: int) -> CandidateProfile:
    record = matcher.get(Side.candidates, rid)
    assert isinstance(record, CandidateProfile)
    return record
