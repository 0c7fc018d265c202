"""`bridgematch fair plan` and `bridgematch place` (service/cli/fairs.py)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.service.helpers import DEMO_FAIR


def test_fair_plan_and_place_number_slots_from_one_and_name_people_beside_ids(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    schedule = tmp_path / "fair.csv"
    fair = Path(__file__).resolve().parents[3] / "data" / "demo" / "fair.json"
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


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_cli_fair_plan_and_place(workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import yaml
    from typer.testing import CliRunner

    from service.cli import app
    from service.settings import get_settings

    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{workdir / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(workdir / "index"))
    get_settings.cache_clear()
    try:
        description = tmp_path / f"fair.{fmt}"
        description.write_text(json.dumps(DEMO_FAIR) if fmt == "json" else yaml.safe_dump(DEMO_FAIR))
        ics, csv = tmp_path / "fair.ics", tmp_path / "fair.csv"
        result = CliRunner().invoke(app, ["fair", "plan", str(description), "--ics", str(ics), "--csv", str(csv)])
        assert result.exit_code == 0, result.output
        assert "meetings per graduate min 2" in result.output and "10:00" in result.output
        assert ics.read_text().count("BEGIN:VEVENT") == len(csv.read_text().strip().splitlines()) - 1
        place = tmp_path / "place.json"
        place.write_text(json.dumps({"graduates": ["g001", "g002", "g003"], "postings": ["p001", "p005"]}))
        result = CliRunner().invoke(app, ["place", str(place)])
        assert result.exit_code == 0 and "welfare" in result.output
    finally:
        get_settings.cache_clear()
