"""The ESCO label vectors shipped in data/esco/vectors: present, right, and used instead of encoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matching.esco.label_vectors import SHIPPED_DIR, shipped_path, write_shipped
from matching.esco.mapper import ConceptMapper
from matching.esco.vocabulary import load_skill_vocabulary
from matching.retrieval.embedding_cache import cached_encode, read_vectors
from models.encoder import Encoder
from models.lazy import LazyEncoder


def test_the_shipped_file_fits_the_labels_the_service_maps_to(encoder: Encoder) -> None:
    labels = load_skill_vocabulary().labels
    path = shipped_path(encoder.name, labels)
    assert path.is_file(), f"{path.name} is missing: run `bridgematch esco vectors` and commit it"
    assert path.stat().st_size < 8_000_000
    stored = np.load(path, allow_pickle=False)
    assert stored.dtype == np.float16 and stored.shape == (len(labels), encoder.dim)


def test_shipped_vectors_equal_freshly_encoded_ones_on_a_sample(encoder: Encoder) -> None:
    labels = load_skill_vocabulary().labels
    shipped = read_vectors(shipped_path(encoder.name, labels), (len(labels), encoder.dim))
    assert shipped is not None
    sample = np.random.default_rng(0).choice(len(labels), size=300, replace=False)
    fresh = encoder.encode([labels[i] for i in sample])
    fresh /= np.linalg.norm(fresh, axis=1, keepdims=True)
    cosines = (shipped[sample] * fresh).sum(axis=1)
    assert cosines.min() >= 0.999, (labels[int(sample[cosines.argmin()])], cosines.min())
    assert np.allclose(np.linalg.norm(shipped[sample], axis=1), 1.0, atol=1e-5)


def test_a_fresh_checkout_builds_the_skill_mapper_without_loading_the_model(tmp_path: Path) -> None:
    lazy = LazyEncoder("all-MiniLM-L6-v2")
    mapper = ConceptMapper(load_skill_vocabulary(), lazy, cache_dir=tmp_path / "cache")
    assert not lazy.loaded and not (tmp_path / "cache").exists()
    assert mapper.label_vectors.shape == (len(mapper.vocabulary.labels), lazy.dim)


def test_changed_labels_miss_the_shipped_file_and_are_encoded(tmp_path: Path, encoder: Encoder) -> None:
    vocabulary = load_skill_vocabulary().subset({"PostgreSQL", "JavaScript", "Python (computer programming)"})
    written = write_shipped(encoder, vocabulary, tmp_path / "shipped")
    assert written.name.startswith(encoder.name) and written.stat().st_mode & 0o777 == 0o644
    read = cached_encode(encoder, vocabulary.labels, cache_dir=None, shipped_dir=tmp_path / "shipped")
    assert np.allclose(read, encoder.encode(vocabulary.labels), atol=2e-3)

    changed = [*vocabulary.labels, "a label added since"]
    vectors = cached_encode(encoder, changed, cache_dir=tmp_path / "cache", shipped_dir=tmp_path / "shipped")
    assert vectors.shape == (len(changed), encoder.dim)
    assert list((tmp_path / "cache").glob("*.npy")), "the changed list was encoded into the cache"

    smaller = vocabulary.subset({"PostgreSQL"})
    again = write_shipped(encoder, smaller, tmp_path / "shipped")
    assert [p.name for p in (tmp_path / "shipped").glob("*.npy")] == [again.name]  # one file per model


def test_the_shipped_folder_is_inside_the_project() -> None:
    assert SHIPPED_DIR.parts[-3:] == ("data", "esco", "vectors")
