"""The fair pages (service/web/fair_pages.py): the demo fair button."""

from __future__ import annotations

from tests.conftest import auth
from tests.service.web.helpers import post_form


def test_the_demo_fair_button_does_not_load_it_twice(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    before = app_client.get("/fairs", headers=auth(tokens["coordinator"])).json()
    assert [f["name"] for f in before].count("Barcelona tech job fair (demo)") == 1  # loaded with the demo
    answer = post_form(coordinator, "/ui/fairs", "/ui/fairs/demo", {})
    assert answer.status_code == 303 and answer.headers["location"] == f"/ui/fairs/{before[0]['id']}"
    assert app_client.get("/fairs", headers=auth(tokens["coordinator"])).json() == before
    assert "already loaded" in coordinator.get(answer.headers["location"]).text
