"""Drafts from documents through the real app (service/api/intake.py): PDF, DOCX and text in
en/es/ar/uk, a two-column PDF, a scan, a password-protected and a corrupt file, limits and roles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings
from tests.conftest import auth
from tests.pdf_maker import image_only_pdf, lines_pdf, text_pdf, two_column_pdf
from tests.service.helpers import docx_bytes


def upload(client: TestClient, path: str, name: str, data: bytes, **kw) -> dict:
    response = client.post(path, files={"file": (name, data)}, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def skills(draft: dict) -> set[str]:
    return {s["name"] for s in draft["skills"]}


def test_english_pdf_cv(client: TestClient) -> None:
    pdf = lines_pdf(["Amina Haddad", "Junior backend developer", "Barcelona - github.com/aminah",
                     "Skills", "- Python, Django, postgres, Docker", "Languages",
                     "Arabic (native)", "English B2", "Spanish: intermediate"])
    out = upload(client, "/candidates:draft", "cv.pdf", pdf)
    draft = out["draft"]
    assert out["source"] == {"format": "pdf", "pages": 1, "characters": len(out["text"])}
    assert {"Python", "Django", "PostgreSQL", "Docker"} <= set(draft["skills"])
    assert draft["languages"] == {"ar": "C2", "en": "B2", "es": "B1"}
    assert draft["name"] == "Amina Haddad" and draft["location"] == "Barcelona"
    assert draft["headline"] == "Junior backend developer"
    assert [link["url"] for link in out["links"]] == ["github.com/aminah"]
    postgres = next(s for s in out["skills"] if s["name"] == "PostgreSQL")
    assert out["text"][postgres["start"]:postgres["end"]] == "postgres"  # the span is the text read
    assert postgres["concept"]["label"] == "PostgreSQL" and postgres["section"] == "skills"
    assert 0 < out["fields"]["languages"]["confidence"] <= 1
    # the draft, with what it says is missing, is a valid profile for POST /candidates
    assert out["missing"] == []
    created = client.post("/candidates", json=draft)
    assert created.status_code == 201, created.text


def test_spanish_docx_cv(client: TestClient) -> None:
    data = docx_bytes(["Lucía Pérez", "Desarrolladora frontend", "Ubicación: Madrid", "Habilidades",
                       "JavaScript, React, HTML y CSS", "Idiomas", "Español nativo", "Inglés intermedio",
                       "Francés básico"])
    draft = upload(client, "/candidates:draft", "cv.docx", data)["draft"]
    assert {"JavaScript", "React", "HTML", "CSS"} <= set(draft["skills"])
    assert draft["languages"] == {"es": "C2", "en": "B1", "fr": "A2"}
    assert draft["location"] == "Madrid"


def test_arabic_text_cv(client: TestClient) -> None:
    text = ("سارة أحمد\nمطورة ويب\nالمهارات\nجافا سكريبت، بايثون، SQL\n"
            "اللغات\nالعربية: اللغة الأم\nالإنجليزية: متوسط\nالإسبانية B1\n")
    out = upload(client, "/candidates:draft", "cv.txt", text.encode("utf-8"))
    assert out["draft"]["languages"] == {"ar": "C2", "en": "B1", "es": "B1"}
    concepts = {s["concept"]["label"] for s in out["skills"] if s["concept"]}
    assert {"JavaScript", "SQL"} <= concepts and any("Python" in c for c in concepts)
    assert out["text_language"] == "ar"


def test_ukrainian_docx_cv_and_table(client: TestClient) -> None:
    data = docx_bytes(["Олена Коваль", "Junior QA engineer", "Навички", "Python, Selenium, SQL, Git"],
                      table=[["Мова", "Рівень"], ["Українська", "рідна"], ["Англійська", "B2"],
                             ["Німецька", "базовий"]])
    out = upload(client, "/candidates:draft", "cv.docx", data)
    assert out["draft"]["languages"] == {"uk": "C2", "en": "B2", "de": "A2"}
    assert {"Python", "SQL", "Git"} <= skills(out)


def test_two_column_pdf_reads_each_column(client: TestClient) -> None:
    pdf = two_column_pdf(["Karim Haddad - Backend developer, Zagreb", "Skills", "Python", "Django", "Git",
                          "Projects", "- Booking app for a food bank"],
                         ["", "Languages", "Arabic native", "English C1", "Croatian A2", "", ""])
    out = upload(client, "/candidates:draft", "cv.pdf", pdf)
    assert out["draft"]["languages"] == {"ar": "C2", "en": "C1", "hr": "A2"}
    assert {"Python", "Django", "Git"} <= set(out["draft"]["skills"])
    assert out["draft"]["location"] == "Zagreb"
    assert out["draft"]["projects"] == ["Booking app for a food bank"]


@pytest.mark.parametrize(("name", "data", "says"), [
    ("scan.pdf", image_only_pdf(), "no text found; upload a text PDF or DOCX, or paste the text"),
    ("locked.pdf", text_pdf([[(50, 800, "Python developer with many skills and languages")]], encrypt=True),
     "encrypted"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "cannot be read"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "cannot be read"),
    ("empty.txt", b"   \n", "empty"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "no text found"),
])
def test_unreadable_documents_are_422(client: TestClient, name: str, data: bytes, says: str) -> None:
    response = client.post("/candidates:draft", files={"file": (name, data)})
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"]


def test_posting_draft_from_json_text_as_company(client: TestClient, tokens: dict[str, str]) -> None:
    ad = ("Python Backend Trainee\nLocation: Barcelona (remote possible: fully remote)\n"
          "We build booking platforms.\nRequirements\n- Python and Django\n- SQL\n- English B1\n"
          "Nice to have\n- Docker\n- AWS\nStart date: 10 January 2027\n")
    response = client.post("/postings:draft", json={"text": ad}, headers=auth(tokens["company"]))
    assert response.status_code == 200, response.text
    out = response.json()
    draft = out["draft"]
    assert draft["title"] == "Python Backend Trainee" and draft["kind"] == "traineeship"
    assert {"Python", "Django", "SQL"} <= set(draft["required_skills"])
    assert set(draft["nice_skills"]) == {"Docker", "AWS"}
    assert draft["languages"] == {"en": "B1"} and draft["starts_on"] == "2027-01-10"
    assert draft["company"] == "Sol Digital SL" and draft["remote"] is True  # the token's company
    created = client.post("/postings", json=draft, headers=auth(tokens["company"]))
    assert created.status_code == 201, created.text


def test_spanish_posting_form_text(client: TestClient) -> None:
    ad = ("Desarrollador/a frontend en prácticas\nEmpresa: Sol Digital SL\nUbicación: Valencia\n"
          "Requisitos\n- JavaScript, React\n- Inglés B2\nSe valora\n- TypeScript\n"
          "Incorporación: 01/02/2027\n")
    out = client.post("/postings:draft", data={"text": ad}).json()
    assert out["draft"]["kind"] == "internship" and out["draft"]["location"] == "Valencia"
    assert {"JavaScript", "React"} <= set(out["draft"]["required_skills"])
    assert out["draft"]["nice_skills"] == ["TypeScript"] and out["draft"]["languages"] == {"en": "B2"}
    assert out["draft"]["starts_on"] == "2027-02-01"
    assert [s["required"] for s in out["skills"] if s["name"] == "TypeScript"] == [False]


def test_roles_are_those_that_create(client: TestClient, tokens: dict[str, str]) -> None:
    text = {"text": "Skills: Python, SQL, Git and more text to read here"}
    assert client.post("/candidates:draft", json=text, headers=auth(tokens["company"])).status_code == 403
    assert client.post("/candidates:draft", json=text, headers=auth(tokens["graduate"])).status_code == 403
    assert client.post("/postings:draft", json=text, headers=auth(tokens["graduate"])).status_code == 403
    assert client.post("/candidates:draft", json=text, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_bad_bodies_are_422(client: TestClient) -> None:
    assert client.post("/candidates:draft", json={"txt": "x"}).status_code == 422
    assert client.post("/candidates:draft", json=["x"]).status_code == 422
    assert client.post("/candidates:draft", data={}).status_code == 422
    both = client.post("/candidates:draft", data={"text": "Python"}, files={"file": ("a.txt", b"Python SQL")})
    assert both.status_code == 422


def test_upload_limit_applies_to_drafts(settings: Settings, tokens: dict[str, str]) -> None:
    from service.app import create_app

    small = settings.model_copy(update={"max_upload_bytes": 50_000, "max_body_bytes": 1_000})
    with TestClient(create_app(small), headers=auth(tokens["coordinator"])) as client:
        cv = lines_pdf(["Amina Haddad", "Skills: Python, Django"] + ["Built things with Python"] * 30)
        assert 1_000 < len(cv) < 50_000
        assert client.post("/candidates:draft", files={"file": ("cv.pdf", cv)}).status_code == 200
        big = client.post("/candidates:draft", files={"file": ("cv.txt", b"Python " * 10_000)})
        assert big.status_code == 413


def test_long_texts_are_bounded(client: TestClient) -> None:
    too_long = client.post("/postings:draft", json={"text": "Python developer. " * 12_000})
    assert too_long.status_code == 422 and "characters" in too_long.json()["detail"]
    many = "Skills\n" + "\n".join(f"- skill number {i}, Python" for i in range(2_000))
    answer = client.post("/candidates:draft", json={"text": many})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["draft"]["skills"]) <= 100  # the schema's MAX_SKILLS
