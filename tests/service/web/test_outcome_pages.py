"""Outcomes on the pages: a company records and sees only its own; a fair shows each pair's latest outcome."""

from __future__ import annotations

import datetime as dt
import re

from tests.conftest import auth
from tests.service.web.conftest import csrf_of

TODAY = dt.date.today().isoformat()


def _post(client, page: str, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": csrf_of(client.get(page).text)}, follow_redirects=False)


def test_a_company_records_outcomes_of_its_own_postings_only(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    company, other = as_role("company"), as_role("other_company")
    posting = int(re.search(r'href="/ui/postings/(\d+)"', company.get("/ui/postings").text).group(1))  # type: ignore[union-attr]
    page = company.get(f"/ui/postings/{posting}").text
    first = int(re.search(r'id="c(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert f'id="outcomes-{first}"' in page and f'action="/ui/postings/{posting}/outcomes"' in page
    done = _post(company, f"/ui/postings/{posting}", f"/ui/postings/{posting}/outcomes",
                 {"graduate_id": first, "event": "interviewed", "date": "2026-11-30"})
    assert done.status_code == 303 and done.headers["location"] == f"/ui/postings/{posting}#c{first}"
    stored = app_client.get("/outcomes", params={"posting_id": posting}, headers=auth(tokens["company"])).json()
    assert [(o["graduate_id"], o["event"], o["recorded_by"]) for o in stored["items"]] == [(first, "interviewed", "company")]
    block = re.search(rf'id="outcomes-{first}">(.*?)</p>', company.get(f"/ui/postings/{posting}").text, re.DOTALL)
    assert block and "interviewed (2026-11-30)" in block.group(1)

    # the other company: neither records on this posting nor sees what was recorded
    assert other.get(f"/ui/postings/{posting}").status_code == 404
    refused = _post(other, "/ui/postings", f"/ui/postings/{posting}/outcomes",
                    {"graduate_id": first, "event": "hired", "date": TODAY})
    assert refused.status_code == 404
    assert app_client.get("/outcomes", headers=auth(tokens["other_company"])).json()["total"] == 0
    bad = _post(company, f"/ui/postings/{posting}", f"/ui/postings/{posting}/outcomes",
                {"graduate_id": first, "event": "married", "date": TODAY})
    assert bad.status_code == 422
    assert as_role("graduate").post(f"/ui/postings/{posting}/outcomes", data={}).status_code in (403, 422)


def test_the_fair_page_shows_each_pairs_latest_outcome_and_records_one(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    coordinator = as_role("coordinator")
    assert _post(coordinator, "/ui/fairs", "/ui/fairs/demo", {}).status_code == 303
    fair = re.search(r'href="/ui/fairs/(\d+)"', coordinator.get("/ui/fairs").text).group(1)  # type: ignore[union-attr]
    assert _post(coordinator, f"/ui/fairs/{fair}", f"/ui/fairs/{fair}/plan", {}).status_code == 303
    page = coordinator.get(f"/ui/fairs/{fair}").text
    meetings = app_client.get(f"/fairs/{fair}/schedule", headers=auth(tokens["coordinator"])).json()["meetings"]
    rows = re.findall(r'<td class="latest">', page)
    assert len(rows) == len({(m["graduate_id"], m["company"]) for m in meetings}) > 0
    form = re.search(r'action="/ui/fairs/\d+/outcomes".*?<select name="pair"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert form, "no outcome form on the fair page"
    assert page.count('class="outcome-form"') == 1
    choices = re.findall(r'<option value="(\d+-\d+)">', form.group(1))
    assert len(choices) == len(rows)  # every scheduled pair can be chosen, in one form
    pair = choices[0]
    for event, day in (("interviewed", "2026-11-20"), ("offer", "2026-11-28")):
        done = _post(coordinator, f"/ui/fairs/{fair}", f"/ui/fairs/{fair}/outcomes",
                     {"pair": pair, "event": event, "date": day})
        assert done.status_code == 303 and done.headers["location"].endswith("#outcomes")
    page = coordinator.get(f"/ui/fairs/{fair}").text
    latest = re.findall(r'<td class="latest">([^<]*)</td>', page)
    assert latest.count("offer (2026-11-28)") == 1 and not any("interviewed (2026-11-20)" in c for c in latest)
    stored = app_client.get("/outcomes", params={"fair_id": fair}, headers=auth(tokens["coordinator"])).json()
    assert [o["event"] for o in stored["items"]] == ["interviewed", "offer"]
    assert {o["recorded_by"] for o in stored["items"]} == {"coordinator"}
