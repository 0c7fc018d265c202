"""Fairs: from stored profiles to the interview-schedule solver in `matching.fair` and back
(placements, which share `resolve`, are `service.placements`).

Solver ids are strings: a graduate is its candidate id, a company its name,
a slot its index. Scores are the ranking's blended score of the company's
best posting for the graduate; eligibility keeps consent, work permit and
languages (a fair conversation needs no matching start date or city).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import numpy as np
from sqlalchemy.orm import Session

from matching.fair.schedule import (
    Company,
    FairProblem,
    FairRules,
    FairSchedule,
    Meeting,
    plan_fair,
    replan,
)
from matching.filters.reference import fair_exclusion_reasons
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Side
from service.fair_specs import FairIn, PlacementIn, Ref, ReplanIn, parse_id, shown
from service.matcher import Matcher
from service.storage import companies as company_rows
from service.storage import interviews


class FairInputError(ValueError):
    """The fair names people or companies that are not there (422)."""


def resolve(matcher: Matcher, side: Side, org_id: int, refs: list[Ref], what: str) -> list[int]:
    """Ids (or external ids) of the organisation's records, in order; unknown ones are named.

    A string of ASCII digits is an id (see `parse_id`); any other string is an external id.
    """
    owners = matcher.sides[side].owners
    by_external = {
        rec.external_id: rid for rid, rec in matcher.sides[side].records.items()
        if rec.external_id and owners[rid].org_id == org_id
    }
    ids, unknown = [], []
    for ref in refs:
        rid = ref if isinstance(ref, int) else parse_id(ref)
        if rid is None:
            rid = by_external.get(ref)
        if rid is None or rid not in owners or owners[rid].org_id != org_id:
            unknown.append(ref)
        elif rid not in ids:
            ids.append(rid)
    if unknown:
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise FairInputError(f"{what}: unknown ids [{', '.join(shown(r) for r in unknown[:10])}]{more}")
    return ids


def normalise_spec(matcher: Matcher, session: Session, org_id: int, spec: FairIn) -> FairIn:
    """Resolve every reference once, at creation, so the stored fair holds plain ids."""
    grads = resolve(matcher, Side.candidates, org_id, spec.graduates, "graduates")
    companies = []
    for entry in spec.companies:
        row = company_rows.by_name(session, org_id=org_id, name=entry.company)
        if row is None:
            raise FairInputError(f"companies: no company named {entry.company!r} in this organisation")
        owned = [pid for pid, o in matcher.sides[Side.postings].owners.items() if o.company_id == row.id]
        posting_ids = owned if entry.posting_ids is None else resolve(
            matcher, Side.postings, org_id, entry.posting_ids, f"companies.{entry.company}.posting_ids"
        )
        if not set(posting_ids) <= set(owned):
            raise FairInputError(f"companies.{entry.company}.posting_ids: postings of another company")
        if not posting_ids:
            raise FairInputError(f"companies: {entry.company!r} has no postings to recruit for")
        companies.append(entry.model_copy(update={"posting_ids": sorted(posting_ids)}))
    names = {c.company for c in companies}
    rules = spec.rules

    def pairs(items: list, label: str) -> list:
        out = []
        for ref, company in items:
            if company not in names:
                raise FairInputError(f"rules.{label}: company {company!r} is not at this fair")
            out.append((resolve(matcher, Side.candidates, org_id, [ref], f"rules.{label}")[0], company))
        return out

    def slots_of(items: list, label: str, graduates: bool) -> list:
        out = []
        for ref, slot in items:
            if not 0 <= slot < len(spec.slots):
                raise FairInputError(f"rules.{label}: slot index {slot} does not exist (indices start at 0; "
                                     f"the fair has {len(spec.slots)} slots)")
            if graduates:
                ref = resolve(matcher, Side.candidates, org_id, [ref], f"rules.{label}")[0]
            elif ref not in names:
                raise FairInputError(f"rules.{label}: company {ref!r} is not at this fair")
            out.append((ref, slot))
        return out

    rules = rules.model_copy(update={
        "blocked": pairs(rules.blocked, "blocked"),
        "required": pairs(rules.required, "required"),
        "graduate_unavailable": slots_of(rules.graduate_unavailable, "graduate_unavailable", True),
        "company_unavailable": slots_of(rules.company_unavailable, "company_unavailable", False),
    })
    return spec.model_copy(update={"graduates": grads, "companies": companies, "rules": rules})


def build_problem(matcher: Matcher, session: Session, org_id: int, spec: FairIn) -> FairProblem:
    """The solver's view of a normalised fair: score and eligibility per (graduate, company)."""
    live_grads = matcher.sides[Side.candidates].records
    live_posts = matcher.sides[Side.postings].records
    grads = [int(g) for g in spec.graduates if int(g) in live_grads]
    companies = []
    for company in spec.companies:  # postings deleted since the fair was described drop out
        posts = [int(p) for p in company.posting_ids or [] if int(p) in live_posts]
        if not posts:
            raise FairInputError(f"companies: {company.company!r} has no postings left to recruit for")
        companies.append(company.model_copy(update={"posting_ids": posts}))
    if not grads:
        raise FairInputError("graduates: none of the fair's graduates exist any more")
    spec = spec.model_copy(update={"graduates": grads, "companies": companies})
    all_posts = sorted({int(p) for c in spec.companies for p in c.posting_ids or []})
    scores = matcher.pair_scores(grads, all_posts)
    col = {pid: j for j, pid in enumerate(all_posts)}
    best = np.zeros((len(grads), len(spec.companies)))
    eligible = np.zeros_like(best, dtype=bool)
    for i, gid in enumerate(grads):
        cand = matcher.get(Side.candidates, gid)
        assert isinstance(cand, CandidateProfile)
        for k, company in enumerate(spec.companies):
            ok = [
                scores[i, col[int(p)]] for p in company.posting_ids or []
                if not fair_exclusion_reasons(cand, posting(matcher, int(p)))
            ]
            best[i, k] = max((scores[i, col[int(p)]] for p in company.posting_ids or []), default=0.0)
            eligible[i, k] = bool(ok)
            if ok:
                best[i, k] = max(ok)
    rules = spec.rules
    required = {(str(g), c) for g, c in rules.required}
    if rules.shortlists_required:
        required |= shortlisted(session, org_id, spec)
    slot_ids = [str(i) for i in range(len(spec.slots))]
    return FairProblem(
        graduates=tuple(str(g) for g in grads),
        companies=tuple(Company(c.company, c.seats_per_slot, c.max_total) for c in spec.companies),
        slots=tuple(slot_ids),
        scores=np.clip(best, 0.0, 1.0),
        eligible=eligible,
        rules=FairRules(
            min_per_candidate=rules.min_per_candidate,
            max_per_candidate=rules.max_per_candidate,
            blocked=frozenset((str(g), c) for g, c in rules.blocked),
            required=frozenset(required),
            graduate_unavailable=frozenset((str(g), str(s)) for g, s in rules.graduate_unavailable),
            company_unavailable=frozenset((c, str(s)) for c, s in rules.company_unavailable),
        ),
    )


