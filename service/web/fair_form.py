"""The fair's rules form: HTML fields to the API's `FairIn`, and a stored fair back to fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from starlette.datastructures import FormData

from service.fair_specs import FairIn, parse_id, shown
from service.web.page import PageError

_WHOLE = re.compile(r"-?[0-9]{1,9}")  # ASCII digits only: int() would also read '٣' or '1_0'


def form_int(form: FormData, name: str, default: int) -> int:
    """A small whole number from a form field; empty gives `default`, anything else a 422 naming it."""
    raw = str(form.get(name) or "").strip()
    if not raw:
        return default
    if not _WHOLE.fullmatch(raw):
        raise PageError(422, f"{name.replace('_', ' ')}: {shown(raw)} is not a whole number")
    return int(raw)


def form_ids(form: FormData, name: str) -> list[int]:
    """The record ids ticked in a list of checkboxes, in order; a value that is no id is a 422."""
    ids = []
    for value in form.getlist(name):
        rid = parse_id(str(value))
        if rid is None:
            raise PageError(422, f"{name}: {shown(value)} is not an id; choose from the list on the page")
        ids.append(rid)
    return ids


def ids_as_sent(form: FormData, name: str) -> set[int]:
    """Ids to tick again next to an error: what can be read, without refusing the rest."""
    return {rid for value in form.getlist(name) if (rid := parse_id(str(value))) is not None}


def fair_from_form(form: FormData, companies: list[str], base: dict | None = None) -> FairIn:
    """A fair description from the rules form; pairs and posting lists of `base` are kept.

    Raises:
        PageError: a field is not a number, an id or a date.
        ValidationError: the API's own checks (min ≤ max, distinct slots, …).
    """
    base = base or {}
    try:
        day = dt.date.fromisoformat(str(form.get("date") or ""))
        start = dt.time.fromisoformat(str(form.get("start") or ""))
    except ValueError as exc:
        raise PageError(422, "date and first slot: give a date (YYYY-MM-DD) and a time (HH:MM)") from exc
    count = form_int(form, "slot_count", 8)
    minutes = form_int(form, "slot_minutes", 20)
    if not 1 <= count <= 200:
        raise PageError(422, "slots: between 1 and 200")
    first = dt.datetime.combine(day, start)
    old_companies = {c["company"]: c for c in base.get("companies", [])}
    chosen = []
    for i, name in enumerate(companies):
        if form.get(f"attend_{i}") != "on":
            continue
        entry: dict[str, Any] = {"company": name, "seats_per_slot": form_int(form, f"seats_{i}", 1)}
        max_total = str(form.get(f"max_{i}") or "").strip()
        if max_total:
            entry["max_total"] = form_int(form, f"max_{i}", 0)
        if name in old_companies and old_companies[name].get("posting_ids") is not None:
            entry["posting_ids"] = old_companies[name]["posting_ids"]
        chosen.append(entry)
    rules = dict(base.get("rules", {}))
    rules.update(
        min_per_candidate=form_int(form, "min_per_candidate", 2),
        max_per_candidate=form_int(form, "max_per_candidate", 4),
        shortlists_required=form.get("shortlists_required") == "on",
    )
    names = {c["company"] for c in chosen}
    for key in ("blocked", "required", "company_unavailable"):
        index = 1 if key != "company_unavailable" else 0
        rules[key] = [pair for pair in rules.get(key, []) if pair[index] in names]
    graduates = form_ids(form, "graduates")
    chosen_grads = set(graduates)
    for key in ("blocked", "required", "graduate_unavailable"):
        rules[key] = [pair for pair in rules.get(key, []) if int(pair[0]) in chosen_grads]
    return FairIn.model_validate({
        "name": str(form.get("name") or "").strip(),
        "timezone": str(form.get("timezone") or "Europe/Madrid").strip(),
        "slots": [first + dt.timedelta(minutes=minutes * i) for i in range(count)],
        "slot_minutes": minutes,
        "graduates": graduates,
        "companies": chosen,
        "rules": rules,
        "place": str(form.get("place") or "").strip(),
        "link": str(form.get("link") or "").strip(),
        "message": str(form.get("message") or "").strip(),
    })


def form_values(spec: dict | None, *, graduates: list) -> dict:
    """Field values for a stored fair, or defaults for a new one (every consenting graduate)."""
    if spec is None:
        return {
            "name": "", "timezone": "Europe/Madrid", "date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "start": "10:00", "slot_count": 8, "slot_minutes": 20, "min_per_candidate": 2, "max_per_candidate": 4,
            "shortlists_required": True, "graduates": {g.id for g in graduates if g.visible_to_companies},
            "companies": {}, "place": "", "link": "", "message": "",
        }
    first = dt.datetime.fromisoformat(spec["slots"][0])
    rules = spec.get("rules", {})
    return {
        "name": spec["name"], "timezone": spec.get("timezone", "Europe/Madrid"), "date": first.date().isoformat(),
        "start": first.strftime("%H:%M"), "slot_count": len(spec["slots"]), "slot_minutes": spec.get("slot_minutes", 20),
        "min_per_candidate": rules.get("min_per_candidate", 2), "max_per_candidate": rules.get("max_per_candidate", 4),
        "shortlists_required": rules.get("shortlists_required", True),
        "graduates": {int(g) for g in spec["graduates"]},
        "companies": {c["company"]: c for c in spec["companies"]},
        "required": len(rules.get("required", [])), "blocked": len(rules.get("blocked", [])),
        "place": spec.get("place", ""), "link": spec.get("link", ""), "message": spec.get("message", ""),
    }


def submitted_values(form: FormData, companies: list[str]) -> dict:
    """The rules form as sent, to show again next to an error."""
    return {
        **{k: v for k, v in form.items() if isinstance(v, str)},
        "graduates": ids_as_sent(form, "graduates"),
        "companies": {name: {"seats_per_slot": form.get(f"seats_{i}") or 1, "max_total": form.get(f"max_{i}") or None}
                      for i, name in enumerate(companies) if form.get(f"attend_{i}") == "on"},
        "shortlists_required": form.get("shortlists_required") == "on",
    }
