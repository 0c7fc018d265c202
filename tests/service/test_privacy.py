"""Sensitive fields never move a score; erasure removes a person everywhere; reads are audited."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from service.settings import Settings
from tests.conftest import auth, ids_by_external, settings_for

pytestmark = pytest.mark.both_backends


def _scores(client: TestClient, posting_ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    return {
        p: [(i["id"], i["score"]) for i in client.get(f"/postings/{p}/matches", params={"limit": 100}).json()["items"]]
        for p in posting_ids
    }


def test_swapping_sensitive_fields_leaves_every_score_identical(client: TestClient) -> None:
    cands = list(ids_by_external(client, "candidates").values())
    posts = list(ids_by_external(client, "postings").values())[:8]
    before = _scores(client, posts)
    own_before = {c: client.get(f"/candidates/{c}/matches", params={"limit": 100}).json() for c in cands[:5]}
    profiles = {c: client.get(f"/candidates/{c}").json() for c in cands}
    sensitive = [(p["nationality"], p["origin"], p["status"]) for p in profiles.values()]
    rotated = sensitive[1:] + sensitive[:1]
    for (cid, profile), (nat, origin, status) in zip(profiles.items(), rotated, strict=True):
        profile.pop("id")
        body = profile | {"nationality": nat, "origin": origin, "status": status}
        assert client.put(f"/candidates/{cid}", json=body).status_code == 200
    assert client.get(f"/candidates/{cands[0]}").json()["nationality"] == rotated[0][0]
    assert _scores(client, posts) == before
    assert {c: client.get(f"/candidates/{c}/matches", params={"limit": 100}).json() for c in cands[:5]} == own_before


def test_erasure_removes_a_graduate_everywhere(client: TestClient, tokens: dict[str, str]) -> None:
    from service.db import CandidateRow, EmbeddingRow, InterviewRow, TokenRow

    matcher = client.app.state.matcher
    posts = ids_by_external(client, "postings")
    gid = ids_by_external(client, "candidates")["g001"]
    company, graduate = auth(tokens["company"]), auth(tokens["graduate"])
    assert client.post("/interviews", json={"posting_id": posts["p001"], "candidate_id": gid}, headers=company).status_code == 201
    digest = matcher.sides[Side.candidates].index.entries[gid]
    assert client.get(f"/candidates/{gid}", headers=graduate).status_code == 200

    # the graduate erases themself
    assert client.delete(f"/candidates/{gid}", headers=graduate).status_code == 204

    with matcher.sessions() as session:
        assert session.get(CandidateRow, gid) is None
        assert session.scalar(select(func.count()).select_from(TokenRow).where(TokenRow.candidate_id == gid)) == 0
        assert session.scalar(select(func.count()).select_from(InterviewRow).where(InterviewRow.candidate_id == gid)) == 0
        assert session.get(EmbeddingRow, digest) is None
    assert gid not in matcher.sides[Side.candidates].index
    assert gid not in matcher.sides[Side.candidates].lexical
    assert client.get(f"/candidates/{gid}", headers=graduate).status_code == 401  # their token is gone
    assert client.get(f"/candidates/{gid}").status_code == 404
    for pid in posts.values():
        assert gid not in {i["id"] for i in client.get(f"/postings/{pid}/matches", params={"limit": 100}).json()["items"]}
    assert all(c["id"] != gid for c in client.get("/candidates", params={"limit": 500}).json()["items"])
    # and after a restart (index rebuilt from the database) they stay gone
    matcher.reindex()
    assert gid not in matcher.sides[Side.candidates].index


def test_audit_log_records_reads_without_content(client: TestClient, tokens: dict[str, str]) -> None:
    gid = ids_by_external(client, "candidates")["g002"]
    posts = ids_by_external(client, "postings")
    client.get(f"/candidates/{gid}")
    client.get(f"/postings/{posts['p002']}/matches", headers=auth(tokens["company"]), params={"limit": 100})
    entries = client.get("/audit", params={"candidate_id": gid}).json()
    actions = {(e["role"], e["action"]) for e in entries}
    assert ("coordinator", "read") in actions
    profile = client.get(f"/candidates/{gid}").json()
    text = str(entries)
    assert profile["name"] not in text and profile["summary"][:20] not in text
    assert set(entries[0]) == {"at", "token_id", "role", "action", "candidate_id"}
    assert client.get("/audit", headers=auth(tokens["other_coordinator"])).json() == []


# ---- what a company can infer: only from what it sees -----------------------------------------
PROBES = ["Eritrea asylum papers", "Syria refugee", "Ukraine war", "Afghanistan Kabul"]
ASKED = {"es", "en", "hr", "ca"}  # the only languages any demo posting asks for


def _company_answers(client: TestClient, company: dict[str, str], posts: list[int]) -> dict:
    """Everything a company gets about graduates, byte for byte (the fair re-planned first)."""
    fair = client.get("/fairs").json()[0]["id"]
    assert client.post(f"/fairs/{fair}/schedule").status_code == 200
    return {
        "fair": client.get(f"/fairs/{fair}/schedule", headers=company).json(),
        "matches": {p: client.get(f"/postings/{p}/matches", params={"limit": 100}, headers=company).json()
                    for p in posts},
        "search": {q: client.post("/search", json={"text": q, "side": "candidates", "limit": 100},
                                  headers=company).json() for q in PROBES},
    }


def test_a_company_learns_nothing_from_what_it_cannot_see(client: TestClient, tokens: dict[str, str]) -> None:
    """Rewrite every graduate's hidden text (summary, name, sensitive fields, languages no posting
    asks for) so that it singles people out: every answer a company gets stays identical."""
    company = auth(tokens["company"])
    own = [i["id"] for i in client.get("/postings", headers=company).json()["items"]]
    bait = {"company": "Sol Digital SL", "title": "Developer", "required_skills": ["JavaScript"],
            "description": " ".join(PROBES), "languages": {}, "work_permit_required": False}
    created = client.post("/postings", json=bait, headers=company)
    assert created.status_code == 201, created.text
    posts = [*own, created.json()["id"]]
    before = _company_answers(client, company, posts)
    assert any(before["search"][q]["items"] for q in PROBES)  # search does answer: with visible text only
    assert before["fair"]["meetings"]  # and the company has meetings at the fair

    profiles = {c: client.get(f"/candidates/{c}").json() for c in ids_by_external(client, "candidates").values()}
    summaries = [p["summary"] for p in profiles.values()]
    for n, (cid, profile) in enumerate(profiles.items()):
        profile.pop("id")
        hidden = {k: v for k, v in profile["languages"].items() if k not in ASKED}
        languages = {k: v for k, v in profile["languages"].items() if k in ASKED}
        languages |= {} if hidden else {"ti": "C2", "ar": "C2"}  # add where there were none, drop elsewhere
        body = profile | {
            "name": f"Person {n}", "summary": f"{summaries[n - 1]} {PROBES[n % len(PROBES)]}",
            "nationality": "Eritrean" if n % 2 else "Syrian", "origin": "Kabul", "status": "asylum seeker",
            "languages": languages,
        }
        assert client.put(f"/candidates/{cid}", json=body).status_code == 200
    assert _company_answers(client, company, posts) == before


def test_texts_a_company_cannot_search_weigh_nothing_in_its_scores(client: TestClient, tokens: dict[str, str]) -> None:
    """Graduates of another school, and of this one who did not agree to be seen, do not even
    change BM25's word weights in what a company gets (one corpus per organisation, searchable
    texts only)."""
    company = auth(tokens["company"])
    posts = [i["id"] for i in client.get("/postings", headers=company).json()["items"]]
    before = _company_answers(client, company, posts)
    some = client.get(f"/candidates/{ids_by_external(client, 'candidates')['g001']}").json()
    some.pop("id")
    words = " ".join(client.get(f"/postings/{posts[0]}", headers=company).json()["required_skills"])
    for n in range(6):
        body = some | {"external_id": f"hidden-{n}", "headline": f"{words} {words} developer",
                       "skills": some["skills"] + ["Docker"]}
        hidden = client.post("/candidates", json=body | {"visible_to_companies": False})
        elsewhere = client.post("/candidates", json=body | {"visible_to_companies": True},
                                headers=auth(tokens["other_coordinator"]))
        assert hidden.status_code == 201 and elsewhere.status_code == 201
    assert _company_answers(client, company, posts) == before


def test_a_company_sees_only_the_languages_its_posting_asks_for(client: TestClient, tokens: dict[str, str]) -> None:
    company = auth(tokens["company"])
    seen = 0
    for posting in client.get("/postings", headers=company).json()["items"]:
        asked = set(posting["languages"])
        for item in client.get(f"/postings/{posting['id']}/matches", params={"limit": 100}, headers=company).json()["items"]:
            assert set(item["candidate"]["languages"]) <= asked, (posting["title"], item["candidate"]["languages"])
            assert "summary" not in item["candidate"] and item["candidate"]["name"] is None
            seen += 1
    assert seen > 0
    found = client.post("/search", json={"text": "developer", "side": "candidates"}, headers=company).json()
    assert found["items"] and all(item["candidate"]["languages"] == {} for item in found["items"])
    # the coordinator, who may see the whole profile, still sees every language
    pid = ids_by_external(client, "postings")["p001"]
    full = client.get(f"/postings/{pid}/matches", params={"limit": 100}).json()["items"]
    assert any(set(item["candidate"]["languages"]) - ASKED for item in full)


def test_a_company_searches_only_its_own_postings(client: TestClient, tokens: dict[str, str]) -> None:
    """Search agrees with GET /postings/{id}: what a company cannot open, it cannot find."""
    company = auth(tokens["company"])
    others = [p for p in client.get("/postings", params={"limit": 500}).json()["items"]
              if p["company"] != "Sol Digital SL"]
    for posting in others[:5]:
        found = client.post("/search", json={"text": posting["title"], "limit": 100}, headers=company).json()["items"]
        assert found and {item["company"] for item in found} == {"Sol Digital SL"}
        assert posting["id"] not in {item["id"] for item in found}
        assert client.get(f"/postings/{posting['id']}", headers=company).status_code == 404
    # a graduate still searches every posting of the organisation
    mine = client.post("/search", json={"text": others[0]["title"]}, headers=auth(tokens["graduate"])).json()
    assert others[0]["id"] in {item["id"] for item in mine["items"]}


def test_a_stale_text_hash_is_recomputed_and_its_vector_rebuilt(settings, workdir) -> None:  # type: ignore[no-untyped-def]
    """Rows written under an older text recipe (the summary used to be scored) get the current
    text's hash and vector at start-up, and the old cached embedding goes."""
    from matching.text.recipe import candidate_text
    from service.composition import build_matcher
    from service.db import CandidateRow, EmbeddingRow

    matcher = build_matcher(settings)
    gid = min(matcher.ids(Side.candidates))
    record = matcher.get(Side.candidates, gid)
    current = matcher.hash_of(record)
    with matcher.sessions.begin() as session:
        session.get(CandidateRow, gid).text_hash = "old-recipe"
        session.add(EmbeddingRow(text_hash="old-recipe", model="x", dim=1, vector=b"\0\0\0\0"))
    matcher.close()

    matcher = build_matcher(settings)
    try:
        with matcher.sessions() as session:
            assert session.get(CandidateRow, gid).text_hash == current
            assert session.get(EmbeddingRow, "old-recipe") is None
        assert matcher.sides[Side.candidates].index.entries[gid] == current
        want = matcher.encoder.encode([candidate_text(record)])[0]
        assert float(matcher.sides[Side.candidates].index.vectors([gid])[0] @ want) > 0.999
    finally:
        matcher.close()


