"""`bridgematch draft` (service/cli/draft.py): a draft profile from a document, offline."""

from __future__ import annotations

import pytest

from tests.pdf_maker import image_only_pdf
from tests.service.helpers import docx_bytes


def test_cli_draft(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from service.cli import app
    from service.settings import get_settings
    from tests.conftest import REPO

    monkeypatch.setenv("BRIDGEMATCH_CACHE_DIR", str(REPO / "var" / "cache"))
    get_settings.cache_clear()
    cv = tmp_path / "cv.docx"
    cv.write_bytes(docx_bytes(["Amina Haddad", "Skills: Python, postgres", "Idiomas: árabe nativo, inglés B2"]))
    runner = CliRunner()
    as_json = runner.invoke(app, ["draft", str(cv), "--kind", "candidate", "--json"])
    assert as_json.exit_code == 0, as_json.output
    out = json.loads(as_json.stdout[as_json.stdout.index("{"):])
    assert out["draft"]["skills"] == ["Python", "PostgreSQL"] and out["draft"]["languages"] == {"ar": "C2", "en": "B2"}
    table = runner.invoke(app, ["draft", str(cv), "--kind", "candidate"])
    assert table.exit_code == 0 and "PostgreSQL" in table.stdout and "languages" in table.stdout
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_only_pdf())
    refused = runner.invoke(app, ["draft", str(scan), "--kind", "posting"])
    assert refused.exit_code == 1 and "no text found" in refused.output
    get_settings.cache_clear()
