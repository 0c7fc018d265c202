"""A graduate's posting page: reached from their matches, it says what the list said and more,
and shows nothing of a posting that is not theirs to see."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external
from tests.service.web.test_i18n import _english_left


def test_a_match_opens_a_page_with_the_posting_and_why_it_fits(as_role, app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    api = TestClient(app_client.app, headers=auth(tokens["graduate"]))
    gid = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")["g001"]
    found = api.get(f"/candidates/{gid}/matches", params={"limit": 100}).json()
    best = found["items"][0]
    graduate = as_role("graduate")
    listing = graduate.get("/ui/me/matches").text
    assert f'href="/ui/me/postings/{best["id"]}"' in listing
    page = graduate.get(f"/ui/me/postings/{best['id']}")
    assert page.status_code == 200, page.text[:400]
    posting = api.get(f"/postings/{best['id']}").json()
    assert posting["title"] in page.text and posting["company"] in page.text
    if posting["description"]:
        assert 'id="posting-description"' in page.text
    assert "Why it matches you" in page.text
    for skill in best["explanation"]["matched_skills"]:
        assert f">{skill}</li>" in page.text
    assert posting["starts_on"] is None or posting["starts_on"] in page.text

    if found["near_misses"]:
        near = found["near_misses"][0]
        shown = graduate.get(f"/ui/me/postings/{near['id']}")
        assert shown.status_code == 200 and "Almost a match" in shown.text and near["reason"] in shown.text
        assert f'href="/ui/me/postings/{near["id"]}"' in listing


def test_a_posting_that_is_not_among_the_graduates_matches_is_not_found(as_role, app_client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    coordinator = TestClient(app_client.app, headers=auth(tokens["coordinator"]))
    gid = ids_by_external(coordinator, "candidates")["g001"]
    other = ids_by_external(coordinator, "candidates")["g002"]
    found = TestClient(app_client.app, headers=auth(tokens["graduate"])).get(
        f"/candidates/{gid}/matches", params={"limit": 100}).json()
    seen = {m["id"] for m in found["items"]} | {m["id"] for m in found["near_misses"]}
    hidden = [pid for pid in ids_by_external(coordinator, "postings").values() if pid not in seen]
    assert hidden, "the demo has postings this graduate is not shown"
    graduate = as_role("graduate")
    refused = graduate.get(f"/ui/me/postings/{hidden[0]}")
    assert refused.status_code == 404 and "not among your matches" in refused.text
    assert graduate.get("/ui/me/postings/999999").status_code == 404
    # another graduate's view of a posting: as unknown as the graduate
    assert graduate.get(f"/ui/graduates/{other}/postings/{next(iter(seen))}").status_code == 404
    # their coordinator reaches the same page from the graduate's matches
    assert as_role("coordinator").get(f"/ui/graduates/{gid}/postings/{found['items'][0]['id']}").status_code == 200
    assert as_role("other_coordinator").get(f"/ui/graduates/{gid}/postings/{found['items'][0]['id']}").status_code == 404


@pytest.mark.parametrize("lang", ["ar", "hr"])
def test_the_posting_page_is_in_the_page_language(as_role, app_client: TestClient, tokens, lang: str) -> None:  # type: ignore[no-untyped-def]
    gid = ids_by_external(TestClient(app_client.app, headers=auth(tokens["coordinator"])), "candidates")["g001"]
    found = TestClient(app_client.app, headers=auth(tokens["graduate"])).get(
        f"/candidates/{gid}/matches", params={"limit": 100}).json()
    graduate = as_role("graduate")
    pids = [found["items"][0]["id"]] + [m["id"] for m in found["near_misses"][:1]]
    assert _english_left(graduate.get(f"/ui/me/postings/{pids[0]}").text, lang)  # English before the switch
    graduate.cookies.set("bm_lang", lang, path="/ui")
    try:
        for pid in pids:
            page = graduate.get(f"/ui/me/postings/{pid}").text
            assert not _english_left(page, lang), (lang, pid, _english_left(page, lang))
        refused = graduate.get("/ui/me/postings/999999").text
        assert not _english_left(refused, lang)
    finally:
        graduate.cookies.delete("bm_lang", path="/ui")
