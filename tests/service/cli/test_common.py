"""How commands open the service (service/cli/common.py): commands that only read or write rows
never load the model, and a catalogue whose vectors are cached starts without it."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from service.settings import get_settings

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

    repo = Path(__file__).resolve().parents[3]
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
