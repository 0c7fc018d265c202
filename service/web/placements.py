"""Traineeship placement: stable (deferred acceptance) and welfare-maximising, side by side."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from service.fair_specs import PlacementIn
from service.usecases import fairs as fair_cases
from service.web.fair_form import form_ids, ids_as_sent
from service.web.i18n import language_of
from service.web.listing import all_graduates, all_postings
from service.web.page import API_ERRORS, Form, Page, PageDep, PageError, api_error, render
from service.web.placement_export import placement_csv, reasons_by_method

router = APIRouter(prefix="/ui", include_in_schema=False)


def _page(page: Page, *, chosen: dict | None = None, result: dict | None = None, error: str = "",
          status: int = 200) -> Response:
    page.allow(fair_cases.placement)
    graduates = all_graduates(page)
    posts = all_postings(page)
    chosen = chosen or {
        "graduates": {g.id for g in graduates if g.visible_to_companies},
        "postings": {p.id for p in posts if p.kind.value in ("traineeship", "internship")},
        "proposing": "graduates",
    }
    why = reasons_by_method(result, language_of(page.request)) if result else {}
    return render(page.request, "placements.html", page=page, status=status, graduates=graduates, postings=posts,
                  chosen=chosen, result=result, error=error, names={g.id: g.name for g in graduates}, why=why,
                  titles={p.id: f"{p.title} — {p.company}" for p in posts},
                  stable_of={a["graduate_id"]: a["posting_id"] for a in result["stable"]["assignments"]} if result else {})


@router.get("/placements")
def placements(page: PageDep) -> Response:
    return _page(page)


def _placed(page: Page, form: FormData) -> tuple[dict, dict]:
    proposing = "postings" if form.get("proposing") == "postings" else "graduates"
    chosen = {"graduates": ids_as_sent(form, "graduates"), "postings": ids_as_sent(form, "postings"),
              "proposing": proposing}
    body = PlacementIn(graduates=sorted(set(form_ids(form, "graduates"))),
                       postings=sorted(set(form_ids(form, "postings"))), proposing=proposing)
    return chosen, fair_cases.placement(page.matcher, page.principal, body)


@router.post("/placements")
def place(page: PageDep, form: Form) -> Response:
    try:
        chosen, result = _placed(page, form)
    except (PageError, *API_ERRORS) as exc:
        error = api_error(exc)
        sent = {"graduates": ids_as_sent(form, "graduates"), "postings": ids_as_sent(form, "postings"),
                "proposing": "postings" if form.get("proposing") == "postings" else "graduates"}
        return _page(page, chosen=sent, error=error.message, status=error.status)
    return _page(page, chosen=chosen, result=result)


@router.post("/placements.csv")
def place_csv(page: PageDep, form: Form) -> Response:
    """The same placement as the page's, as CSV: names beside ids, a reason for each unplaced graduate
    in the page language (placements are not stored: the form is sent again)."""
    try:
        _, result = _placed(page, form)
    except ValidationError as exc:
        raise api_error(exc) from exc
    names = {g.id: g.name for g in all_graduates(page)}
    postings = {p.id: (p.title, p.company) for p in all_postings(page)}
    return Response(placement_csv(result, names, postings, language_of(page.request)), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="placements.csv"'})
