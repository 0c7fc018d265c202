"""A graduate's pages: the profile form, matches explained plainly, interview invitations.

Coordinators reach the same pages for any graduate of their organisation under
`/ui/graduates/{id}`; whether they may is the use cases' own `check_candidate`, as over HTTP.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from pydantic import ValidationError

from matching.ranking.blend import RELEVANCE_FLOOR
from service.usecases import candidates, postings, trust
from service.usecases import intake as intake_cases
from service.usecases import invitations as invitation_cases
from service.usecases import matches as match_cases
from service.web.forms import (
    CEFR_LEVELS,
    KINDS,
    LANGUAGES,
    as_form_values,
    candidate_from_form,
    field_errors,
    submitted_values,
    uploaded_document,
)
from service.web.i18n import N_, language_of
from service.web.interview_times import with_local_times
from service.web.page import (
    Form,
    Page,
    PageDep,
    PageError,
    render,
    see_other,
)
from service.web.skills import scorer_names

router = APIRouter(prefix="/ui", include_in_schema=False)


def own_id(page: Page) -> int:
    if page.principal.candidate_id is None:
        raise PageError(403, "This page is for graduate accounts.")
    return page.principal.candidate_id


def urls_for(page: Page, rid: int) -> dict[str, str]:
    """The graduate's pages: their own under /ui/me, or as their coordinator sees them."""
    if page.principal.candidate_id == rid:
        return {"profile": "/ui/me", "matches": "/ui/me/matches", "postings": "/ui/me/postings/",
                "draft": "/ui/me:draft"}
    return {"profile": f"/ui/graduates/{rid}/edit", "matches": f"/ui/graduates/{rid}",
            "postings": f"/ui/graduates/{rid}/postings/", "draft": f"/ui/graduates/{rid}/edit:draft"}


def _profile(page: Page, rid: int, *, values: dict | None = None, errors: dict | None = None,
             status: int = 200, drafted: bool = False) -> Response:
    record = candidates.profile(page.matcher, page.principal, rid)
    return render(
        page.request, "graduate/profile.html", page=page, status=status, rid=rid, urls=urls_for(page, rid),
        values=values if values is not None else as_form_values(record), errors=errors or {},
        skill_names=scorer_names(), languages=LANGUAGES, levels=CEFR_LEVELS, kinds=KINDS, drafted=drafted,
    )


def _save(page: Page, rid: int, form: Form) -> Response:
    current = candidates.profile(page.matcher, page.principal, rid)
    try:
        body = candidate_from_form(form, current)
    except ValidationError as exc:
        return _profile(page, rid, values=submitted_values(form), errors=field_errors(exc), status=422)
    candidates.replace(page.matcher, page.principal, rid, body)
    page.flash(N_("Profile saved. Your matches below use it already."))
    return see_other(urls_for(page, rid)["matches"])


def _matches(page: Page, rid: int) -> Response:
    record = candidates.profile(page.matcher, page.principal, rid)
    found = match_cases.for_candidate(page.matcher, page.principal, rid, weights=None, limit=10,
                                      floor=RELEVANCE_FLOOR)
    items = found["items"]
    invitations = []
    fair_interviews = []
    if page.principal.candidate_id == rid:
        fair_interviews = with_local_times(invitation_cases.fair_interviews(page.matcher, page.principal),
                                           language_of(page.request))
        for interview in trust.list_interviews(page.matcher.sessions, page.principal):
            posting = postings.read(page.matcher, page.principal, interview.posting_id)
            invitations.append({"interview": interview, "posting": posting})
    return render(page.request, "graduate/matches.html", page=page, rid=rid, record=record, items=items,
                  learn=found["learn_next"]["skills"], language_steps=found["learn_next"]["languages"],
                  invitations=invitations, fair_interviews=fair_interviews, urls=urls_for(page, rid),
                  languages=LANGUAGES,
                  message=found.get("message"), near_misses=found.get("near_misses", []))


@router.get("/me")
def my_profile(page: PageDep) -> Response:
    return _profile(page, own_id(page))


@router.post("/me")
def save_my_profile(page: PageDep, form: Form) -> Response:
    return _save(page, own_id(page), form)


async def _from_cv(page: Page, rid: int, form: Form) -> Response:
    """"Start from my CV": the profile form filled in from the uploaded CV over what is saved, and
    nothing saved until the graduate presses "Save profile". Only for one's own profile (403)."""
    page.allow(intake_cases.own_candidate_draft)
    settings = page.request.app.state.settings
    data, pasted, name = await uploaded_document(form, settings.max_upload_bytes,
                                                 "Choose your CV (PDF, DOCX or text) or paste its text.")
    try:
        out = await intake_cases.own_candidate_draft(page.matcher, page.principal, settings, rid, data, pasted, name)
    except HTTPException as exc:
        raise PageError(exc.status_code, str(exc.detail)) from exc
    current = as_form_values(candidates.profile(page.matcher, page.principal, rid))
    return _profile(page, rid, values=current | {k: v for k, v in out.draft.items() if v}, drafted=True)


@router.post("/me:draft")
async def my_profile_from_cv(page: PageDep, form: Form) -> Response:
    return await _from_cv(page, own_id(page), form)


@router.post("/graduates/{rid}/edit:draft")
async def graduate_profile_from_cv(rid: int, page: PageDep, form: Form) -> Response:
    return await _from_cv(page, rid, form)


@router.get("/me/matches")
def my_matches(page: PageDep) -> Response:
    return _matches(page, own_id(page))


@router.post("/me/interviews/{interview_id}/{answer}")
def answer_interview(interview_id: int, answer: str, page: PageDep, form: Form) -> Response:
    """Accept (the company then sees your name) or decline (no meeting at the next fair)."""
    status = {"accept": "accepted", "decline": "declined"}.get(answer)
    if status is None:
        raise PageError(404, "No such answer.")
    trust.answer(page.matcher.sessions, page.principal, interview_id, status)
    page.flash(N_("Thank you: the company can now see your name.") if answer == "accept"
               else N_("Declined: you will not be asked to meet this company at the next fair."))
    return see_other("/ui/me/matches")


@router.get("/graduates/{rid}/edit")
def graduate_profile(rid: int, page: PageDep) -> Response:
    return _profile(page, rid)


@router.post("/graduates/{rid}/edit")
def save_graduate_profile(rid: int, page: PageDep, form: Form) -> Response:
    return _save(page, rid, form)


@router.get("/graduates/{rid}")
def graduate_matches(rid: int, page: PageDep) -> Response:
    return _matches(page, rid)