def posting(matcher: Matcher, pid: int) -> PostingRecord:
    record = matcher.get(Side.postings, pid)
    assert isinstance(record, PostingRecord)
    return record


def shortlisted(session: Session, org_id: int, spec: FairIn) -> set[tuple[str, str]]:
    """Companies' shortlists (not declined) among the fair's graduates: pairs that must meet."""
    grads = {int(g) for g in spec.graduates}
    by_company = {}
    for company in spec.companies:
        row = company_rows.by_name(session, org_id=org_id, name=company.company)
        if row is not None:
            by_company[row.id] = company.company
    rows = interviews.not_declined(session, org_id=org_id)
    return {(str(r.candidate_id), by_company[r.company_id]) for r in rows
            if r.company_id in by_company and r.candidate_id in grads}


def schedule_json(spec: FairIn, problem: FairProblem, schedule: FairSchedule) -> dict:
    """What is stored and served: meetings with real times, and the report."""
    starts = spec.slot_times()
    length = dt.timedelta(minutes=spec.slot_minutes)
    gpos = {g: i for i, g in enumerate(problem.graduates)}
    cpos = {c.id: k for k, c in enumerate(problem.companies)}
    meetings = [
        {
            "slot": int(m.slot),
            "slot_number": int(m.slot) + 1,
            "start": starts[int(m.slot)].isoformat(),
            "end": (starts[int(m.slot)] + length).isoformat(),
            "company": m.company,
            "graduate_id": int(m.graduate),
            "score": round(float(problem.scores[gpos[m.graduate], cpos[m.company]]), 4),
        }
        for m in schedule.meetings
    ]
    report = asdict(schedule.report)
    report["utilisation"] = {c: {"used": u.used, "available": u.available, "ratio": round(u.ratio, 4)}
                             for c, u in schedule.report.utilisation.items()}
    report["graduates_without_meeting"] = [int(g) for g in report["graduates_without_meeting"]]
    report["graduates_below_min"] = [int(g) for g in report["graduates_below_min"]]
    counts = {int(g): 0 for g in problem.graduates}
    for m in meetings:
        counts[m["graduate_id"]] += 1
    report["meetings_per_graduate"] = {str(g): n for g, n in counts.items()}
    return {"timezone": spec.timezone, "slot_minutes": spec.slot_minutes, "meetings": meetings, "report": report}


