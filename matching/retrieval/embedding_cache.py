"""Embeddings of a fixed list of texts, kept on disk so a restart does not re-encode them.

The file name is the encoder's name plus a hash of the texts in order, so a
different model or a changed label list can never be served stale vectors:
it simply misses the cache and is encoded (and saved) once.

Example:
    >>> vectors = cached_encode(encoder, ["JavaScript", "SQL"], cache_dir=Path("var/cache"))
    ... # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import numpy as np

from matching.retrieval.private_dirs import make_private_dir
from models.encoder import Encoder

DEFAULT_CACHE_DIR = Path("var/cache")
# Told (done, total) while a list is being encoded because it missed the cache: the first start
# encodes ESCO's ~1,300 labels (a minute or more on a small CPU), which a command line shows as a
# bar. A context variable, so the engine stays free of any UI and callers who set nothing see nothing.
ENCODE_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("encode_progress", default=None)
CHUNK = 512


def _encode(encoder: Encoder, texts: list[str], batch_size: int) -> np.ndarray:
    """All of `texts` at once, or in chunks reported to `ENCODE_PROGRESS` when someone listens."""
    report = ENCODE_PROGRESS.get()
    if report is None or len(texts) <= CHUNK:
        return encoder.encode(texts, batch_size=batch_size)
    parts = []
    report(0, len(texts))
    for start in range(0, len(texts), CHUNK):
        parts.append(np.asarray(encoder.encode(texts[start : start + CHUNK], batch_size=batch_size)))
        report(min(start + CHUNK, len(texts)), len(texts))
    return np.concatenate(parts)


def texts_digest(texts: list[str]) -> str:
    """Order-sensitive digest of a list of texts (16 hex characters)."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def cache_path(model_name: str, texts: list[str], cache_dir: Path) -> Path:
    """Where the embeddings of `texts` under `model_name` live."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_") or "model"
    return cache_dir / f"{safe}-{texts_digest(texts)}-{len(texts)}.npy"


def cached_encode(
    encoder: Encoder,
    texts: list[str],
    *,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    batch_size: int = 128,
) -> np.ndarray:
    """Unit-length float32 embeddings of `texts`, read from `cache_dir` when already computed.

    `cache_dir=None` disables the cache. A file that does not fit (wrong shape,
    unreadable) is ignored and rewritten. Writes go through a temporary file
    and a rename, so two processes starting together cannot read half a file.
    """
    if cache_dir is None:
        return encoder.encode(texts, batch_size=batch_size)
    path = cache_path(encoder.name, texts, cache_dir)
    if path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            vectors = None
        if vectors is not None and vectors.shape == (len(texts), encoder.dim):
            return np.ascontiguousarray(vectors, dtype=np.float32)
    vectors = np.ascontiguousarray(_encode(encoder, texts, batch_size), dtype=np.float32)
    make_private_dir(cache_dir)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return vectors
