"""The catalogue (service/matcher.py): a restart answers the same, a second process catches up
through the change feed, and the embedding cache encodes each text once and rebuilds stale vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from matching.records.sides import Side
from tests.conftest import ids_by_external
from tests.service.helpers import matches_of

pytestmark = pytest.mark.both_backends


def test_restart_is_identical_and_rebuilds_missing_index(settings, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    from service.app import create_app

    headers = {"Authorization": f"Bearer {json.loads((workdir / 'tokens.json').read_text())['coordinator']}"}

    def snapshot() -> tuple[list, dict]:
        with TestClient(create_app(settings), headers=headers) as c:
            ids = sorted(ids_by_external(c, "candidates").values())[:5]
            return [matches_of(c, "candidates", i) for i in ids], dict(c.app.state.matcher.rebuilt)

    first, _ = snapshot()
    again, rebuilt = snapshot()
    assert again == first and not any(rebuilt.values())
    for path in (workdir / "index").rglob("*"):
        if path.is_file():
            path.unlink()
    rebuilt_matches, rebuilt = snapshot()
    assert all(rebuilt.values())
    assert rebuilt_matches == first
    assert (workdir / "index" / "postings" / "vectors.npz").exists()


def test_a_second_process_catches_up_through_the_change_feed(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    """Two engines on one database (as two server processes with their own index folders)."""
    from matching.records.sides import Side
    from service.composition import build_matcher

    other = build_matcher(settings.model_copy(update={"index_dir": settings.index_dir.parent / "index2"}))
    try:
        g1 = ids_by_external(client, "candidates")["g001"]
        body = client.get(f"/candidates/{g1}").json()
        body.pop("id")
        new_id = client.post("/candidates", json=body | {"external_id": "copy-of-g001"}).json()["id"]
        client.put(f"/candidates/{g1}", json=body | {"headline": "Nurse", "skills": ["patient care"]})
        assert new_id not in other.sides[Side.candidates].records
        assert other.catch_up() == 2
        assert other.get(Side.candidates, g1).headline == "Nurse"
        assert [m.id for m in other.matches_for_candidate(new_id, limit=5)] == [
            m["id"] for m in client.get(f"/candidates/{new_id}/matches", params={"limit": 5}).json()["items"]
        ]
        assert client.delete(f"/candidates/{new_id}").status_code == 204
        other.catch_up()
        assert new_id not in other.sides[Side.candidates].records and new_id not in other.sides[Side.candidates].index
        assert client.app.state.matcher.catch_up() == 0  # its own writes are not re-applied
    finally:
        other.close()


def test_each_record_keeps_the_language_its_text_is_written_in(client: TestClient) -> None:
    body = client.get(f"/candidates/{ids_by_external(client, 'candidates')['g001']}").json()
    assert body["text_language"] == "en"
    body.pop("id")
    spanish = "Soy desarrolladora web; antes fui maestra. Busco mi primer trabajo en un equipo de frontend."
    body.update(external_id=None, summary=spanish, headline="Desarrolladora frontend junior", text_language="en")
    rid = client.post("/candidates", json=body).json()["id"]
    assert client.get(f"/candidates/{rid}").json()["text_language"] == "es"  # detected, not taken
    ukrainian = "Я веб-розробниця, раніше працювала вчителькою. Шукаю першу роботу у фронтенд-команді."
    body.update(summary=ukrainian, headline="Молодша фронтенд-розробниця")
    assert client.put(f"/candidates/{rid}", json=body).json()["text_language"] == "uk"
    assert client.get(f"/candidates/{rid}").json()["text_language"] == "uk"
    posting = client.get(f"/postings/{ids_by_external(client, 'postings')['p001']}").json()
    assert posting["text_language"] == "en"
    refused = client.post("/candidates", json=body | {"text_language": "Spanish"})
    assert refused.status_code == 422 and "text_language" in refused.text


def test_reimporting_the_same_texts_encodes_nothing(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The text-hash embedding cache: a second import of the same profiles (new ids) reuses
    every vector, so it costs no model time at all."""
    matcher = client.app.state.matcher  # type: ignore[attr-defined]
    encoded: list[int] = []
    real = matcher.encoder.encode
    monkeypatch.setattr(matcher.encoder, "encode", lambda texts, **kw: encoded.append(len(texts)) or real(texts, **kw))
    rows = "\n".join(f"x{i},Grad {i},Junior developer {i},Python;SQL,Barcelona" for i in range(30))
    first = client.post("/candidates:import", files={"file": ("a.csv", "external_id,name,headline,skills,location\n" + rows)})
    assert first.status_code == 201, first.text
    assert sum(encoded) == 30
    again = rows.replace(",Grad ", ",Again ").replace("x", "y")  # other people, the same embedded text
    second = client.post("/candidates:import", files={"file": ("b.csv", "external_id,name,headline,skills,location\n" + again)})
    assert second.status_code == 201 and second.json()["imported"] == 30
    assert sum(encoded) == 30  # nothing encoded the second time


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
