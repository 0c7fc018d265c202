"""The writer lock (service/lock.py): a second writer is refused while a server holds it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from service.settings import get_settings


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
