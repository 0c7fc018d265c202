"""`bridgematch demo` (service/cli/serve.py)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


def test_the_demo_loads_only_into_an_empty_database(cli_env: Path) -> None:
    """An erased demo graduate must not come back when `serve --demo` (or `demo`) runs again."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from tests.conftest import auth, ids_by_external

    tokens = json.loads((cli_env / "tokens.json").read_text())
    with TestClient(create_app(get_settings()), headers=auth(tokens["coordinator"])) as client:
        erased = ids_by_external(client, "candidates")["g003"]
        assert client.delete(f"/candidates/{erased}").status_code == 204
        before = [client.get(f"/{side}", params={"limit": 1}).json()["total"] for side in ("candidates", "postings")]
        fairs = len(client.get("/fairs").json())
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "the demo is loaded only into an empty database" in result.output
    with TestClient(create_app(get_settings()), headers=auth(tokens["coordinator"])) as client:
        assert "g003" not in ids_by_external(client, "candidates")
        assert client.get(f"/candidates/{erased}").status_code == 404
        after = [client.get(f"/{side}", params={"limit": 1}).json()["total"] for side in ("candidates", "postings")]
        assert after == before and len(client.get("/fairs").json()) == fairs
