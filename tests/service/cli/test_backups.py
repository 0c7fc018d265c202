"""`bridgematch backup / restore` (service/cli/backups.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


def test_a_restore_brings_back_the_backup_and_refuses_a_file_that_is_not_one(cli_env: Path, tmp_path: Path) -> None:
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
