from __future__ import annotations

import stat
from pathlib import Path

import numpy as np

from matching.retrieval.embedding_cache import cached_encode
from models.encoder import Encoder


def test_the_cache_folder_is_the_owners_only(tmp_path: Path, encoder: Encoder) -> None:
    folder = tmp_path / "var" / "cache"
    first = cached_encode(encoder, ["JavaScript", "SQL"], cache_dir=folder)
    assert np.allclose(cached_encode(encoder, ["JavaScript", "SQL"], cache_dir=folder), first)
    for made in (tmp_path / "var", folder):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
