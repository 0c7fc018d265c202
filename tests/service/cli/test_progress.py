"""Every step a person waits on says so, also off a terminal (`make run > log`, CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.cli.common import LABELS_BAR
from service.settings import get_settings
from tests.conftest import REPO


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bridgematch.db'}")
    monkeypatch.setenv("BRIDGEMATCH_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("BRIDGEMATCH_CACHE_DIR", str(REPO / "var" / "cache"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_first_start_names_each_step_and_counts_the_demo_records(empty_env: Path) -> None:
    result = CliRunner().invoke(app, ["demo"])  # CliRunner's output is no terminal
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "loading model and indexes …" in lines
    assert "loading the demo (first start only) …" in lines
    assert "encoding demo records: 42" in lines and "encoding demo records: 32" in lines
    assert "loaded the demo: 42 candidates" in result.output
    # the shipped ESCO vectors fit: no label is encoded on a first start
    assert not any(line.startswith(LABELS_BAR) for line in lines)


def test_a_second_demo_run_encodes_nothing(empty_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0 and "encoding demo records" not in again.output


def test_reindex_and_import_show_their_step(empty_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "rebuilding indexes (cached vectors are reused) …" in result.output
    people = tmp_path / "people.csv"
    people.write_text("name,skills,languages\nLina,python;sql,en:B2\n")
    result = runner.invoke(app, ["import", str(people), "--kind", "candidates"])
    assert result.exit_code == 0, result.output
    assert "encoding records: 1" in result.stderr and "imported 1 candidates" in result.stdout


def test_the_shipped_label_vectors_are_up_to_date() -> None:
    result = CliRunner().invoke(app, ["esco", "vectors", "--check"])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())  # rich wraps at the terminal width the runner reports
    assert "up to date" in words and "7195 labels" in words


def test_the_step_lines_go_to_stderr_so_json_output_stays_json(empty_env: Path) -> None:
    import json

    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    result = runner.invoke(app, ["match", "candidate", "1", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["items"]) == 2
    assert "loading model and indexes …" in result.stderr
