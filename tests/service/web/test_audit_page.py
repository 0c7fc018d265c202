"""The exposure audit page and its CSV: coordinators only, small groups withheld, an accessible chart."""

from __future__ import annotations

import re

from tests.conftest import auth
from tests.service.web.conftest import csrf_of


def _demo_fair(coordinator) -> str:  # type: ignore[no-untyped-def]
    csrf = csrf_of(coordinator.get("/ui/fairs").text)
    assert coordinator.post("/ui/fairs/demo", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    return re.search(r'href="/ui/fairs/(\d+)"', coordinator.get("/ui/fairs").text).group(1)  # type: ignore[union-attr]


def _nationalities(app_client, token: str, fair: str) -> None:  # type: ignore[no-untyped-def]
    """Every graduate of the fair one nationality but two, each alone in theirs: merged, "other" has 2 people."""
    graduates = app_client.get(f"/fairs/{fair}", headers=auth(token)).json()["spec"]["graduates"]
    for i, gid in enumerate(graduates):
        body = {k: v for k, v in app_client.get(f"/candidates/{gid}", headers=auth(token)).json().items() if k != "id"}
        body["nationality"] = {0: "Atlantean", 1: "Lemurian"}.get(i, "Syrian")
        assert app_client.put(f"/candidates/{gid}", json=body, headers=auth(token)).status_code == 200


def test_the_audit_pages_show_groups_chart_and_csv_to_coordinators_only(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator, company, graduate = as_role("coordinator"), as_role("company"), as_role("graduate")
    fair = _demo_fair(coordinator)
    assert f'href="/ui/fairs/{fair}/audit"' in coordinator.get(f"/ui/fairs/{fair}").text
    for url in (f"/ui/fairs/{fair}/audit", f"/ui/fairs/{fair}/audit.csv", "/ui/audit", "/ui/audit.csv"):
        for other in (company, graduate):
            assert other.get(url).status_code in (403, 404), url
            assert "origin" not in other.get(url).text.lower() or other.get(url).status_code == 403

    _nationalities(app_client, tokens["coordinator"], fair)
    api = app_client.get(f"/fairs/{fair}/audit", params={"field": "nationality"},
                         headers=auth(tokens["coordinator"])).json()
    page = coordinator.get(f"/ui/fairs/{fair}/audit", params={"field": "nationality"})
    assert page.status_code == 200
    assert '<svg class="chart" id="audit-chart"' in page.text and '<title id="audit-chart-t">' in page.text
    assert '<desc id="audit-chart-d">' in page.text and '<table id="audit-table">' in page.text
    rows = re.findall(r'<tr><td class="user-text" dir="auto">([^<]+)</td><td>(\d+)</td>', page.text)
    assert [(g, int(n)) for g, n in rows] == [(g["group"], g["people"]) for g in api["groups"]]
    assert all(n >= 5 for _, n in [(g, int(n)) for g, n in rows])
    assert api["suppressed"] == ["other"] and [g["group"] for g in api["groups"]] == ["Syrian"]
    withheld = re.search(r'id="audit-suppressed">[^<]*', page.text)
    assert withheld and all(g in withheld.group(0) for g in api["suppressed"])
    assert not any(g in api["suppressed"] for g, _ in rows)  # a withheld group has no row
    assert "Atlantean" not in page.text and "Lemurian" not in page.text

    csv = coordinator.get(f"/ui/fairs/{fair}/audit.csv", params={"field": "nationality"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("group,people,") and "suppressed," in csv.text
    assert csv.text == app_client.get(f"/fairs/{fair}/audit.csv", params={"field": "nationality"},
                                      headers=auth(tokens["coordinator"])).text

    lists = coordinator.get("/ui/audit", params={"field": "origin", "k": 5})
    assert lists.status_code == 200 and "skew@5" in lists.text and 'id="audit-table"' in lists.text
    assert coordinator.get("/ui/audit.csv").text.startswith("group,people,")
    assert coordinator.get("/ui/audit", params={"field": "religion"}).status_code == 422
