"""An encoder that loads its model only when something is really encoded.

Most of what the service does at start-up needs only an encoder's `name` (every
cache key holds it) and `dim` (index shapes, cached vectors): the records'
vectors come from the database's embedding cache and the ESCO labels' from
disk. Loading torch and the model takes ~10 s, so commands that never encode
(`export`, `token create`, `match` of a stored record whose skills map exactly)
should not pay for it. `describe` reads both facts from the model's folder
without importing torch; the real encoder is built on the first `encode`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.encoder import DEFAULT_MODEL, ONNX_MODELS, Encoder, default_model_dir, load_encoder
from models.use import USE_ALIASES, USE_DIM, USE_MODEL_NAME

DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, "default", "sentence-transformers/all-MiniLM-L6-v2"})
# Told how many texts were just encoded (by any lazy encoder, in this context): a command line
# counts them behind a bar (`bridgematch reindex` after a model change encodes every record).
ENCODED: ContextVar[Callable[[int], None] | None] = ContextVar("encoded", default=None)
# Modules whose output width is the transformer's pooled width (no projection layer after them).
_SAME_WIDTH = ("Transformer", "Pooling", "Normalize")


def folder_dim(folder: Path) -> int | None:
    """The embedding width of a sentence-transformers folder, or None when only loading tells.

    A folder whose pipeline is transformer → pooling (→ normalise) embeds at the pooling
    width; one with a Dense (or any other) module may project to another, so it is loaded.
    """
    try:
        modules = json.loads((folder / "modules.json").read_text())
        if not all(str(m.get("type", "")).rsplit(".", 1)[-1] in _SAME_WIDTH for m in modules):
            return None
        pooling = next(m["path"] for m in modules if str(m.get("type", "")).endswith("Pooling"))
        config = json.loads((folder / pooling / "config.json").read_text())
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return None


def describe(model: str) -> tuple[str, int | None]:
    """(name, dim) that `load_encoder(model)` would give, read without loading it (dim may be None)."""
    if model in DEFAULT_ALIASES:
        return DEFAULT_MODEL, folder_dim(default_model_dir())
    if model in USE_ALIASES:
        return USE_MODEL_NAME, USE_DIM
    if model in ONNX_MODELS:
        return DEFAULT_MODEL + "-onnx-int8", folder_dim(default_model_dir())
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve().name, folder_dim(path)
    return load_encoder(model).name, None  # unknown: let the loader raise its own error


class LazyEncoder:
    """The `Encoder` of `model`, loaded (once, thread-safely) on the first `encode`.

    `loaded` tells whether the model was ever materialised; the CLI's tests read it
    to prove that a read-only command never loaded one.
    """

    def __init__(self, model: str, *, onnx_cache_dir: Path | None = None) -> None:
        self.model = model
        self.onnx_cache_dir = onnx_cache_dir
        self.name, dim = describe(model)
        self._dim = dim
        self._real: Encoder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._real is not None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = self.real().dim
        return self._dim

    def real(self) -> Encoder:
        """The loaded encoder (loading it now if needed)."""
        if self._real is None:
            with self._lock:
                if self._real is None:
                    encoder = load_encoder(self.model, onnx_cache_dir=self.onnx_cache_dir)
                    if encoder.name != self.name:  # a cache key must never change under a running process
                        raise RuntimeError(f"model {self.model!r} loaded as {encoder.name!r}, not {self.name!r}")
                    self._real = encoder
        return self._real

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.real().encode(texts, batch_size=batch_size)
        if (counted := ENCODED.get()) is not None:
            counted(len(texts))
        return vectors


@lru_cache(maxsize=4)
def lazy_encoder(model: str, onnx_cache_dir: Path | None = None) -> LazyEncoder:
    """One lazy encoder per model and folder per process, like `load_encoder`: caches keyed by
    the encoder (the ESCO mapper, `matching.esco.concept_signal.skill_mapper`) are then shared."""
    return LazyEncoder(model, onnx_cache_dir=onnx_cache_dir)
