"""A coordinator's pages: graduates and companies, imports with progress, log-in tokens."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from matching.records.sides import Side
from service.api.download import attachment
from service.fair_specs import parse_id
from service.schemas import CompanyIn, TokenIn
from service.usecases import candidates, learn_next, trust
from service.usecases import companies as company_cases
from service.usecases import postings as posting_cases
from service.web import imports
from service.web.i18n import N_
from service.web.listing import all_graduates, all_postings
from service.web.page import Form, Page, PageDep, PageError, api_error, render, see_other
from service.web.roster import roster_csv, select_graduates

router = APIRouter(prefix="/ui", include_in_schema=False)


Search = Annotated[str, Query(max_length=200)]
Filter = Annotated[Literal["", "no_matches", "no_interview"], Query()]


@router.get("/graduates")
def graduates(page: PageDep, offset: Annotated[int, Query(ge=0)] = 0, q: Search = "",
              show: Filter = "") -> Response:
    """The graduates, searched by name or skill and filtered; the CSV link exports what is shown."""
    page.allow(candidates.list_page)
    listing = select_graduates(page, all_graduates(page), q, show, offset=offset)
    query = urlencode({k: v for k, v in (("q", q), ("show", show)) if v})
    return render(page.request, "coordinator/graduates.html", page=page, listing=listing, q=q, show=show,
                  query=query)


@router.get("/graduates.csv")
def graduates_csv(page: PageDep, q: Search = "", show: Filter = "") -> Response:
    """The filtered list (all of it, not one page): id, name, city, languages, match count."""
    page.allow(candidates.list_page)
    listing = select_graduates(page, all_graduates(page), q, show, limit=None)
    return Response(roster_csv(listing), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="graduates.csv"'})


@router.get("/learn-next")
def learn_next_page(page: PageDep) -> Response:
    """Skills to teach next: what the graduates' best matches ask for and they lack, across the school."""
    steps = learn_next.steps(page.matcher, page.principal, top=20, per_graduate=10)
    return render(page.request, "coordinator/learn_next.html", page=page, steps=steps)


@router.get("/learn-next.csv")
def learn_next_page_csv(page: PageDep) -> Response:
    return attachment(learn_next.steps_table(page.matcher, page.principal, top=200, per_graduate=10), "text/csv",
                      "learn-next.csv")


@router.get("/companies")
def companies(page: PageDep) -> Response:
    """The organisation's companies (records, with or without postings) and their postings."""
    page.allow(posting_cases.import_records)
    by_company: dict[str, list] = defaultdict(list)
    for posting in all_postings(page):
        by_company[posting.company].append(posting)
    names = [c.name for c in company_cases.listing(page.matcher, page.principal)]
    return render(page.request, "coordinator/companies.html", page=page,
                  companies=sorted(((n, by_company.get(n, [])) for n in names), key=lambda kv: kv[0].casefold()))


@router.post("/companies/new")
def create_company(page: PageDep, form: Form) -> Response:
    """A new company of the organisation; its postings and log-in token come after."""
    try:
        body = CompanyIn(name=str(form.get("name") or ""))
    except ValidationError as exc:
        raise api_error(exc) from exc
    company_cases.create(page.matcher, page.principal, body.name)
    page.flash(N_("Company “%(name)s” created. Import its postings, or give it a log-in token."), name=body.name)
    return see_other("/ui/companies")


async def _import(page: Page, form: FormData, side: Side, back: str) -> Response:
    """JavaScript gets 202 and a status URL to poll; a plain form waits and lands on the list."""
    wants_json = "application/json" in page.request.headers.get("accept", "")
    try:
        records = await imports.read_file(page, side, form.get("file"))
    except PageError as exc:
        if not wants_json:
            raise
        shown = "; ".join(exc.errors[:5]) if exc.errors else exc.message
        return JSONResponse({"message": f"Nothing imported: {shown}"}, status_code=exc.status)
    create_companies = form.get("create_companies") == "on"
    try:
        imports.check_companies(page, side, records, create_companies)
    except PageError as exc:
        if not wants_json:
            raise
        return JSONResponse({"message": f"Nothing imported: {exc.message}"}, status_code=exc.status)
    job = imports.start(page, side, records, next_url=back, create_companies=create_companies)
    if wants_json:
        return JSONResponse({"message": job.message, "status_url": f"/ui/imports/{job.id}"}, status_code=202)
    assert job.thread is not None
    await run_in_threadpool(job.thread.join)
    page.web.data["imports"].pop(job.id, None)
    if job.state == "failed":
        raise PageError(422, job.message)
    page.flash(job.message)
    return see_other(back)


@router.post("/graduates:import")
async def import_graduates(page: PageDep, form: Form) -> Response:
    return await _import(page, form, Side.candidates, "/ui/graduates")


@router.post("/companies:import")
async def import_postings(page: PageDep, form: Form) -> Response:
    return await _import(page, form, Side.postings, "/ui/companies")


@router.get("/imports/{job_id}")
def import_status(job_id: str, page: PageDep) -> JSONResponse:
    """How far an import of this session has got; a finished one leaves a notice for the next page."""
    job = page.web.data.get("imports", {}).get(job_id)
    if job is None:
        return JSONResponse({"state": "failed", "message": "No such import in this session."}, status_code=404)
    if job.state != "running":
        page.web.data["imports"].pop(job_id, None)
        if job.state == "done":
            page.flash(job.message)
    return JSONResponse(job.status())


@router.post("/tokens")
def issue_token(page: PageDep, form: Form) -> Response:
    """A log-in token for a graduate or a company, shown once on the answer page."""
    role = str(form.get("role") or "")
    raw_id = str(form.get("candidate_id") or "").strip()
    candidate_id = parse_id(raw_id) if raw_id else None
    if raw_id and candidate_id is None:
        raise PageError(422, "candidate_id: not an id; choose a graduate from the list")
    try:
        body = TokenIn(role=role, company=str(form.get("company") or "") or None,  # type: ignore[arg-type]
                       candidate_id=candidate_id, label=str(form.get("label") or "")[:200])
    except ValidationError as exc:
        raise api_error(exc) from exc
    created = trust.issue(page.matcher, page.principal, body)
    back = "/ui/graduates" if role == "graduate" else "/ui/companies"
    return render(page.request, "coordinator/token.html", page=page, created=created, body=body, back=back)
