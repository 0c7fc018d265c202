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
# of a checkout without shipped label vectors encodes ESCO's 7,195 labels (a minute or more on a
# small CPU), which a command line shows as a bar. A context variable, so the engine stays free of any UI and callers who set nothing see nothing.
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


def read_vectors(path: Path, shape: tuple[int, int]) -> np.ndarray | None:
    """The unit-length float32 vectors in `path` (float32 or float16), or None when the file is
    missing, unreadable or not of `shape`. Half-precision files are renormalised after widening."""
    if not path.is_file():
        return None
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vectors.shape != shape or vectors.dtype not in (np.float16, np.float32):
        return None
    if vectors.dtype == np.float16:
        vectors = vectors.astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms > 0, norms, 1.0)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def encode_with_progress(encoder: Encoder, texts: list[str], batch_size: int = 128) -> np.ndarray:
    """Float32 embeddings of `texts`, in chunks told to `ENCODE_PROGRESS` when someone listens."""
    return np.ascontiguousarray(_encode(encoder, texts, batch_size), dtype=np.float32)


def save_vectors(vectors: np.ndarray, path: Path) -> None:
    """Write `vectors` to `path` through a temporary file and a rename (never half a file)."""
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors, allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_encode(
    encoder: Encoder,
    texts: list[str],
    *,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    batch_size: int = 128,
    shipped_dir: Path | None = None,
) -> np.ndarray:
    """Unit-length float32 embeddings of `texts`, read from `cache_dir` when already computed.

    `shipped_dir`: a read-only folder of vectors shipped with the project (float16, named like
    the cache's files, so another model or changed texts simply miss it), looked at first: a
    fresh checkout then never encodes them. `cache_dir=None` disables the cache. A file that
    does not fit (wrong shape, unreadable) is ignored and rewritten. Writes go through a
    temporary file and a rename, so two processes starting together cannot read half a file.
    """
    if shipped_dir is not None:
        vectors = read_vectors(cache_path(encoder.name, texts, shipped_dir), (len(texts), encoder.dim))
        if vectors is not None:
            return vectors
    if cache_dir is None:
        return encoder.encode(texts, batch_size=batch_size)
    path = cache_path(encoder.name, texts, cache_dir)
    vectors = read_vectors(path, (len(texts), encoder.dim))
    if vectors is not None:
        return vectors
    vectors = encode_with_progress(encoder, texts, batch_size)
    save_vectors(vectors, path)
    return vectors
