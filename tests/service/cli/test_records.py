"""`bridgematch import / export / reindex` (service/cli/records.py) on the seeded demo."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


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


def test_import_creates_companies_only_when_asked(cli_env: Path, tmp_path: Path) -> None:
    file = tmp_path / "postings.csv"
    file.write_text("company,title,required_skills\nBrand New SL,Dev,JS\nSol Digital SL,Dev,CSS\n")
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(file), "--kind", "postings"])
    assert refused.exit_code == 1 and "'Brand New SL'" in refused.output and "--create-companies" in refused.output
    done = runner.invoke(app, ["import", str(file), "--kind", "postings", "--create-companies"])
    assert done.exit_code == 0 and "imported 2 postings" in done.output, done.output
    assert "Brand New SL" in runner.invoke(app, ["company", "list"]).output