def plan(matcher: Matcher, session: Session, org_id: int, spec: FairIn) -> dict:
    problem = build_problem(matcher, session, org_id, spec)
    return schedule_json(spec, problem, plan_fair(problem))


def replan_json(matcher: Matcher, session: Session, org_id: int, spec: FairIn, current: dict, change: ReplanIn) -> dict:
    """Re-plan from a slot on, keeping earlier meetings as held."""
    if change.from_slot >= len(spec.slots):
        raise FairInputError(f"from_slot: index {change.from_slot} (slot number {change.from_slot + 1}) does not exist; "
                             f"the fair has {len(spec.slots)} slots, indices 0 to {len(spec.slots) - 1}")
    problem = build_problem(matcher, session, org_id, spec)
    fair_grads = {int(g) for g in spec.graduates}
    no_shows = resolve(matcher, Side.candidates, org_id, change.no_shows, "no_shows")
    if not set(no_shows) <= fair_grads:
        raise FairInputError("no_shows: not every graduate named is at this fair")
    names = {c.company for c in spec.companies}
    for company, slot in change.late_companies.items():
        if company not in names:
            raise FairInputError(f"late_companies: {company!r} is not at this fair")
        if slot < 0:
            raise FairInputError(f"late_companies: slot {slot} does not exist")
    held = [m for m in current["meetings"] if m["graduate_id"] in fair_grads]
    before = FairSchedule(
        meetings=tuple(Meeting(str(m["graduate_id"]), m["company"], str(m["slot"])) for m in held),
        report=None,  # type: ignore[arg-type]
    )
    late = {c: min(s, len(spec.slots)) for c, s in change.late_companies.items()}
    late_ids = {c: (str(s) if s < len(spec.slots) else len(spec.slots)) for c, s in late.items()}
    after = replan(problem, before, change.from_slot, no_shows=[str(g) for g in no_shows], late_companies=late_ids)
    return schedule_json(spec, problem, after)


def numbered(schedule: dict) -> dict:
    """The schedule with `slot_number` (1-based, for people) beside each meeting's `slot` (the
    0-based index the API's inputs use); schedules stored before the field existed get it too."""
    return {**schedule, "meetings": [{**m, "slot_number": int(m["slot"]) + 1} for m in schedule["meetings"]]}


def view(schedule: dict, *, graduate_id: int | None = None, company: str | None = None) -> dict:
    """One graduate's or one company's meetings, without the organisers' report."""
    meetings = [
        m for m in schedule["meetings"]
        if (graduate_id is None or m["graduate_id"] == graduate_id) and (company is None or m["company"] == company)
    ]
    return {"timezone": schedule["timezone"], "slot_minutes": schedule["slot_minutes"], "meetings": meetings}


def erase_graduate(spec: dict, schedule: dict | None, rid: int) -> tuple[dict, dict | None]:
    """A fair without a graduate: out of the invitation list, the rules and every meeting."""
    spec = dict(spec)
    spec["graduates"] = [g for g in spec["graduates"] if g != rid]
    rules = dict(spec.get("rules", {}))
    for key in ("blocked", "required", "graduate_unavailable"):
        rules[key] = [pair for pair in rules.get(key, []) if pair[0] != rid]
    spec["rules"] = rules
    if schedule is not None:
        schedule = dict(schedule)
        schedule["meetings"] = [m for m in schedule["meetings"] if m["graduate_id"] != rid]
        report = dict(schedule["report"])
        report.pop("meetings_per_graduate", None)
        report["warnings"] = [*report.get("warnings", []), "a graduate was erased after planning"]
        for key in ("graduates_without_meeting", "graduates_below_min"):
            report[key] = [g for g in report.get(key, []) if g != rid]
        schedule["report"] = report
    return spec, schedule


def place(matcher: Matcher, org_id: int, spec: PlacementIn) -> dict:
    """Traineeship placements (`service.placements.place`), also reachable from here by the routes."""
    from service.placements import place as placements

    return placements(matcher, org_id, spec)
