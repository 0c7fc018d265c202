"""The exposure audit as a coordinator's page: a fair's or the postings' ranked lists, per group of one
sensitive field, with an inline SVG chart (table fallback) and the same CSV the API gives.

The figures are the API's own use cases (`service.usecases.insights`, coordinator-only): a company
or a graduate is refused by the use case's declared roles before anything is computed. Groups under 5 people arrive merged or
withheld already (`matching.ranking.exposure.merge_small_groups`); this page only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from matching.records.sides import Side
from service.api.download import attachment
from service.audit import Field
from service.usecases import fairs as fair_cases
from service.usecases import insights
from service.web.i18n import N_
from service.web.page import Page, PageDep, render

router = APIRouter(prefix="/ui", include_in_schema=False)
FIELDS = {"origin": N_("Origin"), "status": N_("Residence status"), "nationality": N_("Nationality")}
K = Annotated[int, Query(ge=1, le=100)]
WIDTH, LABEL, ROW = 560, 150, 40


@dataclass(frozen=True)
class GroupBars:
    """One group's two bars (share of people, share of exposure) in the chart's coordinates."""

    group: str
    people: float
    exposure: float
    y: float
    people_width: float
    exposure_width: float


def chart(groups: list[dict]) -> list[GroupBars]:
    """Bars scaled to the largest share shown, so a group's gap between its two bars is visible."""
    top = max([g["population_share"] for g in groups] + [g["exposure_share"] for g in groups] + [0.01])
    room = WIDTH - LABEL - 60
    return [GroupBars(g["group"], g["population_share"], g["exposure_share"], 10 + i * ROW,
                      round(room * g["population_share"] / top, 1), round(room * g["exposure_share"] / top, 1))
            for i, g in enumerate(groups)]


def _show(page: Page, result: dict, *, heading: str, scope: dict, base: str, csv: str) -> Response:
    bars = chart(result["groups"])
    return render(page.request, "coordinator/audit.html", page=page, result=result, heading=heading, scope=scope,
                  bars=bars, height=20 + ROW * len(bars), width=WIDTH, label=LABEL, fields=FIELDS, base=base,
                  csv=csv)


def _postings(page: Page, raw: str | None) -> str:
    """The postings asked for, or the organisation's first 100 (the API's limit) when none are named."""
    if raw:
        return raw
    owners = page.matcher.sides[Side.postings].owners
    mine = sorted(pid for pid, o in owners.items() if o.org_id == page.principal.org_id)
    return ",".join(map(str, mine[:insights.MAX_POSTINGS])) or "0"


@router.get("/fairs/{fair_id}/audit")
def fair_audit_page(fair_id: int, page: PageDep, field: Field = "origin", k: K = 10) -> Response:
    result = insights.fair_exposure(page.matcher, page.principal, fair_id, field, k)
    fair = fair_cases.read(page.matcher, page.principal, fair_id)
    return _show(page, result, heading=fair["name"], scope={"fair": fair_id}, base=f"/ui/fairs/{fair_id}/audit",
                 csv=f"/ui/fairs/{fair_id}/audit.csv?field={field}&k={k}")


@router.get("/fairs/{fair_id}/audit.csv")
def fair_audit_csv(fair_id: int, page: PageDep, field: Field = "origin", k: K = 10) -> Response:
    return attachment(insights.fair_exposure_table(page.matcher, page.principal, fair_id, field, k), "text/csv",
                      f"fair-{fair_id}-audit.csv")


@router.get("/audit")
def postings_audit_page(page: PageDep, field: Field = "origin", k: K = 10,
                        posting_ids: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    page.allow(insights.listed_postings_exposure)
    ids = _postings(page, posting_ids)
    result = insights.listed_postings_exposure(page.matcher, page.principal, ids, field, k, False)
    return _show(page, result, heading="", scope={"postings": len(result["posting_ids"])}, base="/ui/audit",
                 csv=f"/ui/audit.csv?field={field}&k={k}&posting_ids={ids}")


@router.get("/audit.csv")
def postings_audit_csv(page: PageDep, field: Field = "origin", k: K = 10,
                       posting_ids: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    page.allow(insights.listed_postings_table)
    table = insights.listed_postings_table(page.matcher, page.principal, _postings(page, posting_ids), field, k)
    return attachment(table, "text/csv", "exposure-audit.csv")
