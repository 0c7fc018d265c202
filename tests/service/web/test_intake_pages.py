"""“Start from a job ad” on the new-posting page: the form comes back filled in, nothing saved."""

from __future__ import annotations

from tests.conftest import auth
from tests.pdf_maker import image_only_pdf, lines_pdf
from tests.service.web.conftest import csrf_of


def test_new_posting_form_filled_from_a_job_ad(as_role, app_client, tokens):  # type: ignore[no-untyped-def]
    company = as_role("company")
    page = company.get("/ui/postings/new")
    assert "Start from a job ad" in page.text
    before = app_client.get("/postings", headers=auth(tokens["company"])).json()["total"]
    ad = lines_pdf(["React Frontend Intern", "Location: Madrid", "Requirements", "- JavaScript, React",
                    "- English B2", "Nice to have", "- TypeScript"])
    filled = company.post("/ui/postings/new:draft", data={"csrf_token": csrf_of(page.text)},
                          files={"file": ("ad.pdf", ad, "application/pdf")})
    assert filled.status_code == 200, filled.text
    assert 'value="React Frontend Intern"' in filled.text and 'value="Madrid"' in filled.text
    assert 'value="TypeScript"' in filled.text and "Nothing is saved yet" in filled.text
    assert '<option value="internship" selected>' in filled.text
    assert app_client.get("/postings", headers=auth(tokens["company"])).json()["total"] == before
    scan = company.post("/ui/postings/new:draft", data={"csrf_token": csrf_of(page.text)},
                        files={"file": ("scan.pdf", image_only_pdf(), "application/pdf")})
    assert scan.status_code == 422 and "no text found" in scan.text
    graduate = as_role("graduate")
    refused = graduate.post("/ui/postings/new:draft", data={"csrf_token": csrf_of(graduate.get("/ui/me").text),
                                                             "text": "Python developer wanted, SQL"})
    assert refused.status_code == 403
