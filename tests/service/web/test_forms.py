"""Form parsing (service/web/forms.py): ids that only look like digits are refused."""

from __future__ import annotations

import re

from tests.service.web.helpers import ids_of, post_form


def test_forms_refuse_ids_that_only_look_like_digits(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    ids = ids_of(app_client, tokens["coordinator"], "candidates")
    posts = ids_of(app_client, tokens["coordinator"], "postings")
    page = coordinator.get("/ui/fairs").text
    chosen = [i for i, name in re.findall(r'name="attend_(\d+)"> <bdi dir="auto">([^<]+)</bdi>', page)
              if name == "Sol Digital SL"]
    form = {"name": "Small fair", "date": "2026-12-10", "start": "09:30", "slot_count": "2", "slot_minutes": "15",
            "timezone": "Europe/Madrid", "min_per_candidate": "1", "max_per_candidate": "1",
            **{f"attend_{i}": "on" for i in chosen}}
    for bad in ("²", "٣", "9" * 5000):
        fair = post_form(coordinator, "/ui/fairs", "/ui/fairs", {**form, "graduates": [str(ids["g001"]), bad]})
        assert fair.status_code == 422 and "graduates" in fair.text and "is not an id" in fair.text
        placed = post_form(coordinator, "/ui/placements", "/ui/placements",
                       {"graduates": [str(ids["g001"])], "postings": [str(posts["p001"]), bad]})
        assert placed.status_code == 422 and "postings" in placed.text and "is not an id" in placed.text
        replan = post_form(coordinator, "/ui/fairs/1", "/ui/fairs/1/replan", {"from_slot": "1", "no_shows": [bad]})
        assert replan.status_code == 422 and "no_shows" in replan.text and "is not an id" in replan.text
        assert len(fair.text) < 200_000
    name = post_form(coordinator, "/ui/fairs", "/ui/fairs", {**form, "name": "Fair\rX", "graduates": [str(ids["g001"])]})
    assert name.status_code == 422 and "control character" in name.text
    created = post_form(coordinator, "/ui/fairs", "/ui/fairs", {**form, "graduates": [str(ids["g001"])]})
    assert created.status_code == 303
