"""The fair rules form (service/web/fair_form.py)."""

from __future__ import annotations

import re

from tests.service.web.helpers import ids_of, post_form


def test_a_fair_from_the_rules_form_plans_and_refuses_contradictions(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    page = coordinator.get("/ui/fairs").text
    companies = re.findall(r'name="attend_(\d+)"> <bdi dir="auto">([^<]+)</bdi>', page)
    chosen = {i for i, name in companies if name in ("Sol Digital SL", "Mar Tech Barcelona")}
    ids = ids_of(app_client, tokens["coordinator"], "candidates")
    form = {"name": "Small fair", "date": "2026-12-10", "start": "09:30", "slot_count": "3", "slot_minutes": "15",
            "timezone": "Europe/Madrid", "min_per_candidate": "1", "max_per_candidate": "2",
            "graduates": [str(ids[g]) for g in ("g001", "g002", "g003", "g005")],
            **{f"attend_{i}": "on" for i in chosen}, **{f"seats_{i}": "1" for i in chosen}}
    contradiction = post_form(coordinator, "/ui/fairs", "/ui/fairs", {**form, "min_per_candidate": "3"})
    assert contradiction.status_code == 422
    assert "min_per_candidate must not exceed max_per_candidate" in contradiction.text
    assert 'value="Small fair"' in contradiction.text  # what was typed is still there
    created = post_form(coordinator, "/ui/fairs", "/ui/fairs", form)
    assert created.status_code == 303
    fair = created.headers["location"]
    assert post_form(coordinator, fair, fair + "/plan", {}).status_code == 303
    planned = coordinator.get(fair).text
    assert planned.count('<th scope="row">') == 3 and "09:30–09:45" in planned
    counts = planned.split('id="counts"')[1].split("</table>")[0]
    assert counts.count("<tr") == 1 + 4  # header and the four graduates invited
