"""The multilingual encoder behind the `Encoder` protocol, with its bundled weights."""

from __future__ import annotations

import numpy as np
import pytest

from models.encoder import Encoder, load_encoder
from models.use import USE_DIM, USEEncoder


@pytest.fixture(scope="module")
def use() -> Encoder:
    return load_encoder("use-multilingual")


def test_load_encoder_names_the_multilingual_model(use: Encoder) -> None:
    assert isinstance(use, USEEncoder)
    assert isinstance(use, Encoder)
    assert load_encoder("use") is not None
    assert use.name == "use-multilingual-v3-lc" and use.dim == USE_DIM == 512


def test_encode_returns_unit_float32_rows(use: Encoder) -> None:
    vectors = use.encode(["Web developer", "Krankenpfleger", "", "مطور ويب"])
    assert vectors.shape == (4, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert use.encode([]).shape == (0, 512)


def test_encoding_is_deterministic_and_batch_independent(use: Encoder) -> None:
    alone = use.encode(["data analyst"])
    batched = use.encode(["nurse", "data analyst", "cook"])
    assert np.allclose(alone[0], batched[1], atol=1e-5)


def test_translations_are_closer_than_unrelated_sentences(use: Encoder) -> None:
    es, en, other = use.encode(
        [
            "Busco trabajo como desarrolladora web",
            "I am looking for a job as a web developer",
            "The bakery opens at six in the morning",
        ]
    )
    assert float(es @ en) > float(es @ other) + 0.2
    assert float(es @ en) > float(en @ other) + 0.2


@pytest.mark.parametrize("model", ["use-multilingual", "all-MiniLM-L6-v2"])
def test_capitals_read_as_lower_case(model: str) -> None:
    """A title typed in capitals embeds exactly like the same title in lower case."""
    shouted, plain = load_encoder(model).encode(["DESARROLLADOR WEB JUNIOR", "desarrollador web junior"])
    assert np.allclose(shouted, plain, atol=1e-6)
