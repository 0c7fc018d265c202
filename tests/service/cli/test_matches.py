"""`bridgematch match` reads stored vectors and persisted ESCO hits: no model, and the HTTP route's ranking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from service.settings import Settings

REPO = Path(__file__).resolve().parents[3]
# A fresh interpreter: what it imported is evidence of what the command loaded.
_RUN = """
import json, sys
from typer.testing import CliRunner
from service.cli import app
result = CliRunner().invoke(app, json.loads(sys.argv[1]))
print(json.dumps({"code": result.exit_code, "output": result.output,
                  "torch": "torch" in sys.modules, "sentence_transformers": "sentence_transformers" in sys.modules}))
"""


def _cli(settings: Settings, args: list[str], cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRIDGEMATCH_DATABASE_URL": settings.database_url,
           "BRIDGEMATCH_INDEX_DIR": str(settings.index_dir), "BRIDGEMATCH_CACHE_DIR": str(settings.cache_dir)}
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _items(seen: dict) -> list[dict]:
    assert seen["code"] == 0, seen["output"]
    return json.loads(seen["output"][seen["output"].index("{"):])["items"]


def test_match_never_loads_the_model_and_ranks_as_the_route_does(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """The app (a writer) has persisted every skill's ESCO hits; the CLI beside it, on the same
    SQLite file, imports neither torch nor sentence-transformers and prints the route's list."""
    for side, rid in (("candidates", 1), ("postings", 1)):
        route = client.get(f"/{side}/{rid}/matches", params={"limit": 10})
        assert route.status_code == 200, route.text
        expected = route.json()["items"]
        assert expected
        seen = _cli(settings, ["match", side[:-1] if side == "postings" else "candidate", str(rid),
                               "--json", "--limit", "10"], tmp_path)
        assert not seen["torch"] and not seen["sentence_transformers"], side
        got = _items(seen)
        assert [(m["id"], m["score"]) for m in got] == [(m["id"], m["score"]) for m in expected], side
        assert [m["explanation"]["signals"] for m in got] == [m["explanation"]["signals"] for m in expected]


def test_a_new_skill_written_through_the_route_is_persisted_for_the_cli(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """A record written after start-up brings a skill no label names exactly: the writer maps it once
    (with the model) and keeps it, so the CLI still needs no model for that record."""
    posting = client.get("/postings/1").json()
    skill = "wrote resilient message-queue consumers"
    body = {k: v for k, v in posting.items() if k not in ("id", "created_at", "updated_at")}
    body["required_skills"] = [*posting["required_skills"], skill]
    answer = client.put("/postings/1", json=body)
    assert answer.status_code == 200, answer.text
    persisted = [line for p in Path(settings.cache_dir).glob("skill-hits-*.jsonl") for line in p.read_text().splitlines()]
    assert any(json.loads(line)["skill"] == skill for line in persisted)
    expected = client.get("/postings/1/matches", params={"limit": 10}).json()["items"]
    seen = _cli(settings, ["match", "posting", "1", "--json", "--limit", "10"], tmp_path)
    assert not seen["torch"] and not seen["sentence_transformers"]
    assert [(m["id"], m["score"]) for m in _items(seen)] == [(m["id"], m["score"]) for m in expected]
