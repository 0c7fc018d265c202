"""Postings pages: a company's own (or a coordinator's organisation's), ranked candidates, shortlist.

Candidates come from the API's `posting_matches`, so a company always gets the blind view
(no name until the graduate accepts an interview) and every view is audited. Coordinators
get the blind view by default too and may ask for names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import ValidationError

from matching.ranking.blend import RELEVANCE_FLOOR
from service.auth import Role
from service.fair_specs import parse_id
from service.schemas import InterviewIn
from service.usecases import companies as company_cases
from service.usecases import intake, postings, trust
from service.usecases import matches as match_cases
from service.web.forms import (
    CEFR_LEVELS,
    KINDS,
    LANGUAGES,
    as_form_values,
    field_errors,
    posting_from_form,
    submitted_values,
    uploaded_document,
)
from service.web.i18n import N_
from service.web.outcome_pages import by_graduate, outcomes
from service.web.page import Form, Page, PageDep, PageError, render, see_other
from service.web.skills import scorer_names

router = APIRouter(prefix="/ui", include_in_schema=False)


def _company_name(page: Page) -> str:
    return company_cases.own_name(page.matcher, page.principal)


def _form(page: Page, *, rid: int | None, values: dict, errors: dict | None = None, status: int = 200,
          drafted: bool = False) -> Response:
    return render(
        page.request, "postings/form.html", page=page, status=status, rid=rid, values=values, errors=errors or {},
        action=f"/ui/postings/{rid}/edit" if rid else "/ui/postings/new", company=_company_name(page),
        company_names=[c.name for c in company_cases.listing(page.matcher, page.principal)] if page.principal.role is Role.coordinator else [],
        skill_names=scorer_names(), languages=LANGUAGES, levels=CEFR_LEVELS, kinds=KINDS, drafted=drafted,
    )


@router.get("/postings")
def list_postings(page: PageDep, offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    page.allow(postings.create)  # this page is for those who manage postings
    listing = postings.list_page(page.matcher, page.principal, offset=offset, limit=100)
    return render(page.request, "postings/list.html", page=page, listing=listing, company=_company_name(page))


@router.get("/postings/new")
def new_posting(page: PageDep) -> Response:
    page.allow(postings.create)
    return _form(page, rid=None, values={"kind": "job", "seats": 1, "work_permit_required": True})


@router.post("/postings/new:draft")
async def posting_from_document(page: PageDep, form: Form) -> Response:
    """"Start from a job ad": the new-posting form filled in from a document, nothing saved
    (the path ends in ":draft", so the upload limit applies)."""
    page.allow(intake.posting_draft)
    settings = page.request.app.state.settings
    data, pasted, name = await uploaded_document(form, settings.max_upload_bytes,
                                                 "Choose a job ad (PDF, DOCX or text) or paste its text.")
    try:
        out = await intake.posting_draft(page.matcher, page.principal, settings, data, pasted, name)
    except HTTPException as exc:
        raise PageError(exc.status_code, str(exc.detail)) from exc
    values = {"kind": "job", "seats": 1, "work_permit_required": True} | out.draft
    if page.principal.role is Role.company:
        values["company"] = _company_name(page)
    return _form(page, rid=None, values=values, drafted=True)


@router.post("/postings/new")
def create_posting(page: PageDep, form: Form) -> Response:
    try:
        body = posting_from_form(form, company=_company_name(page))
    except ValidationError as exc:
        return _form(page, rid=None, values=submitted_values(form), errors=field_errors(exc), status=422)
    created = postings.create(page.matcher, page.principal, body)
    page.flash(N_("Posting “%(title)s” created. Here are the graduates who fit it best."), title=body.title)
    return see_other(f"/ui/postings/{created}")


@router.get("/postings/{rid}/edit")
def edit_posting(rid: int, page: PageDep) -> Response:
    page.allow(postings.replace)
    record = postings.read(page.matcher, page.principal, rid)
    return _form(page, rid=rid, values=as_form_values(record))


@router.post("/postings/{rid}/edit")
def save_posting(rid: int, page: PageDep, form: Form) -> Response:
    try:
        body = posting_from_form(form, company=_company_name(page))
    except ValidationError as exc:
        return _form(page, rid=rid, values=submitted_values(form), errors=field_errors(exc), status=422)
    postings.replace(page.matcher, page.principal, rid, body)
    page.flash(N_("Posting saved; the ranking below follows it."))
    return see_other(f"/ui/postings/{rid}")


@router.get("/postings/{rid}")
def posting_candidates(rid: int, page: PageDep, names: Annotated[bool, Query()] = False) -> Response:
    """Ranked consenting graduates, blind unless a coordinator asks for names."""
    page.allow(match_cases.for_posting)
    posting = postings.read(page.matcher, page.principal, rid)
    blind = not (names and page.principal.role is Role.coordinator)
    found = match_cases.for_posting(page.matcher, page.principal, rid, weights=None, limit=20, blind=blind,
                                    floor=RELEVANCE_FLOOR)
    shortlist = {i.candidate_id: i.status for i in trust.list_interviews(page.matcher.sessions, page.principal) if i.posting_id == rid}
    recorded = by_graduate(outcomes(page, posting_id=rid))  # a company's own only (the API's rule)
    return render(page.request, "postings/candidates.html", page=page, rid=rid, posting=posting,
                  items=found["items"], blind=blind, shortlist=shortlist, message=found.get("message"),
                  near_misses=found.get("near_misses", []), outcomes=recorded, today=dt.date.today().isoformat())


@router.post("/postings/{rid}/shortlist")
def shortlist(rid: int, page: PageDep, form: Form) -> Response:
    """Invite to an interview: the pair becomes a required meeting at the next fair that plans."""
    candidate_id = parse_id(str(form.get("candidate_id") or "").strip())
    if candidate_id is None:
        raise PageError(422, "Choose a candidate to shortlist.")
    trust.shortlist(page.matcher, page.principal, InterviewIn(posting_id=rid, candidate_id=candidate_id))
    page.flash(N_("Candidate #%(id)s shortlisted: invited to an interview, and you will meet at the next fair."),
               id=candidate_id)
    return see_other(f"/ui/postings/{rid}#c{candidate_id}")
