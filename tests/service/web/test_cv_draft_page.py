"""“Start from my CV”: a graduate drafts their own profile from their CV (API and page), reviews it,
and only saving it changes the stored profile; any other graduate's id is refused with 403."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.pdf_maker import image_only_pdf, lines_pdf
from tests.service.web.conftest import csrf_of

CV = ["Amina Haddad", "Junior backend developer", "Barcelona", "Skills", "- Python, Django, PostgreSQL, Docker",
      "Languages", "- Arabic native", "- English B2"]


def _ids(client: TestClient) -> tuple[int, int]:
    ids = ids_by_external(client, "candidates")
    return ids["g001"], ids["g002"]


def test_graduate_drafts_only_their_own_profile_over_the_api(client: TestClient, tokens: dict[str, str]) -> None:
    own, other = _ids(client)
    before = client.get(f"/candidates/{own}").json()
    graduate = auth(tokens["graduate"])
    pdf = lines_pdf(CV)
    answer = client.post(f"/candidates/{own}:draft", files={"file": ("cv.pdf", pdf, "application/pdf")},
                         headers=graduate)
    assert answer.status_code == 200, answer.text
    draft = answer.json()["draft"]
    assert {"Python", "Django", "PostgreSQL", "Docker"} <= set(draft["skills"])
    assert draft["languages"] == {"ar": "C2", "en": "B2"} and draft["location"] == "Barcelona"
    assert client.get(f"/candidates/{own}").json() == before  # nothing saved
    refused = client.post(f"/candidates/{other}:draft", json={"text": "\n".join(CV)}, headers=graduate)
    assert refused.status_code == 403 and "own profile" in refused.json()["detail"]
    assert client.post("/candidates/999999:draft", json={"text": "\n".join(CV)},
                       headers=graduate).status_code == 403  # whether the id exists is not told
    assert client.post("/candidates:draft", json={"text": "\n".join(CV)}, headers=graduate).status_code == 403
    other_org = client.post(f"/candidates/{own}:draft", json={"text": "\n".join(CV)},
                            headers=auth(tokens["other_coordinator"]))
    assert other_org.status_code == 404
    assert client.post(f"/candidates/{own}:draft", json={"text": "\n".join(CV)}).status_code == 200  # coordinator
    assert client.post(f"/candidates/{own}:draft", files={"file": ("scan.pdf", image_only_pdf())},
                       headers=graduate).status_code == 422


def test_start_from_my_cv_fills_the_profile_form_and_saves_only_when_confirmed(  # type: ignore[no-untyped-def]
        as_role, app_client, tokens) -> None:
    coordinator = auth(tokens["coordinator"])
    own, other = _ids(TestClient(app_client.app, headers=coordinator))
    graduate = as_role("graduate")
    page = graduate.get("/ui/me")
    assert page.status_code == 200 and "Start from my CV" in page.text and 'action="/ui/me:draft"' in page.text
    before = app_client.get(f"/candidates/{own}", headers=coordinator).json()
    filled = graduate.post("/ui/me:draft", data={"csrf_token": csrf_of(page.text)},
                           files={"file": ("cv.pdf", lines_pdf(CV), "application/pdf")})
    assert filled.status_code == 200, filled.text
    assert "Nothing is saved yet" in filled.text and 'value="Barcelona"' in filled.text
    assert 'value="Docker"' in filled.text and 'value="Junior backend developer"' in filled.text
    assert app_client.get(f"/candidates/{own}", headers=coordinator).json() == before
    # the graduate confirms: the form as filled in is posted to the normal save
    form = {"csrf_token": csrf_of(filled.text), "name": "Amina Haddad", "headline": "Junior backend developer",
            "location": "Barcelona", "skill": ["Python", "Django", "Docker"], "kinds": before["kinds"] or ["job"],
            "visible_to_companies": "on"}
    saved = graduate.post("/ui/me", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    after = app_client.get(f"/candidates/{own}", headers=coordinator).json()
    assert after["location"] == "Barcelona" and "Docker" in after["skills"]
    # not for another graduate, whatever the path
    refused = graduate.post(f"/ui/graduates/{other}/edit:draft", data={"csrf_token": csrf_of(page.text),
                                                                        "text": "\n".join(CV)})
    assert refused.status_code == 403
    empty = graduate.post("/ui/me:draft", data={"csrf_token": csrf_of(page.text)})
    assert empty.status_code == 422 and "paste its text" in empty.text
