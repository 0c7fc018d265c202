"""Outcomes on the pages: the latest one per scheduled pair at a fair, a posting's candidates' own outcomes,
and the small form that records one. Recording and reading are the API's own use cases
(`service.usecases.outcomes`), so a company records and sees only its own, exactly as over HTTP."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import ValidationError

from service.fair_specs import parse_id
from service.outcomes import Event, OutcomeIn
from service.usecases import companies as company_cases
from service.usecases import outcomes as outcome_cases
from service.web.i18n import N_
from service.web.page import Form, Page, PageDep, PageError, api_error, see_other

router = APIRouter(prefix="/ui", include_in_schema=False)
EVENTS = {Event.shortlisted: N_("shortlisted"), Event.interviewed: N_("interviewed"), Event.offer: N_("offer"),
          Event.hired: N_("hired"), Event.declined_by_graduate: N_("declined by the graduate"),
          Event.declined_by_company: N_("declined by the company"), Event.no_show: N_("no-show")}


def outcomes(page: Page, **asked: int) -> list[dict]:
    """Every outcome the caller may see matching `asked` (posting_id, fair_id, …), oldest first."""
    items: list[dict] = []
    where = dict.fromkeys(("graduate_id", "posting_id", "company_id", "fair_id", "event", "since", "until")) | asked
    while True:
        chunk = outcome_cases.listing(page.matcher, page.principal, offset=len(items), limit=500, **where)
        items += chunk["items"]
        if not chunk["items"] or len(items) >= chunk["total"]:
            return items


def by_graduate(items: list[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for item in items:
        out.setdefault(item["graduate_id"], []).append(item)
    return out


def fair_pairs(page: Page, fair_id: int, schedule: dict) -> list[dict]:
    """Each scheduled (graduate, company) pair once, with the latest outcome recorded for it at this fair."""
    ids = {c.name: c.id for c in company_cases.listing(page.matcher, page.principal)}
    latest: dict[tuple[int, int], dict] = {}
    for item in outcomes(page, fair_id=fair_id):  # oldest first: the last one kept is the latest
        latest[(item["graduate_id"], item["company_id"])] = item
    pairs = {(m["graduate_id"], m["company"]) for m in schedule.get("meetings", [])}
    return [{"graduate_id": g, "company": name, "company_id": ids.get(name),
             "latest": latest.get((g, ids.get(name, 0)))} for g, name in sorted(pairs, key=lambda p: (p[1], p[0]))]


def _body(form: object, **ids: int | None) -> OutcomeIn:
    graduate = parse_id(str(form.get("graduate_id") or "").strip())  # type: ignore[attr-defined]
    if graduate is None:
        raise PageError(422, "Choose a graduate for the outcome.")
    try:
        return OutcomeIn(graduate_id=graduate, event=str(form.get("event") or ""),  # type: ignore[attr-defined]
                         date=str(form.get("date") or dt.date.today().isoformat()), **ids)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise api_error(exc) from exc


@router.post("/fairs/{fair_id}/outcomes")
def record_at_fair(fair_id: int, page: PageDep, form: Form) -> Response:
    """A coordinator records what came of a scheduled meeting."""
    page.allow(outcome_cases.record)
    graduate, _, company_text = str(form.get("pair") or "").strip().partition("-")  # "graduate-company"
    company = parse_id(company_text.strip())
    if company is None:
        raise PageError(422, "Choose a meeting for the outcome.")
    fields = {"graduate_id": graduate, "event": form.get("event"), "date": form.get("date")}
    outcome_cases.record(page.matcher, page.principal, _body(fields, company_id=company, fair_id=fair_id))
    page.flash(N_("Outcome recorded."))
    return see_other(f"/ui/fairs/{fair_id}#outcomes")


@router.post("/postings/{rid}/outcomes")
def record_for_posting(rid: int, page: PageDep, form: Form) -> Response:
    """A company (or a coordinator) records what came of a candidate of this posting."""
    page.allow(outcome_cases.record)
    body = _body(form, posting_id=rid)
    outcome_cases.record(page.matcher, page.principal, body)
    page.flash(N_("Outcome recorded."))
    return see_other(f"/ui/postings/{rid}#c{body.graduate_id}")
