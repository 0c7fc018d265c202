"""ESCO label vectors shipped with the project, so a fresh checkout's first start encodes none.

Encoding the 7,195 labels of ESCO's digital-skills collection (and bridgematch's aliases)
takes a minute or more on a small CPU, and every fresh machine would pay it before its
first answer. `data/esco/vectors/` holds them for the bundled model, in half precision
(about 5 MB; cosine to the float32 vectors above 0.9999). A file is named like the
embedding cache's (`<model>-<hash of the labels in order>-<count>.npy`), so another
model or a changed label list simply misses it: those labels are encoded once, with a
progress bar, into the disk cache (`matching.retrieval.embedding_cache`).

Rebuild after changing `skills.parquet` or `aliases.csv`: `bridgematch esco vectors`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from matching.esco.vocabulary import DATA_DIR, ConceptVocabulary
from matching.retrieval.embedding_cache import cache_path, encode_with_progress
from models.encoder import Encoder

SHIPPED_DIR = DATA_DIR / "vectors"


def shipped_path(model_name: str, labels: list[str], directory: Path = SHIPPED_DIR) -> Path:
    """Where the shipped vectors of `labels` under `model_name` live (present or not)."""
    return cache_path(model_name, labels, directory)


def write_shipped(encoder: Encoder, vocabulary: ConceptVocabulary, directory: Path = SHIPPED_DIR) -> Path:
    """Encode `vocabulary`'s labels and write them as float16; older files of this model go,
    so the repository keeps one file per model (the service's skill labels). Returns the file."""
    labels = vocabulary.labels
    vectors = encode_with_progress(encoder, labels).astype(np.float16)
    path = shipped_path(encoder.name, labels, directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors, allow_pickle=False)
        os.chmod(tmp, 0o644)  # part of the project, not personal data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    model_prefix = path.name.rsplit("-", 2)[0]
    for old in directory.glob("*.npy"):
        if old != path and old.name.rsplit("-", 2)[0] == model_prefix:
            old.unlink()
    return path
