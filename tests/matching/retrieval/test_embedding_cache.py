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


def test_a_listener_sees_a_long_list_encoded_in_chunks_and_a_cached_one_not_at_all(
    tmp_path: Path, encoder: Encoder
) -> None:
    from matching.retrieval.embedding_cache import CHUNK, ENCODE_PROGRESS

    texts = [f"skill number {i}" for i in range(CHUNK + 40)]
    seen: list[tuple[int, int]] = []
    token = ENCODE_PROGRESS.set(lambda done, total: seen.append((done, total)))
    try:
        first = cached_encode(encoder, texts, cache_dir=tmp_path)
        assert seen == [(0, len(texts)), (CHUNK, len(texts)), (len(texts), len(texts))]
        seen.clear()
        again = cached_encode(encoder, texts, cache_dir=tmp_path)
        assert seen == [] and np.array_equal(first, again)
    finally:
        ENCODE_PROGRESS.reset(token)
    whole = encoder.encode(texts[:3])
    assert np.allclose(first[:3], whole, atol=1e-5)
