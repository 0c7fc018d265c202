"""Roles are declared once, on the use case: the route's dependency, OpenAPI's `x-roles` and the
pages all read them from there, and the use case itself refuses any other caller."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.routers import ROUTERS
from service.auth import Principal, Role, declared_roles
from service.errors import Forbidden, refusal
from service.usecases import (
    candidates,
    companies,
    fairs,
    insights,
    learn_next,
    matches,
    postings,
    trust,
)
from service.usecases.rules import allowed, caller, roles_of
from tests.service.web.conftest import log_in

GRADUATE = Principal(token_id=1, role=Role.graduate, org_id=1, candidate_id=1)
COMPANY = Principal(token_id=2, role=Role.company, org_id=1, company_id=1)

ROUTE_CASES = {  # (method, path): the use case the route runs
    ("POST", "/candidates"): candidates.create,
    ("GET", "/candidates/{rid}"): candidates.profile,
    ("GET", "/postings"): postings.list_page,
    ("GET", "/postings/{rid}/matches"): matches.for_posting,
    ("POST", "/interviews/{interview_id}/accept"): trust.answer,
    ("GET", "/companies"): companies.listing,
    ("GET", "/fairs/{fair_id}/schedule.ics"): fairs.schedule_calendar,
    ("GET", "/audit/exposure.csv"): insights.listed_postings_table,
    ("GET", "/learn-next"): learn_next.steps,
}


def test_a_route_declares_exactly_its_use_cases_roles(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["paths"]
    for (method, path), case in ROUTE_CASES.items():
        assert schema[path][method.lower()]["x-roles"] == list(case.roles), (method, path)
    routes = {(m, r.path): r for router in ROUTERS for r in router.routes for m in r.methods}  # type: ignore[attr-defined]
    assert declared_roles(routes[("POST", "/postings:import")]) == ("coordinator",)


@pytest.mark.parametrize(("case", "args", "who"), [
    (candidates.list_page, {"offset": 0, "limit": 1}, GRADUATE),
    (companies.create, {"name": "X"}, COMPANY),
    (fairs.placement, {"body": None}, GRADUATE),
    (learn_next.steps, {"top": 1, "per_graduate": 1}, COMPANY),
])
def test_a_use_case_refuses_other_roles_before_it_reads_anything(case, args, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden) as refused:
        case(None, who, **args)  # no catalogue at all: the refusal comes first
    status, body = refusal(refused.value)  # type: ignore[misc]
    assert status == 403
    assert body["detail"] == f"This page is for {' and '.join(case.roles)} accounts."


def test_roles_of_several_use_cases_are_those_allowed_all() -> None:
    @allowed(Role.coordinator, Role.company)
    def both(matcher: object, principal: Principal) -> str:
        return "ran"

    assert both.roles == ("company", "coordinator")  # type: ignore[attr-defined]
    assert both(None, COMPANY) == "ran"
    assert both(None, principal=COMPANY) == "ran"
    assert roles_of(both, candidates.create) == ("coordinator",)
    assert caller(both, trust.list_interviews) is not None


def test_a_page_shows_the_use_cases_refusal(client: TestClient, tokens: dict[str, str]) -> None:
    """A page calls the use case itself: its refusal is a page, with the table's status and sentence."""
    page = log_in(TestClient(client.app), tokens["graduate"]).get("/ui/learn-next")
    assert page.status_code == 403
    assert "text/html" in page.headers["content-type"]
    assert "This page is for coordinator accounts." in page.text
