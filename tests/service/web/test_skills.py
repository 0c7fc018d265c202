"""Skill suggestions (service/web/skills.py)."""

from __future__ import annotations


def test_skill_suggestions_put_the_scorers_names_first(as_role):  # type: ignore[no-untyped-def]
    client = as_role("graduate")
    assert client.get("/ui/skills", params={"q": "postg"}).json()[0] == "PostgreSQL"
    assert "Haskell" in client.get("/ui/skills", params={"q": "hask"}).json()  # from ESCO's list
    assert client.get("/ui/skills", params={"q": ""}).json() == []
