"""Fairs as stored: describe, list, read, plan, re-plan, and the schedule as a caller may see it.

The solver and the problem it is given live in `service.fairs` and `matching.fair.schedule`; here are the
transactions around them, so the routes (`service.api.fairs`) and pages hold no SQL.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from matching.records.profiles import STORED
from matching.records.sides import NotFoundError, Side
from service.auth import Principal, Role
from service.calendar import schedule_csv, schedule_ics
from service.db import FairRow
from service.errors import UnprocessableError
from service.fair_specs import FairIn, PlacementIn, ReplanIn
from service.fairs import normalise_spec, numbered, place, plan, replan_json, view
from service.matcher import Matcher
from service.storage import companies, fairs
from service.storage.records import ConflictError
from service.usecases.rules import allowed


def fair_row(session: Session, principal: Principal, fair_id: int) -> FairRow:
    row = fairs.get(session, fair_id)
    if row is None or row.org_id != principal.org_id:
        raise NotFoundError(f"no fair with id {fair_id}")
    return row


def stored_spec(row: FairRow) -> FairIn:
    """The fair as stored; one saved before a newer rule (e.g. slots in year 9999) is a 422, not a 500.
    Names with control characters saved before they were refused still load (exports escape them)."""
    try:
        return FairIn.model_validate(row.spec, context=STORED)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'fair'}: {e['msg']}" for e in exc.errors()[:5])
        raise UnprocessableError(f"fair {row.id} as stored is not valid any more ({problems}); "
                                 "describe it again with POST /fairs") from exc


@allowed(Role.coordinator)
def create(matcher: Matcher, principal: Principal, body: FairIn) -> int:
    with matcher.sessions.begin() as session:
        spec = normalise_spec(matcher, session, principal.org_id, body)
        return fairs.add(session, org_id=principal.org_id, name=spec.name, spec=spec.model_dump(mode="json"))


@allowed(Role.coordinator)
def listing(matcher: Matcher, principal: Principal) -> list[dict]:
    with matcher.sessions() as session:
        rows = fairs.of_org(session, org_id=principal.org_id)
        return [{"id": r.id, "name": r.name, "planned": r.schedule is not None} for r in rows]


@allowed(Role.coordinator)
def read(matcher: Matcher, principal: Principal, fair_id: int) -> dict:
    with matcher.sessions() as session:
        row = fair_row(session, principal, fair_id)
        return {"id": row.id, "name": row.name, "spec": row.spec, "planned": row.schedule is not None}


@allowed(Role.coordinator)
def plan_schedule(matcher: Matcher, principal: Principal, fair_id: int) -> dict:
    with matcher.sessions.begin() as session:
        row = fair_row(session, principal, fair_id)
        row.schedule = plan(matcher, session, principal.org_id, stored_spec(row))
        fairs.touch(row)
        return row.schedule


@allowed(Role.coordinator)
def replan_schedule(matcher: Matcher, principal: Principal, fair_id: int, change: ReplanIn) -> dict:
    with matcher.sessions.begin() as session:
        row = fair_row(session, principal, fair_id)
        if row.schedule is None:
            raise ConflictError("plan the fair before re-planning it")
        row.schedule = replan_json(matcher, session, principal.org_id, stored_spec(row), row.schedule, change)
        return row.schedule


@allowed(Role.coordinator, Role.company, Role.graduate)
def visible_schedule(matcher: Matcher, principal: Principal, fair_id: int, graduate_id: int | None,
                     company: str | None) -> tuple[str, dict, dict[int, str] | None]:
    """The schedule as this caller may see it: coordinators all (names too), others their own."""
    with matcher.sessions() as session:
        row = fairs.get(session, fair_id)
        if row is None or row.org_id != principal.org_id or row.schedule is None:
            raise NotFoundError(f"no planned fair with id {fair_id}")
        schedule = numbered(row.schedule)
        if principal.role is Role.graduate:
            return row.name, view(schedule, graduate_id=principal.candidate_id), None
        if principal.role is Role.company:
            own = companies.name_of(session, principal.company_id)
            return row.name, view(schedule, company=own if own is not None else "\x00"), None
    if graduate_id is not None or company is not None:
        schedule = view(schedule, graduate_id=graduate_id, company=company) | {"report": schedule["report"]}
    names = {m["graduate_id"]: _name(matcher, m["graduate_id"]) for m in schedule["meetings"]}
    return row.name, schedule, names


def _name(matcher: Matcher, rid: int) -> str:
    try:
        return matcher.get(Side.candidates, rid).name  # type: ignore[union-attr]
    except NotFoundError:
        return ""


@allowed(Role.coordinator)
def save_rules(matcher: Matcher, principal: Principal, fair_id: int, body: FairIn) -> None:
    """Change who comes and the rules; the old plan is dropped (planning again shows the new one)."""
    with matcher.sessions.begin() as session:
        row = fair_row(session, principal, fair_id)
        spec = normalise_spec(matcher, session, principal.org_id, body)
        row.name, row.spec, row.schedule = spec.name, spec.model_dump(mode="json"), None
        fairs.touch(row)


@allowed(Role.coordinator, Role.company, Role.graduate)
def planned(matcher: Matcher, principal: Principal) -> list[tuple[int, str]]:
    """(id, name) of the organisation's fairs that have a schedule, in id order."""
    with matcher.sessions() as session:
        return fairs.planned_names(session, org_id=principal.org_id)


@allowed(Role.coordinator, Role.company, Role.graduate)
def schedule_table(matcher: Matcher, principal: Principal, fair_id: int, graduate_id: int | None = None,
                   company: str | None = None) -> str:
    """The visible schedule as formula-safe CSV (names beside ids for coordinators)."""
    _, schedule, names = visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return schedule_csv(schedule["meetings"], names)


@allowed(Role.coordinator, Role.company, Role.graduate)
def schedule_calendar(matcher: Matcher, principal: Principal, fair_id: int, graduate_id: int | None = None,
                      company: str | None = None) -> str:
    """The visible schedule as an iCalendar file, one event per meeting."""
    name, schedule, names = visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return schedule_ics(fair_id, name, schedule["meetings"], names)


@allowed(Role.coordinator)
def placement(matcher: Matcher, principal: Principal, body: PlacementIn) -> dict:
    """Fill traineeship seats: stable (deferred acceptance) and welfare-maximising side by side."""
    return place(matcher, principal.org_id, body)
