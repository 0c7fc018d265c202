"""Traineeship placement: stable (deferred acceptance) and welfare-maximising, side by side."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import ValidationError

from service.api import fairs as fairs_api
from service.fair_specs import PlacementIn
from service.web.fair_form import form_ids, ids_as_sent
from service.web.listing import all_graduates, all_postings
from service.web.page import Form, Page, PageDep, PageError, api_error, render

router = APIRouter(prefix="/ui", include_in_schema=False)


def _page(page: Page, *, chosen: dict | None = None, result: dict | None = None, error: str = "",
          status: int = 200) -> Response:
    page.allow(fairs_api.create_placement)
    graduates = all_graduates(page)
    posts = all_postings(page)
    chosen = chosen or {
        "graduates": {g.id for g in graduates if g.visible_to_companies},
        "postings": {p.id for p in posts if p.kind.value in ("traineeship", "internship")},
        "proposing": "graduates",
    }
    return render(page.request, "placements.html", page=page, status=status, graduates=graduates, postings=posts,
                  chosen=chosen, result=result, error=error, names={g.id: g.name for g in graduates},
                  titles={p.id: f"{p.title} — {p.company}" for p in posts},
                  stable_of={a["graduate_id"]: a["posting_id"] for a in result["stable"]["assignments"]} if result else {})


@router.get("/placements")
def placements(page: PageDep) -> Response:
    return _page(page)


@router.post("/placements")
def place(page: PageDep, form: Form) -> Response:
    proposing = "postings" if form.get("proposing") == "postings" else "graduates"
    chosen = {"graduates": ids_as_sent(form, "graduates"), "postings": ids_as_sent(form, "postings"),
              "proposing": proposing}
    try:
        body = PlacementIn(graduates=sorted(set(form_ids(form, "graduates"))),
                           postings=sorted(set(form_ids(form, "postings"))), proposing=proposing)
        result = page.call(fairs_api.create_placement, body=body)
    except (ValidationError, PageError) as exc:
        error = api_error(exc)
        return _page(page, chosen=chosen, error=error.message, status=error.status)
    return _page(page, chosen=chosen, result=result)
