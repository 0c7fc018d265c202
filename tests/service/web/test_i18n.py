"""The pages in the graduates' languages: complete catalogues, pages without English left in them,
right-to-left Arabic, the picker and its cookie, and language codes checked by name."""

from __future__ import annotations

import html
import re

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from service.web.catalogue import extract_messages
from service.web.i18n import SOURCE, UI_LANGUAGES, catalogue_path, language_of, translations
from tests.service.web.conftest import csrf_of

TRANSLATED = [lang for lang in UI_LANGUAGES if lang != SOURCE]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Strings that are the same in some languages by nature (a word borrowed, a name).
SAME_ANYWHERE = {"Error", "Principal", "Titular", "Idioma", "Nom", "Language %(n)s"}


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def test_babel_extracts_the_page_strings_from_templates_and_page_code() -> None:
    found = extract_messages()
    assert "What to learn next" in found and any(p.startswith("graduate/matches.html:") for p in found["What to learn next"])
    assert "My profile" in found and any(p.startswith("service/web/page.py:") for p in found["My profile"])
    assert "You can handle most work conversations." in found  # the CEFR help
    assert len(found) > 100


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalogue_translates_every_msgid_and_keeps_its_placeholders(lang: str) -> None:
    catalogue = _catalogue(lang)
    strings = {m.id: m.string for m in catalogue if m.id}
    missing = sorted(set(extract_messages()) - {k for k, v in strings.items() if v})
    assert not missing, f"{lang}: {len(missing)} msgids without a translation, e.g. {missing[:5]}"
    for msgid, msgstr in strings.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (lang, msgid, msgstr)
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_is_the_po_file(lang: str) -> None:
    assert translations(lang).gettext("What to learn next") == _catalogue(lang).get("What to learn next").string


def test_the_language_comes_from_the_cookie_then_accept_language_then_english(app_client: TestClient) -> None:
    class Req:
        def __init__(self, cookies: dict, header: str) -> None:
            self.cookies, self.headers = cookies, {"accept-language": header}

    assert language_of(Req({}, "uk-UA,uk;q=0.9,en;q=0.5")) == "uk"  # type: ignore[arg-type]
    assert language_of(Req({}, "de-DE,fr;q=0.8,en;q=0.9")) == "en"  # type: ignore[arg-type]
    assert language_of(Req({}, "de-DE,fr;q=0.8,en;q=0.5")) == "fr"  # type: ignore[arg-type]
    assert language_of(Req({}, "xx;q=oops,ca")) == "ca"  # type: ignore[arg-type]
    assert language_of(Req({"bm_lang": "hr"}, "ar")) == "hr"  # type: ignore[arg-type]
    assert language_of(Req({"bm_lang": "zz"}, "")) == "en"  # type: ignore[arg-type]
    page = app_client.get("/ui/login", headers={"accept-language": "es-ES,es;q=0.9"}).text
    assert '<html lang="es" dir="ltr">' in page and "Entrar" in page and "Paste the access token" not in page


