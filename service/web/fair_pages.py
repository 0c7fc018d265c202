"""Fair pages: the coordinator's rules form → plan → grid, re-plan, exports; everyone's own schedule.

Planning, re-planning, exports and who sees which meetings are the API's own use cases
(`service.usecases.fairs`); editing a fair's rules, which the API does not offer, goes through
the same `normalise_spec` and organisation check that creating one does.
"""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import ValidationError

from service.api.download import attachment
from service.fair_specs import FairIn, ReplanIn
from service.fairs import FairInputError
from service.usecases import fairs as fair_cases
from service.web.fair_form import fair_from_form, form_ids, form_int, form_values, submitted_values
from service.web.fair_notices import fair_messages
from service.web.fair_view import (
    grid,
    histogram,
    meeting_counts,
    slot_labels,
    when,
)
from service.web.i18n import N_
from service.web.listing import all_graduates, company_names
from service.web.outcome_pages import fair_pairs
from service.web.page import (
    API_ERRORS,
    Form,
    Page,
    PageDep,
    PageError,
    api_error,
    render,
    see_other,
)

router = APIRouter(prefix="/ui", include_in_schema=False)


def _fairs_page(page: Page, *, values: dict | None = None, error: str = "", status: int = 200) -> Response:
    fairs = fair_cases.listing(page.matcher, page.principal)
    graduates, companies = all_graduates(page), company_names(page)
    demo = (page.request.app.state.settings.data_dir / "demo" / "fair.json").exists()
    return render(page.request, "fairs/list.html", page=page, status=status, fairs=fairs, graduates=graduates,
                  companies=companies, values=values or form_values(None, graduates=graduates), error=error,
                  demo=demo)


@router.get("/fairs")
def fairs(page: PageDep) -> Response:
    return _fairs_page(page)


@router.post("/fairs")
def create_fair(page: PageDep, form: Form) -> Response:
    page.allow(fair_cases.create)
    companies = company_names(page)
    try:
        body = fair_from_form(form, companies)
        created = fair_cases.create(page.matcher, page.principal, body)
    except (PageError, *API_ERRORS) as exc:
        error = api_error(exc)
        return _fairs_page(page, values=submitted_values(form, companies), error=error.message,
                           status=error.status)
    page.flash(N_("Fair created. Check the rules, then plan it."))
    return see_other(f"/ui/fairs/{created}")


@router.post("/fairs/demo")
def load_demo_fair(page: PageDep, form: Form) -> Response:
    """The bundled demo fair (data/demo/fair.json), as if its description had been sent to POST /fairs."""
    path = page.request.app.state.settings.data_dir / "demo" / "fair.json"
    try:
        body = FairIn.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise PageError(404, "There is no demo fair description on this server.") from exc
    loaded = next((f for f in fair_cases.listing(page.matcher, page.principal) if f["name"] == body.name), None)
    if loaded is not None:  # one demo fair: the button does not make copies
        page.flash(N_("The demo fair is already loaded: here it is."))
        return see_other(f"/ui/fairs/{loaded['id']}")
    created = fair_cases.create(page.matcher, page.principal, body)
    page.flash(N_("Demo fair loaded. Check the rules, then plan it."))
    return see_other(f"/ui/fairs/{created}")


@router.get("/fairs/{fair_id}")
def fair(fair_id: int, page: PageDep) -> Response:
    stored = fair_cases.read(page.matcher, page.principal, fair_id)
    spec = stored["spec"]
    graduates, companies = all_graduates(page), company_names(page)
    names = {g.id: g.name for g in graduates}
    context: dict = {"planned": stored["planned"]}
    if stored["planned"]:
        _, schedule, _ = fair_cases.visible_schedule(page.matcher, page.principal, fair_id, None, None)
        counts = meeting_counts(spec, schedule)
        minimum = spec["rules"]["min_per_candidate"]
        context.update(
            report=schedule["report"], rows=grid(spec, schedule, names, counts), minimum=minimum,
            warnings=fair_messages(schedule["report"], names),
            counts=sorted(counts.items(), key=lambda kv: (kv[1], names.get(kv[0], "").casefold())),
            below=[g for g, n in counts.items() if n < minimum], bars=histogram(counts, minimum),
        )
        context.update(outcome_pairs=fair_pairs(page, fair_id, schedule), today=dt.date.today().isoformat())
    return render(page.request, "fairs/fair.html", page=page, fair=stored, spec=spec, names=names,
                  companies=companies, graduates=graduates, slots=slot_labels(spec),
                  values=form_values(spec, graduates=graduates), **context)


