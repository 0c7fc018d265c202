"""Job fairs (schedule, re-plan, exports, per-person views) and traineeship placements."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.fair.schedule import FairRulesConflict
from matching.placement.assign import PlacementError
from matching.records.profiles import STORED
from matching.records.sides import NotFoundError, Side
from service.auth import Anyone, Coordinator, Principal, Role
from service.calendar import schedule_csv, schedule_ics
from service.db import CompanyRow, FairRow
from service.deps import MatcherDep
from service.fair_specs import FairIn, PlacementIn, ReplanIn
from service.fairs import FairInputError, normalise_spec, place, plan, replan_json, view
from service.matcher import Matcher
from service.schemas import Created

router = APIRouter(tags=["fairs"])


def _unprocessable(exc: Exception) -> HTTPException:
    conflicts = getattr(exc, "conflicts", None) or getattr(exc, "problems", None)
    detail = "the fair's rules conflict: " + "; ".join(conflicts) if conflicts else str(exc)
    return HTTPException(422, detail)


def _fair(session: Session, principal: Principal, fair_id: int) -> FairRow:
    row = session.get(FairRow, fair_id)
    if row is None or row.org_id != principal.org_id:
        raise NotFoundError(f"no fair with id {fair_id}")
    return row


def _stored_spec(row: FairRow) -> FairIn:
    """The fair as stored; one saved before a newer rule (e.g. slots in year 9999) is a 422, not a 500.
    Names with control characters saved before they were refused still load (exports escape them)."""
    try:
        return FairIn.model_validate(row.spec, context=STORED)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'fair'}: {e['msg']}" for e in exc.errors()[:5])
        raise HTTPException(422, f"fair {row.id} as stored is not valid any more ({problems}); "
                                 "describe it again with POST /fairs") from exc


@router.post("/fairs", status_code=201, response_model=Created)
def create_fair(body: FairIn, principal: Coordinator, matcher: MatcherDep) -> Created:
    """Describe a fair: graduates, companies with their seats, slots and rules."""
    with matcher.sessions.begin() as session:
        try:
            spec = normalise_spec(matcher, session, principal.org_id, body)
        except FairInputError as exc:
            raise _unprocessable(exc) from exc
        row = FairRow(org_id=principal.org_id, name=spec.name, spec=spec.model_dump(mode="json"))
        session.add(row)
        session.flush()
        return Created(id=row.id)


@router.get("/fairs")
def list_fairs(principal: Coordinator, matcher: MatcherDep) -> list[dict]:
    with matcher.sessions() as session:
        rows = session.scalars(select(FairRow).where(FairRow.org_id == principal.org_id).order_by(FairRow.id))
        return [{"id": r.id, "name": r.name, "planned": r.schedule is not None} for r in rows]


@router.get("/fairs/{fair_id}")
def read_fair(fair_id: int, principal: Coordinator, matcher: MatcherDep) -> dict:
    with matcher.sessions() as session:
        row = _fair(session, principal, fair_id)
        return {"id": row.id, "name": row.name, "spec": row.spec, "planned": row.schedule is not None}


@router.post("/fairs/{fair_id}/schedule")
def plan_schedule(fair_id: int, principal: Coordinator, matcher: MatcherDep) -> dict:
    """Plan (or plan again) the whole fair; 422 names the rules that conflict."""
    with matcher.sessions.begin() as session:
        row = _fair(session, principal, fair_id)
        try:
            row.schedule = plan(matcher, session, principal.org_id, _stored_spec(row))
        except (FairRulesConflict, FairInputError) as exc:
            raise _unprocessable(exc) from exc
        row.updated_at = dt.datetime.now(dt.UTC)
        return row.schedule


@router.post("/fairs/{fair_id}/replan")
def replan_schedule(fair_id: int, body: ReplanIn, principal: Coordinator, matcher: MatcherDep) -> dict:
    """After a no-show or a late company: keep earlier slots, re-solve the rest."""
    with matcher.sessions.begin() as session:
        row = _fair(session, principal, fair_id)
        if row.schedule is None:
            raise HTTPException(409, "plan the fair before re-planning it")
        try:
            row.schedule = replan_json(
                matcher, session, principal.org_id, _stored_spec(row), row.schedule, body
            )
        except (FairRulesConflict, FairInputError) as exc:
            raise _unprocessable(exc) from exc
        return row.schedule


def _visible_schedule(matcher: Matcher, principal: Principal, fair_id: int, graduate_id: int | None,
                      company: str | None) -> tuple[str, dict, dict[int, str] | None]:
    """The schedule as this caller may see it: coordinators all (names too), others their own."""
    with matcher.sessions() as session:
        row = session.get(FairRow, fair_id)
        if row is None or row.org_id != principal.org_id or row.schedule is None:
            raise NotFoundError(f"no planned fair with id {fair_id}")
        schedule = row.schedule
        if principal.role is Role.graduate:
            return row.name, view(schedule, graduate_id=principal.candidate_id), None
        if principal.role is Role.company:
            own = session.get(CompanyRow, principal.company_id)
            return row.name, view(schedule, company=own.name if own else "\x00"), None
    if graduate_id is not None or company is not None:
        schedule = view(schedule, graduate_id=graduate_id, company=company) | {"report": schedule["report"]}
    names = {m["graduate_id"]: _name(matcher, m["graduate_id"]) for m in schedule["meetings"]}
    return row.name, schedule, names


def _name(matcher: Matcher, rid: int) -> str:
    try:
        return matcher.get(Side.candidates, rid).name  # type: ignore[union-attr]
    except NotFoundError:
        return ""


@router.get("/fairs/{fair_id}/schedule")
def get_schedule(
    fair_id: int,
    principal: Anyone,
    matcher: MatcherDep,
    graduate_id: Annotated[int | None, Query(description="coordinators: one graduate's view")] = None,
    company: Annotated[str | None, Query(max_length=200, description="coordinators: one company's view")] = None,
) -> dict:
    """Coordinators see everything (or a per-graduate / per-company view); others see their own meetings."""
    _, schedule, _ = _visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return schedule


@router.get("/fairs/{fair_id}/schedule.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def get_schedule_csv(
    fair_id: int, principal: Anyone, matcher: MatcherDep,
    graduate_id: int | None = None, company: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    _, schedule, names = _visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return Response(schedule_csv(schedule["meetings"], names), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair_id}.csv"'})


@router.get("/fairs/{fair_id}/schedule.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def get_schedule_ics(
    fair_id: int, principal: Anyone, matcher: MatcherDep,
    graduate_id: int | None = None, company: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    name, schedule, names = _visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return Response(schedule_ics(fair_id, name, schedule["meetings"], names), media_type="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair_id}.ics"'})


@router.post("/placements", tags=["placements"])
def create_placement(body: PlacementIn, principal: Coordinator, matcher: MatcherDep) -> dict:
    """Fill traineeship seats: stable (deferred acceptance) and welfare-maximising side by side."""
    try:
        return place(matcher, principal.org_id, body)
    except (FairInputError, PlacementError) as exc:
        raise _unprocessable(exc) from exc