def _english_left(page: str, lang: str) -> list[str]:
    """Source strings of the catalogue still shown as they are on a page in `lang`."""
    text = html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r"<(script|style|datalist)[^>]*>.*?</\1>", "", page, flags=re.DOTALL)))
    shown = {line.strip() for line in text.splitlines() if line.strip()}
    strings = {m.id: m.string for m in _catalogue(lang) if m.id}
    return sorted(msgid for msgid, msgstr in strings.items()
                  if msgid in shown and msgid != msgstr and msgid not in SAME_ANYWHERE and len(msgid) > 3)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_graduate_pages_in_each_language_show_no_english_page_strings(as_role, lang: str) -> None:  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    assert len(_english_left(graduate.get("/ui/me/matches").text, lang)) > 5  # the check sees English when it is there
    answer = graduate.get(f"/ui/lang/{lang}", params={"next": "/ui/me"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/me"
    assert f"bm_lang={lang}" in answer.headers["set-cookie"]
    graduate.cookies.set("bm_lang", lang, path="/ui")
    try:
        posting = re.search(r'href="(/ui/me/postings/\d+)"', graduate.get("/ui/me/matches").text)
        assert posting, "no posting page linked from the matches"
        for url in ("/ui/me", "/ui/me/matches", "/ui/schedule", "/ui/me/erase", posting.group(1)):
            page = graduate.get(url)
            assert page.status_code == 200, (url, page.text[:300])
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in page.text
            assert not _english_left(page.text, lang), (lang, url, _english_left(page.text, lang))
            for english in ("What to learn next", "Best matches first", "Save profile", "Log out", "My profile"):
                assert f">{english}<" not in page.text, (lang, url, english)
        me = graduate.get("/ui/me").text
        expected = _catalogue(lang).get("You can handle most work conversations.").string
        assert html.escape(expected, quote=False) in me or expected in html.unescape(me)
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")


def test_arabic_pages_are_right_to_left_and_name_languages_in_arabic(as_role) -> None:  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    graduate.cookies.set("bm_lang", "ar", path="/ui")
    try:
        page = graduate.get("/ui/me/matches").text
        assert '<html lang="ar" dir="rtl">' in page and "ماذا تتعلم بعد ذلك" in page
        form = graduate.get("/ui/me").text
        assert re.search(r'<option value="es"[^>]*>الإسبانية · español</option>', form)
        # the picker names every page language in itself, whatever the page language
        for name in UI_LANGUAGES.values():
            assert f">{name}</a>" in form
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")


def test_the_picker_only_goes_back_to_our_own_pages(app_client: TestClient) -> None:
    assert app_client.get("/ui/lang/xx", follow_redirects=False).status_code == 404
    for away in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = app_client.get("/ui/lang/fr", params={"next": away}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/ui/", away
    answer = app_client.get("/ui/lang/fr", params={"next": "/ui/login?next=/ui/me"}, follow_redirects=False)
    assert answer.headers["location"] == "/ui/login?next=/ui/me"


def test_profile_form_picks_languages_by_name_and_saves_their_codes(as_role) -> None:  # type: ignore[no-untyped-def]
    graduate = as_role("graduate")
    form = graduate.get("/ui/me").text
    assert 'name="lang_code" maxlength' not in form and '<select class="lang-code"' in form
    assert re.search(r'<option value="uk"[^>]*>Ukrainian · українська</option>', form)
    assert "B1" in form and "You can handle most work conversations." in form
    bad = graduate.post("/ui/me", data={"name": "Karim", "skill": ["Python"], "kinds": ["job"], "lang_code": ["esp"],
                                        "lang_level": ["B2"], "csrf_token": csrf_of(form)})
    assert bad.status_code == 422 and "not a language code we know" in bad.text


def test_the_api_refuses_unknown_language_codes_and_still_loads_stored_ones(client: TestClient) -> None:
    from matching.records.profiles import STORED, CandidateProfile, PostingRecord

    body = {"name": "Amina", "skills": ["python"], "kinds": ["job"], "languages": {"esp": "B2"}}
    answer = client.post("/candidates", json=body)
    assert answer.status_code == 422 and "'esp' is not a language code we know" in answer.text
    assert client.post("/candidates", json=body | {"languages": {"ES": "b2", "prs": "C1"}}).status_code == 201
    posting = {"company": "Sol Digital SL", "title": "Dev", "kind": "job", "required_skills": ["Python"],
               "languages": {"eng": "B1"}}
    refused = client.post("/postings", json=posting)
    assert refused.status_code == 422 and "'eng' is not a language code we know" in refused.text
    assert client.post("/postings", json=posting | {"languages": {"en": "B1"}}).status_code == 201
    old = CandidateProfile.model_validate(body, context=STORED)
    assert old.languages == {"esp": "B2"}
    assert PostingRecord.model_validate(posting, context=STORED).languages == {"eng": "B1"}


def test_near_miss_reasons_name_the_rule_in_the_page_language(as_role, app_client, tokens) -> None:  # type: ignore[no-untyped-def]
    from service.web.i18n import reason_rule

    assert reason_rule("languages: needs es B2, has A2") == "A language level is too low"
    assert reason_rule("something new") is None
    graduate = as_role("graduate")
    graduate.cookies.set("bm_lang", "es", path="/ui")
    try:
        page = graduate.get("/ui/me/matches").text
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")
    near = page.split('id="near-misses"', 1)
    if len(near) == 2:
        assert any(t in near[1] for t in ("no encaja", "permiso de trabajo", "nivel de idioma"))
    assert "Qué aprender ahora" in page or "Las mejores primero" in page


@pytest.mark.parametrize("lang", TRANSLATED)
def test_company_and_coordinator_pages_in_a_language_show_no_english_page_strings(as_role, tokens, lang: str) -> None:  # type: ignore[no-untyped-def]
    company, coordinator = as_role("company"), as_role("coordinator")
    posting = company.get("/ui/postings").text
    first = re.search(r'href="/ui/postings/(\d+)"', posting).group(1)  # type: ignore[union-attr]
    pages = [(company, "/ui/postings"), (company, f"/ui/postings/{first}"), (company, f"/ui/postings/{first}/edit"),
             (coordinator, "/ui/graduates"), (coordinator, "/ui/companies"), (coordinator, "/ui/learn-next"),
             (coordinator, "/ui/fairs"), (coordinator, "/ui/placements"), (company, "/ui/postings/new"),
             (coordinator, "/ui/audit")]
    csrf = csrf_of(coordinator.get("/ui/fairs").text)
    assert coordinator.post("/ui/fairs/demo", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    fair = re.search(r'href="/ui/fairs/(\d+)"', coordinator.get("/ui/fairs").text).group(1)  # type: ignore[union-attr]
    csrf = csrf_of(coordinator.get(f"/ui/fairs/{fair}").text)
    assert coordinator.post(f"/ui/fairs/{fair}/plan", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    pages += [(coordinator, f"/ui/fairs/{fair}"), (coordinator, f"/ui/fairs/{fair}/audit")]
    for client, url in pages:
        client.cookies.set("bm_lang", lang, path="/ui")
        try:
            page = client.get(url)
        finally:
            client.cookies.delete("bm_lang", path="/ui")
        assert page.status_code == 200, (url, page.text[:300])
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page.text
        assert not _english_left(page.text, lang), (lang, url, _english_left(page.text, lang))


# Words shown as they are in every language: the product's name and the audit's measure names.
UNTRANSLATED_WORDS = {"bridgematch", "bridgematch  · bridgematch", "NDKL", "skew@", "CSV"}
PEOPLE_READ = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*[A-Za-z]{3,}[^"]*)"')


def test_every_text_a_template_shows_goes_through_gettext() -> None:
    """The catalogue check above finds only strings already in the catalogue; a sentence typed
    straight into a template is English on every page and in no catalogue. This reads the
    templates themselves: any text or person-read attribute outside `{{ _(...) }}` fails."""
    from service.web.page import TEMPLATES

    left = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        source = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", source, flags=re.DOTALL)
        source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.DOTALL)
        found = PEOPLE_READ.findall(source)
        found += [t.strip() for t in re.sub(r"<[^>]+>", "\n", source).splitlines() if re.search(r"[A-Za-z]{3,}", t)]
        left += [f"{path.relative_to(TEMPLATES)}: {text}" for text in found if text not in UNTRANSLATED_WORDS]
    assert not left, left