def _files_holding(folder: Path, marker: bytes) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes())


def test_an_erased_profile_leaves_no_bytes_on_disk(client: TestClient, workdir: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("reads the SQLite file's raw bytes")
    marker = b"ZQXJ-marker-unique-123"
    gid = ids_by_external(client, "candidates")["g003"]
    body = client.get(f"/candidates/{gid}").json()
    body.pop("id")
    body |= {"external_id": "marked", "summary": f"I build web apps. {marker.decode()} is my handle."}
    new = client.post("/candidates", json=body).json()["id"]
    assert _files_holding(workdir, marker)  # the text is on disk (the database or its WAL)

    assert client.delete(f"/candidates/{new}").status_code == 204
    assert _files_holding(workdir, marker) == []  # the .db, -wal, -shm and the index folder


def test_erasing_from_a_big_index_saves_it_at_once(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.retrieval.index import VectorIndex
    from service import matcher as matcher_module

    matcher = client.app.state.matcher
    gid = ids_by_external(client, "candidates")["g004"]
    # Indexes above this size are saved at close, not after each write: as if the index were big.
    monkeypatch.setattr(matcher_module, "SAVE_EVERY_WRITE_UP_TO", 0)
    assert client.delete(f"/candidates/{gid}").status_code == 204
    saved = VectorIndex.load(settings.index_dir / "candidates", model=matcher.encoder.name, dim=matcher.encoder.dim)
    assert gid not in saved.entries


def test_a_fresh_start_makes_private_files(tmp_path: Path, encoder) -> None:  # type: ignore[no-untyped-def]
    from service.composition import build_matcher
    from service.usecases.first_start import init

    folder = tmp_path / "fresh"
    settings = settings_for(folder, database_url=f"sqlite:///{folder / 'db' / 'bm.db'}", concepts=False)
    matcher = build_matcher(settings)
    try:
        org_id, _ = init(matcher)
        record = CandidateProfile(name="Ana", summary="I build web apps.", skills=["React", "CSS", "SQL"])
        matcher.create(Side.candidates, [record], [Owner(org_id)])
    finally:
        matcher.close()

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(folder / "db") == 0o700
    for name in ("bm.db", "bm.db-wal", "bm.db-shm"):
        if (folder / "db" / name).exists():
            assert mode(folder / "db" / name) == 0o600, name
    assert mode(settings.index_dir) == 0o700
    assert mode(settings.index_dir / "candidates") == 0o700
