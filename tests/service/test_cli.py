"""The `bridgematch` CLI against a real database copy."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


@pytest.fixture
def cli_env(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{workdir / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(workdir / "index"))
    get_settings.cache_clear()
    yield workdir
    get_settings.cache_clear()


def test_match_json_export_import_reindex(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["match", "candidate", "1", "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output[result.output.index("{"):])["items"]
    assert len(items) == 3 and items[0]["score"] >= items[-1]["score"]

    out = tmp_path / "postings.csv"
    assert runner.invoke(app, ["export", "--kind", "postings", str(out)]).exit_code == 0
    frame = pl.read_csv(out)
    assert frame.height == 32 and "required_skills" in frame.columns

    fresh = frame.drop("id").with_columns(pl.lit(None, dtype=pl.String).alias("external_id"))
    new_file = tmp_path / "again.csv"
    fresh.write_csv(new_file)
    result = runner.invoke(app, ["import", str(new_file), "--kind", "postings"])
    assert result.exit_code == 0, result.output
    assert "imported 32 postings" in result.output

    bad = tmp_path / "bad.csv"
    bad.write_text("company,title,required_skills,languages\nAcme,Dev,JS,es:Z1\n")
    result = runner.invoke(app, ["import", str(bad), "--kind", "postings"])
    assert result.exit_code == 1 and "row 1" in result.output

    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "'postings': 64" in result.output
    assert runner.invoke(app, ["match", "posting", "99999"]).exit_code == 1


def test_export_hides_sensitive_and_defuses_formulas(cli_env: Path, tmp_path: Path) -> None:
    from matching.records.profiles import CandidateProfile
    from matching.records.sides import Owner, Side
    from service.composition import build_matcher

    matcher = build_matcher(get_settings())
    record = CandidateProfile(name="=cmd|' /C calc'!A0", skills=["-SUM(1)"], nationality="X")
    matcher.create(Side.candidates, [record], [Owner(1)])
    matcher.close()
    out = tmp_path / "c.csv"
    assert CliRunner().invoke(app, ["export", "--kind", "candidates", str(out)]).exit_code == 0
    text = out.read_text()
    assert "nationality" not in text and "'=cmd" in text and "'-SUM" in text


def test_second_writer_is_refused_while_a_server_holds_the_lock(cli_env: Path, tmp_path: Path) -> None:
    from service.composition import build_matcher

    server = build_matcher(get_settings())  # stands for a running `bridgematch serve`
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["reindex"])
        assert result.exit_code == 1 and "already writing" in result.output
        # readers still work beside the writer
        assert runner.invoke(app, ["match", "posting", "1", "--json"]).exit_code == 0
    finally:
        server.close()
    assert CliRunner().invoke(app, ["reindex"]).exit_code == 0


def test_backup_and_restore(cli_env: Path, tmp_path: Path) -> None:
    from matching.records.sides import Side
    from service.composition import build_matcher

    runner = CliRunner()
    backup_file = tmp_path / "backup.sqlite"
    result = runner.invoke(app, ["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    matcher = build_matcher(get_settings())
    gone = matcher.ids(Side.candidates)[0]
    matcher.delete(Side.candidates, gone)
    matcher.close()

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(app, ["restore", str(junk)])
    assert result.exit_code == 1 and "nothing restored" in result.output

    result = runner.invoke(app, ["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "'candidates': 42" in result.output
    matcher = build_matcher(get_settings())
    try:
        assert gone in matcher.sides[Side.candidates].index
        assert matcher.matches_for_candidate(gone, limit=3)
    finally:
        matcher.close()


def test_import_respects_the_row_setting(cli_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import create_engine, text

    monkeypatch.setenv("BRIDGEMATCH_MAX_IMPORT_ROWS", "2")
    get_settings.cache_clear()
    people = tmp_path / "people.csv"
    people.write_text("name,skills\nAna,JS\nBo,SQL\nCai,Go\n")
    engine = create_engine(f"sqlite:///{cli_env / 'bridgematch.db'}")
    with engine.connect() as connection:
        before = connection.scalar(text("SELECT count(*) FROM candidates"))
    result = CliRunner().invoke(app, ["import", str(people), "--kind", "candidates"])
    assert result.exit_code == 1 and "more than 2 rows" in result.output, result.output
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM candidates")) == before
    engine.dispose()


def test_company_tokens_name_an_existing_company(cli_env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["token", "create", "--role", "company", "--company", "Sol Digitl SL"])
    assert result.exit_code == 1, result.output
    assert "no company named 'Sol Digitl SL' in this organisation; did you mean 'Sol Digital SL'?" in result.output
    assert "company create" in result.output
    assert "Sol Digitl SL" not in runner.invoke(app, ["company", "list"]).output  # no phantom company

    assert runner.invoke(app, ["company", "create", "New Co"]).exit_code == 0
    again = runner.invoke(app, ["company", "create", "New Co"])
    assert again.exit_code == 1 and "already" in again.output
    assert "New Co" in runner.invoke(app, ["company", "list"]).output
    result = runner.invoke(app, ["token", "create", "--role", "company", "--company", "New Co"])
    assert result.exit_code == 0 and result.output.strip().startswith("bm_"), result.output


def test_import_creates_companies_only_when_asked(cli_env: Path, tmp_path: Path) -> None:
    file = tmp_path / "postings.csv"
    file.write_text("company,title,required_skills\nBrand New SL,Dev,JS\nSol Digital SL,Dev,CSS\n")
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(file), "--kind", "postings"])
    assert refused.exit_code == 1 and "'Brand New SL'" in refused.output and "--create-companies" in refused.output
    done = runner.invoke(app, ["import", str(file), "--kind", "postings", "--create-companies"])
    assert done.exit_code == 0 and "imported 2 postings" in done.output, done.output
    assert "Brand New SL" in runner.invoke(app, ["company", "list"]).output


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


# Run in a fresh interpreter: what it imported is evidence of what the command loaded.
_PROBE = """
import json, sys
from typer.testing import CliRunner
from service.cli import app
result = CliRunner().invoke(app, json.loads(sys.argv[1]))
from models.lazy import lazy_encoder
print(json.dumps({"code": result.exit_code, "output": result.output,
                  "torch": "torch" in sys.modules, "sentence_transformers": "sentence_transformers" in sys.modules,
                  "faiss": "faiss" in sys.modules, "encoders_built": lazy_encoder.cache_info().currsize}))
