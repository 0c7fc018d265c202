"""`bridgematch token / company` (service/cli/trust.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from service.cli import app


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