@router.post("/fairs/{fair_id}/rules")
def save_rules(fair_id: int, page: PageDep, form: Form) -> Response:
    """Change who comes and the rules; the old plan is dropped (plan again to see the new one)."""
    page.allow(fair_cases.save_rules)
    stored = fair_cases.read(page.matcher, page.principal, fair_id)
    companies = company_names(page)
    try:
        body = fair_from_form(form, companies, stored["spec"])
        fair_cases.save_rules(page.matcher, page.principal, fair_id, body)
    except FairInputError as exc:
        raise PageError(422, str(exc)) from exc
    except ValidationError as exc:
        raise api_error(exc) from exc
    page.flash(N_("Rules saved. Plan the fair to see the new schedule."))
    return see_other(f"/ui/fairs/{fair_id}")


@router.post("/fairs/{fair_id}/plan")
def plan(fair_id: int, page: PageDep, form: Form) -> Response:
    schedule = fair_cases.plan_schedule(page.matcher, page.principal, fair_id)
    report = schedule["report"]
    page.flash(N_("Meetings planned: %(n)s; every graduate has between %(min)s and %(max)s."),
               n=len(schedule["meetings"]), min=report["meetings_min"], max=report["meetings_max"])
    return see_other(f"/ui/fairs/{fair_id}#schedule")


@router.post("/fairs/{fair_id}/replan")
def replan(fair_id: int, page: PageDep, form: Form) -> Response:
    """After a no-show or a late company: earlier slots stay as held, the rest is planned again."""
    late_company = str(form.get("late_company") or "")
    no_shows = form_ids(form, "no_shows")
    try:
        body = ReplanIn(
            from_slot=form_int(form, "from_slot", 0),
            no_shows=no_shows,
            late_companies={late_company: form_int(form, "late_from", 0)} if late_company else {},
        )
    except ValidationError as exc:
        raise api_error(exc) from exc
    except PageError as exc:
        raise PageError(422, f"Choose the slot to re-plan from ({exc.message}).") from exc
    schedule = fair_cases.replan_schedule(page.matcher, page.principal, fair_id, body)
    page.flash(N_("Re-planned from slot %(slot)s: meetings now %(n)s."), slot=body.from_slot + 1,
               n=len(schedule["meetings"]))
    return see_other(f"/ui/fairs/{fair_id}#schedule")


@router.get("/fairs/{fair_id}/schedule.csv")
def schedule_csv(fair_id: int, page: PageDep) -> Response:
    return attachment(fair_cases.schedule_table(page.matcher, page.principal, fair_id), "text/csv",
                      f"fair-{fair_id}.csv")


@router.get("/fairs/{fair_id}/schedule.ics")
def schedule_ics(fair_id: int, page: PageDep) -> Response:
    return _calendar(page, fair_id)


def _calendar(page: Page, fair_id: int) -> Response:
    return attachment(fair_cases.schedule_calendar(page.matcher, page.principal, fair_id), "text/calendar",
                      f"fair-{fair_id}.ics")


@router.get("/schedule")
def my_schedule(page: PageDep) -> Response:
    """A graduate's or a company's own meetings at the organisation's planned fairs."""
    page.allow(fair_cases.visible_schedule)
    fairs = []
    for fair_id, name in fair_cases.planned(page.matcher, page.principal):
        _, mine, _ = fair_cases.visible_schedule(page.matcher, page.principal, fair_id, None, None)
        meetings = [{**m, "when": when(m["start"], m["end"])} for m in sorted(mine["meetings"], key=lambda m: m["slot"])]
        if meetings:
            fairs.append({"id": fair_id, "name": name, "meetings": meetings, "timezone": mine["timezone"]})
    return render(page.request, "fairs/mine.html", page=page, fairs=fairs)


@router.get("/schedule/{fair_id}.ics")
def my_schedule_ics(fair_id: int, page: PageDep) -> Response:
    return _calendar(page, fair_id)
