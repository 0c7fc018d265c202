"""The int8 ONNX backend: exported once into a temporary cache, checked against the fp32 model."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from models import onnx_encoder
from models.encoder import DEFAULT_MODEL, Encoder, default_model_dir, load_encoder
from models.onnx_encoder import OnnxEncoder, ensure_export, length_batches, load_onnx_encoder

SENTENCES = [
    "Backend developer (Python, Django, PostgreSQL)",
    "Junior frontend developer with React, TypeScript and Tailwind",
    "I was a civil engineer in Aleppo for six years before I came to Barcelona.",
    "Built a REST API to track donated laptops for newcomers.",
    "Data analyst: SQL, Power BI and pandas; I like clean dashboards.",
    "QA tester with Cypress, Jest and Postman, looking for an internship",
    "Junior DevOps engineer: Linux, Docker, GitHub Actions, a little Kubernetes",
    "We are hiring a full-stack developer to build our booking platform in Node.js.",
    "Traineeship in cloud support for a health-tech start-up, English B2 required",
    "Nurse",
    "Skills: Java, Spring Boot, Maven, JUnit, Git",
    "UX/UI designer who also writes the front-end in HTML and CSS",
    "Desarrollador full stack junior (React, Node, PostgreSQL)",
    "Buscamos una persona para prácticas de análisis de datos con Python y SQL.",
    "Antes de venir a España fui profesora de inglés durante ocho años.",
    "Desarrolladora web: HTML, CSS, JavaScript y WordPress",
    "Ofrecemos contrato indefinido como programador Android (Kotlin) en Madrid.",
    "Analista de datos junior con experiencia en Power BI",
    "Tester de software manual y automatizado",
    "",
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="session")
def int8(onnx_cache: Path) -> OnnxEncoder:
    return load_onnx_encoder(cache_dir=onnx_cache, threads=2)


def test_shape_dtype_and_unit_rows(int8: OnnxEncoder) -> None:
    vectors = int8.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), int8.dim) == (20, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert int8.encode([]).shape == (0, 384)


def test_same_texts_give_the_same_vectors(int8: OnnxEncoder) -> None:
    first = int8.encode(SENTENCES, batch_size=4)
    assert np.array_equal(first, int8.encode(SENTENCES, batch_size=4))
    one_worker = OnnxEncoder(int8.export_dir, name="one worker", threads=1)
    assert np.array_equal(first, one_worker.encode(SENTENCES, batch_size=4))


def test_close_to_the_fp32_model(int8: OnnxEncoder, encoder: Encoder) -> None:
    cosines = (int8.encode(SENTENCES) * encoder.encode(SENTENCES)).sum(axis=1)
    assert cosines.min() >= 0.93, cosines.round(3)
    assert cosines.mean() >= 0.98


def test_name_differs_from_the_fp32_model(int8: OnnxEncoder, encoder: Encoder) -> None:
    assert int8.name == DEFAULT_MODEL + "-onnx-int8" != encoder.name


def test_second_load_reuses_the_export(
    int8: OnnxEncoder, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_file = int8.export_dir / onnx_encoder.MODEL_FILE
    stamp = model_file.stat().st_mtime_ns

    def no_export(source: Path, target: Path) -> None:
        raise AssertionError("the cached export should have been reused")

    monkeypatch.setattr(onnx_encoder, "export_int8", no_export)
    again = load_onnx_encoder(cache_dir=onnx_cache)
    assert again.export_dir == int8.export_dir
    assert model_file.stat().st_mtime_ns == stamp
    assert [p.name for p in onnx_cache.iterdir()] == [int8.export_dir.name]
    np.testing.assert_array_equal(again.encode(SENTENCES[:3]), int8.encode(SENTENCES[:3]))


def test_load_encoder_knows_the_onnx_name(
    int8: OnnxEncoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # load_encoder reads the export from the folder it is given (the service: Settings.cache_dir / "onnx"):
    # a copy of the export there, and no export allowed, proves that folder is the one used.
    export = int8.export_dir
    shutil.copytree(export, tmp_path / "cache" / "onnx" / export.name)
    monkeypatch.setattr(onnx_encoder, "export_int8", lambda source, target: 1 / 0)
    loaded = load_encoder(DEFAULT_MODEL + "-onnx-int8", onnx_cache_dir=tmp_path / "cache" / "onnx")
    assert loaded.name == int8.name
    np.testing.assert_array_equal(loaded.encode(SENTENCES[:2]), int8.encode(SENTENCES[:2]))


def test_a_process_that_loses_the_export_race_keeps_the_winners_folder(
    int8: OnnxEncoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = onnx_encoder.export_dir_for(default_model_dir(), tmp_path)

    def export_while_another_process_finishes(source: Path, target: Path) -> None:
        (target / onnx_encoder.META_FILE).write_text("{}")  # our half-done copy
        shutil.copytree(int8.export_dir, winner)  # the other process renames first

    monkeypatch.setattr(onnx_encoder, "export_int8", export_while_another_process_finishes)
    assert ensure_export(default_model_dir(), tmp_path) == winner
    assert [p.name for p in tmp_path.iterdir()] == [winner.name]  # no scratch folder left
    assert OnnxEncoder(winner, name="x").encode(["Python developer"]).shape == (1, 384)


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(onnx_encoder.OnnxExportError, match="no config.json"):
        ensure_export(tmp_path, tmp_path / "cache")


@pytest.mark.parametrize("max_texts,max_tokens", [(1, 512), (4, 64), (64, 512), (64, 10**9)])
def test_length_batches_cover_every_text_once_within_the_budget(
    max_texts: int, max_tokens: int
) -> None:
    lengths = np.random.default_rng(0).integers(1, 257, size=300).tolist()
    batches = length_batches(lengths, max_texts, max_tokens)
    assert sorted(np.concatenate(batches).tolist()) == list(range(300))
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert len(batch) <= max_texts
        assert len(batch) == 1 or padded <= max_tokens
    widths = [max(lengths[i] for i in batch) for batch in batches]
    assert widths == sorted(widths)  # shortest first: texts of a batch have similar lengths