"""


def _probe(cli_env: Path, args: list[str]) -> dict:
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], capture_output=True, text=True,
                          env=env, cwd=cli_env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_read_only_commands_never_load_the_model(cli_env: Path, tmp_path: Path) -> None:
    """export, token create, init, company, backup, db upgrade: rows only — no torch, no FAISS, no encoder."""
    commands = [
        ["export", "--kind", "postings", str(tmp_path / "p.csv")],
        ["export", "--kind", "candidates", str(tmp_path / "c.json")],
        ["token", "create", "--role", "coordinator"],
        ["token", "create", "--role", "graduate", "--candidate-id", "1"],
        ["init", "--org", "Fresh school"],
        ["company", "create", "Probe Co"],
        ["company", "list"],
        ["backup", str(tmp_path / "b.sqlite")],
        ["db", "upgrade"],
    ]
    for args in commands:
        seen = _probe(cli_env, args)
        assert seen["code"] == 0, (args, seen["output"])
        assert not seen["torch"] and not seen["sentence_transformers"] and not seen["faiss"], (args, seen)
        assert seen["encoders_built"] == 0, args
    assert pl.read_csv(tmp_path / "p.csv").height == 32
    assert len(json.loads((tmp_path / "c.json").read_text())) == 42
    assert (tmp_path / "b.sqlite").stat().st_size > 0
    refused = _probe(cli_env, ["token", "create", "--role", "graduate", "--candidate-id", "99999"])
    assert refused["code"] == 1 and "existing graduate" in refused["output"]


def test_a_matcher_whose_vectors_are_cached_starts_without_the_model(cli_env: Path, tmp_path: Path) -> None:
    """With the ESCO signal off, a reader's start needs only cached vectors: the encoder stays unloaded
    until a free-text query has to be encoded."""
    from matching.records.sides import Side
    from models.lazy import LazyEncoder
    from service.app import build_matcher

    # A cache folder of its own gives this test its own lazy encoder (one per model and folder).
    settings = get_settings().model_copy(update={"concepts": False, "cache_dir": tmp_path / "cache"})
    matcher = build_matcher(settings, writer=False)
    try:
        assert isinstance(matcher.encoder, LazyEncoder) and not matcher.encoder.loaded
        assert matcher.matches_for_candidate(1, limit=3)
        assert len(matcher.sides[Side.postings].index) == 32
        assert not matcher.encoder.loaded
        found = matcher.search("react developer", Side.postings, org_id=1)
        assert found.matches and matcher.encoder.loaded
    finally:
        matcher.close()



def test_fair_plan_and_place_number_slots_from_one_and_name_people_beside_ids(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    schedule = tmp_path / "fair.csv"
    fair = Path(__file__).resolve().parents[2] / "data" / "demo" / "fair.json"
    result = runner.invoke(app, ["fair", "plan", str(fair), "--csv", str(schedule)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "1 · 10:00" in result.output and "0 · 10:00" not in result.output
    rows = pl.read_csv(schedule)
    assert rows.columns[0] == "slot_number" and rows["slot_number"].min() == 1 and rows["slot_number"].max() == 8
    assert rows["graduate"].null_count() == 0
    spec = tmp_path / "placement.json"
    spec.write_text(json.dumps({"graduates": [f"g{i:03d}" for i in range(1, 13)], "postings": ["p001", "p005"]}))
    out = tmp_path / "placed.csv"
    result = runner.invoke(app, ["place", str(spec), "--csv", str(out)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    placed = pl.read_csv(out, infer_schema_length=None)
    assert placed.columns == ["method", "graduate_id", "graduate", "posting_id", "posting", "company", "score", "reason"]
    assert placed["graduate"].null_count() == 0
    seated = placed.filter(pl.col("posting_id").is_not_null())
    assert seated.height and seated["posting"].null_count() == 0 and seated["company"].null_count() == 0
    unplaced = placed.filter(pl.col("posting_id").is_null())
    assert unplaced.height and unplaced["reason"].null_count() == 0
