"""Job fairs (schedule, re-plan, exports, per-person views) and traineeship placements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from service.api.download import attachment
from service.deps import MatcherDep
from service.fair_specs import FairIn, PlacementIn, ReplanIn
from service.schemas import Created
from service.usecases import fairs
from service.usecases.rules import caller

router = APIRouter(tags=["fairs"])


@router.post("/fairs", status_code=201, response_model=Created)
def create_fair(body: FairIn, principal: caller(fairs.create), matcher: MatcherDep) -> Created:
    """Describe a fair: graduates, companies with their seats, slots and rules."""
    return Created(id=fairs.create(matcher, principal, body))


@router.get("/fairs")
def list_fairs(principal: caller(fairs.listing), matcher: MatcherDep) -> list[dict]:
    return fairs.listing(matcher, principal)


@router.get("/fairs/{fair_id}")
def read_fair(fair_id: int, principal: caller(fairs.read), matcher: MatcherDep) -> dict:
    return fairs.read(matcher, principal, fair_id)


@router.post("/fairs/{fair_id}/schedule")
def plan_schedule(fair_id: int, principal: caller(fairs.plan_schedule), matcher: MatcherDep) -> dict:
    """Plan (or plan again) the whole fair; 422 names the rules that conflict."""
    return fairs.plan_schedule(matcher, principal, fair_id)


@router.post("/fairs/{fair_id}/replan")
def replan_schedule(fair_id: int, body: ReplanIn, principal: caller(fairs.replan_schedule),
                    matcher: MatcherDep) -> dict:
    """After a no-show or a late company: keep earlier slots, re-solve the rest."""
    return fairs.replan_schedule(matcher, principal, fair_id, body)


@router.get("/fairs/{fair_id}/schedule")
def get_schedule(
    fair_id: int,
    principal: caller(fairs.visible_schedule),
    matcher: MatcherDep,
    graduate_id: Annotated[int | None, Query(description="coordinators: one graduate's view")] = None,
    company: Annotated[str | None, Query(max_length=200, description="coordinators: one company's view")] = None,
) -> dict:
    """Coordinators see everything (or a per-graduate / per-company view); others see their own meetings.
    Each meeting has `slot`, the 0-based index the inputs use (`from_slot`, unavailability), and
    `slot_number`, the same slot counted from 1 as pages, CSV and calendars show it."""
    _, schedule, _ = fairs.visible_schedule(matcher, principal, fair_id, graduate_id, company)
    return schedule


@router.get("/fairs/{fair_id}/schedule.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def get_schedule_csv(
    fair_id: int, principal: caller(fairs.schedule_table), matcher: MatcherDep,
    graduate_id: int | None = None, company: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return attachment(fairs.schedule_table(matcher, principal, fair_id, graduate_id, company), "text/csv",
                      f"fair-{fair_id}.csv")


@router.get("/fairs/{fair_id}/schedule.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def get_schedule_ics(
    fair_id: int, principal: caller(fairs.schedule_calendar), matcher: MatcherDep,
    graduate_id: int | None = None, company: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return attachment(fairs.schedule_calendar(matcher, principal, fair_id, graduate_id, company),
                      "text/calendar", f"fair-{fair_id}.ics")


@router.post("/placements", tags=["placements"])
def create_placement(body: PlacementIn, principal: caller(fairs.placement), matcher: MatcherDep) -> dict:
    """Fill traineeship seats: stable (deferred acceptance) and welfare-maximising side by side."""
    return fairs.placement(matcher, principal, body)
