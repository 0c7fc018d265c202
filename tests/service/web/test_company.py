"""The company's pages (service/web/company.py): the work, not the person, until an interview is accepted."""

from __future__ import annotations

import re

from tests.conftest import auth
from tests.service.web.helpers import ids_of, post_form


def test_company_sees_the_work_not_the_person_until_an_interview_is_accepted(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    people = app_client.get("/candidates", params={"limit": 500}, headers=auth(tokens["coordinator"])).json()
    names = [p["name"] for p in people["items"]]
    karim = next(p["id"] for p in people["items"] if p["external_id"] == "g001")
    posting = ids_of(app_client, tokens["coordinator"], "postings")["p001"]
    company = as_role("company")
    page = company.get(f"/ui/postings/{posting}").text
    assert f'id="c{karim}"' in page and "Blind view" in page
    assert not [n for n in names if n in page]
    assert "Show names" not in page  # only coordinators may lift the blind view
    coordinator_page = as_role("coordinator").get(f"/ui/postings/{posting}").text
    assert not [n for n in names if n in coordinator_page]  # blind by default for coordinators too

    shortlisted = post_form(company, f"/ui/postings/{posting}", f"/ui/postings/{posting}/shortlist", {"candidate_id": karim})
    assert shortlisted.status_code == 303
    assert "shortlisted" in company.get(f"/ui/postings/{posting}").text
    graduate = as_role("graduate")
    matches = graduate.get("/ui/me/matches").text
    assert "Interview invitations" in matches and "Python Backend Trainee" in matches
    interview = re.search(r'action="/ui/me/interviews/(\d+)/accept"', matches).group(1)  # type: ignore[union-attr]
    assert post_form(graduate, "/ui/me/matches", f"/ui/me/interviews/{interview}/accept", {}).status_code == 303
    assert "Karim Haddad" in company.get(f"/ui/postings/{posting}").text
