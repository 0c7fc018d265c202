"""ESCO normalisation: obvious spellings land on the right concept, with the real models.

Mappers are built on small, fixed subsets of the shipped ESCO tables so the
label embeddings take seconds; they are cached in a session temp folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.esco.mapper import ConceptHit, ConceptMapper, concept_overlap
from matching.esco.vocabulary import (
    DATA_DIR,
    fold_label,
    load_occupation_vocabulary,
    load_skill_vocabulary,
    short_label,
)
from matching.retrieval.embedding_cache import cache_path
from models.encoder import Encoder

SKILLS = {
    "JavaScript",
    "JavaScript Framework",
    "TypeScript",
    "web programming",
    "PostgreSQL",
    "SQL",
    "MySQL",
    "NoSQL",
    "database",
    "Python (computer programming)",
    "Java (computer programming)",
    "design application interfaces",
    "web services",
    "CSS",
    "use markup languages",
    "implement front-end website design",
    "Angular",
    "PHP",
    "C#",
    "C++",
    "machine learning",
    "tools for software configuration management",
    "cloud technologies",
    "DevOps",
    "data analytics",
    "Haskell",
    "KDevelop",
    "Absorb (learning management systems)",
    "incremental development",
}
OCCUPATION_GROUPS = ("25", "35", "22")  # ICT professionals and technicians, health professionals


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("esco-cache")


@pytest.fixture(scope="session")
def skill_mapper(encoder: Encoder, cache_dir: Path) -> ConceptMapper:
    return ConceptMapper(load_skill_vocabulary().subset(SKILLS), encoder, cache_dir=cache_dir)


@pytest.fixture(scope="session")
def use_encoder() -> Encoder:
    from models.encoder import load_encoder

    return load_encoder("use-multilingual")


def _occupations(languages: tuple[str, ...]):  # type: ignore[no-untyped-def]
    import polars as pl

    frame = pl.read_parquet(DATA_DIR / "occupation_labels.parquet")
    keep = set(
        frame.filter(pl.col("isco_group").str.slice(0, 2).is_in(list(OCCUPATION_GROUPS)))["uri"]
    )
    return load_occupation_vocabulary(languages=languages).subset(keep)


def _top_labels(hits: list[ConceptHit]) -> list[str]:
    return [h.label for h in hits]


def test_shipped_tables_are_small_and_attributed() -> None:
    files = sorted(p for p in DATA_DIR.iterdir() if p.is_file())
    assert sum(p.stat().st_size for p in files) < 5_000_000
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "2011/833/EU" in readme and "European Union" in readme


def test_label_helpers() -> None:
    assert fold_label(" Node.JS ") == "nodejs"
    assert fold_label("C++") == "c++" != fold_label("C")
    assert short_label("Java (computer programming)") == "Java"


def test_vocabularies_load_with_labels_per_concept() -> None:
    skills = load_skill_vocabulary()
    assert len(skills) == 1284  # ESCO digital-skills collection
    assert skills.concept_of("Postgres").label == "PostgreSQL"  # ESCO alternative label
    assert skills.concept_of("JS").label == "JavaScript"  # curated alias
    occupations = load_occupation_vocabulary(languages=("en", "es"))
    assert occupations.concept_of("desarrolladora web").label == "web developer"


def test_js_means_javascript(skill_mapper: ConceptMapper) -> None:
    hits = skill_mapper.map("JS", k=3)
    assert hits[0].label == "JavaScript"
    assert hits[0].confidence >= 0.9


def test_postgres_means_postgresql(skill_mapper: ConceptMapper) -> None:
    hits = skill_mapper.map("postgres", k=3)
    assert hits[0].label == "PostgreSQL"
    assert hits[0].uri.startswith("http://data.europa.eu/esco/skill/")


def test_dense_path_finds_a_skill_not_spelled_like_any_label(skill_mapper: ConceptMapper) -> None:
    # the dense ranking itself: SQL comes at 0.56 here, below the service's MIN_CONFIDENCE
    hits = skill_mapper.map("writing database queries", k=3, min_confidence=0.5)
    assert "SQL" in _top_labels(hits)


def test_express_api_and_node_backend_meet_on_a_concept(skill_mapper: ConceptMapper) -> None:
    graduate = skill_mapper.map("built REST APIs with Express", k=8)
    posting = skill_mapper.map("Node.js backend", k=8)
    score, shared = concept_overlap(graduate, posting)
    assert score > 0.3
    assert {"JavaScript Framework", "web programming"} & set(shared)


def test_everyday_words_are_not_framework_names(skill_mapper: ConceptMapper) -> None:
    hits = skill_mapper.map("I can express myself clearly", k=5)
    assert "JavaScript Framework" not in [h.label for h in hits if h.confidence >= 0.5]


def test_label_embeddings_are_cached_on_disk(encoder: Encoder, cache_dir: Path) -> None:
    vocab = load_skill_vocabulary().subset(SKILLS)
    ConceptMapper(vocab, encoder, cache_dir=cache_dir)
    assert cache_path(encoder.name, vocab.labels, cache_dir).is_file()

    class Refuses:
        name, dim = encoder.name, encoder.dim

        def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
            raise AssertionError("labels should have come from the cache")

    mapper = ConceptMapper(vocab, Refuses(), cache_dir=cache_dir)
    assert mapper.label_vectors.shape == (len(vocab.labels), encoder.dim)


def test_spanish_title_maps_to_web_developer(use_encoder: Encoder, cache_dir: Path) -> None:
    mapper = ConceptMapper(_occupations(("en", "es")), use_encoder, cache_dir=cache_dir)
    assert mapper.map("desarrolladora web", k=1)[0].label == "web developer"


def test_spanish_title_meets_english_labels_through_the_multilingual_model(
    use_encoder: Encoder, cache_dir: Path
) -> None:
    mapper = ConceptMapper(_occupations(("en",)), use_encoder, cache_dir=cache_dir)
    hits = mapper.map("desarrolladora de páginas web", k=3)
    assert "web developer" in _top_labels(hits)


def test_concept_overlap_worked_examples() -> None:
    js, sql, css = (
        ConceptHit(f"u:{n}", n, c) for n, c in [("JS", 0.9), ("SQL", 0.5), ("CSS", 1.0)]
    )
    assert concept_overlap([js, sql], [js, sql]) == (1.0, ["JS", "SQL"])
    assert concept_overlap([css], [js, sql]) == (0.0, [])
    assert concept_overlap([js, sql], []) == (0.0, [])
    # a holds JS less surely than b asks: min(0.45, 0.9) of 1.4
    weak_js = ConceptHit("u:JS", "JS", 0.45)
    score, shared = concept_overlap([weak_js, css], [js, sql])
    assert score == pytest.approx(0.45 / 1.4, abs=1e-4) and shared == ["JS"]
    # extra concepts on a's side never lower the score
    assert concept_overlap([js, sql, css], [js])[0] == 1.0
