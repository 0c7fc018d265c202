"""Outcomes over the real HTTP app: who records what, clear refusals, CSV import, erasure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import auth, ids_by_external

pytestmark = pytest.mark.both_backends


def _ids(client: TestClient) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    companies = {c["name"]: c["id"] for c in client.get("/companies").json()}
    return ids_by_external(client, "candidates"), ids_by_external(client, "postings"), companies


def test_a_coordinator_records_and_filters_outcomes(client: TestClient) -> None:
    cands, posts, companies = _ids(client)
    made = client.post("/outcomes", json={"graduate_id": cands["g001"], "posting_id": posts["p001"],
                                          "event": "interviewed", "date": "2026-11-20"})
    assert made.status_code == 201, made.text
    assert client.post("/outcomes", json={"graduate_id": cands["g002"], "company_id": companies["Vertex Health"],
                                          "event": "hired", "date": "2026-11-25"}).status_code == 201
    everything = client.get("/outcomes").json()
    assert everything["total"] == 2
    first = everything["items"][0]
    assert first == {"id": made.json()["id"], "graduate_id": cands["g001"], "posting_id": posts["p001"],
                     "company_id": companies["Sol Digital SL"], "fair_id": None, "event": "interviewed",
                     "date": "2026-11-20", "recorded_by": "coordinator"}
    hired = client.get("/outcomes", params={"event": "hired"}).json()["items"]
    assert [o["graduate_id"] for o in hired] == [cands["g002"]]
    assert client.get("/outcomes", params={"since": "2026-11-21"}).json()["total"] == 1
    assert client.get("/outcomes", params={"graduate_id": cands["g001"]}).json()["total"] == 1


def test_a_company_records_only_its_own(client: TestClient, tokens: dict[str, str]) -> None:
    cands, posts, companies = _ids(client)
    sol = auth(tokens["company"])
    own = {"graduate_id": cands["g001"], "posting_id": posts["p001"], "event": "shortlisted", "date": "2026-11-01"}
    assert client.post("/outcomes", json=own, headers=sol).status_code == 201
    theirs = own | {"posting_id": posts["p003"]}  # Vertex Health's posting
    refused = client.post("/outcomes", json=theirs, headers=sol)
    assert refused.status_code == 404 and f"no posting with id {posts['p003']}" in refused.json()["detail"]
    other_company = {k: v for k, v in own.items() if k != "posting_id"} | {"company_id": companies["Vertex Health"]}
    assert client.post("/outcomes", json=other_company, headers=sol).status_code == 404
    # g004 does not consent to be seen: to a company, exactly like a graduate that does not exist
    hidden = client.post("/outcomes", json=own | {"graduate_id": cands["g004"]}, headers=sol)
    missing = client.post("/outcomes", json=own | {"graduate_id": 999_999}, headers=sol)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(str(cands["g004"]), "X") == missing.json()["detail"].replace("999999", "X")
    # the coordinator's outcome for another company is not shown to Sol
    client.post("/outcomes", json=theirs)
    assert client.get("/outcomes").json()["total"] == 2
    seen = client.get("/outcomes", headers=sol).json()
    assert seen["total"] == 1 and seen["items"][0]["recorded_by"] == "company"
    assert client.get("/outcomes", headers=auth(tokens["other_coordinator"])).json()["total"] == 0


def test_graduates_may_not_record_or_read_outcomes(client: TestClient, tokens: dict[str, str]) -> None:
    cands, posts, _ = _ids(client)
    body = {"graduate_id": cands["g001"], "posting_id": posts["p001"], "event": "hired", "date": "2026-11-01"}
    grad = auth(tokens["graduate"])
    assert client.post("/outcomes", json=body, headers=grad).status_code == 403
    assert client.get("/outcomes", headers=grad).status_code == 403
    assert client.post("/outcomes:import", files={"file": ("o.csv", b"graduate_id,event,date\n")},
                       headers=grad).status_code == 403


def test_bad_outcomes_are_422_or_404_with_clear_messages(client: TestClient) -> None:
    cands, posts, companies = _ids(client)
    base = {"graduate_id": cands["g001"], "posting_id": posts["p001"], "event": "hired", "date": "2026-11-01"}
    event = client.post("/outcomes", json=base | {"event": "married"})
    assert event.status_code == 422 and "event" in event.json()["detail"] and "hired" in event.json()["detail"]
    nobody = client.post("/outcomes", json={k: v for k, v in base.items() if k != "posting_id"})
    assert nobody.status_code == 422 and "posting_id or a company_id" in nobody.json()["detail"]
    future = client.post("/outcomes", json=base | {"date": "2999-01-01"})
    assert future.status_code == 422 and "future" in future.json()["detail"]
    mismatch = client.post("/outcomes", json=base | {"company_id": companies["Vertex Health"]})
    assert mismatch.status_code == 422 and "belongs to company" in mismatch.json()["detail"]
    assert client.post("/outcomes", json=base | {"graduate_id": 999_999}).json()["detail"] == \
        "no candidate with id 999999"
    assert client.post("/outcomes", json=base | {"posting_id": 999_999}).status_code == 404
    fair = client.post("/outcomes", json=base | {"fair_id": 999_999})
    assert fair.status_code == 404 and "no fair with id 999999" in fair.json()["detail"]
    assert client.post("/outcomes", json=base | {"extra": 1}).status_code == 422
    assert client.get("/outcomes").json()["total"] == 0


def test_an_outcome_at_a_fair_needs_the_graduate_there(client: TestClient) -> None:
    cands, posts, _ = _ids(client)
    fair_id = next(f["id"] for f in client.get("/fairs").json())
    spec = client.get(f"/fairs/{fair_id}").json()["spec"]
    inside = spec["graduates"][0]
    outside = next(i for i in cands.values() if i not in spec["graduates"])
    body = {"posting_id": posts["p001"], "fair_id": fair_id, "event": "interviewed", "date": "2026-11-01"}
    assert client.post("/outcomes", json=body | {"graduate_id": inside}).status_code == 201
    refused = client.post("/outcomes", json=body | {"graduate_id": outside})
    assert refused.status_code == 422 and "is not at fair" in refused.json()["detail"]
    assert client.get("/outcomes", params={"fair_id": fair_id}).json()["total"] == 1


def test_csv_import_is_all_or_nothing(client: TestClient, tokens: dict[str, str]) -> None:
    cands, posts, companies = _ids(client)
    good = (f"graduate_id,posting_id,company_id,event,date\n"
            f"{cands['g001']},{posts['p001']},,offer,2026-11-02\n"
            f"{cands['g002']},,{companies['Sol Digital SL']},declined_by_company,2026-11-03\n").encode()
    done = client.post("/outcomes:import", files={"file": ("outcomes.csv", good)}, headers=auth(tokens["company"]))
    assert done.status_code == 201, done.text
    assert done.json()["imported"] == 2
    bad = (f"graduate_id,posting_id,event,date\n"
           f"{cands['g001']},{posts['p001']},hired,2026-11-04\n"
           f"{cands['g001']},999999,hired,2026-11-04\n"
           f"{cands['g001']},{posts['p001']},promoted,2026-11-04\n").encode()
    refused = client.post("/outcomes:import", files={"file": ("o.csv", bad)})
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors[0] == "row 2: no posting with id 999999" and errors[1].startswith("row 3: event")
    assert client.get("/outcomes").json()["total"] == 2  # nothing of the bad file
    columns = client.post("/outcomes:import", files={"file": ("o.csv", b"graduate,when\n1,2\n")})
    assert columns.status_code == 422 and "columns must be among" in columns.json()["detail"]


def test_erasing_a_graduate_erases_their_outcomes(client: TestClient) -> None:
    cands, posts, _ = _ids(client)
    for ext in ("g001", "g002"):
        client.post("/outcomes", json={"graduate_id": cands[ext], "posting_id": posts["p001"],
                                       "event": "interviewed", "date": "2026-11-05"})
    assert client.delete(f"/candidates/{cands['g001']}").status_code == 204
    left = client.get("/outcomes").json()["items"]
    assert [o["graduate_id"] for o in left] == [cands["g002"]]


def test_unreadable_outcome_files_are_422(client: TestClient) -> None:
    for content in (b"graduate_id,event,date\n1,hired,2026-01-01\x00\n", b"\xff\xfe\x00bad", b""):
        answer = client.post("/outcomes:import", files={"file": ("o.csv", content)})
        assert answer.status_code == 422, (content, answer.text)
    empty = client.post("/outcomes:import", files={"file": ("o.csv", b"graduate_id,event,date\n")})
    assert empty.status_code == 422 and "no rows" in empty.json()["detail"]
