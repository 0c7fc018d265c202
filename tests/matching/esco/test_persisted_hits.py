"""Skill hits kept on disk: read back equal, torn lines skipped, readers never write, keyed by the mapper."""

from __future__ import annotations

from pathlib import Path

from matching.esco.concept_signal import ConceptSignal, skill_mapper
from matching.esco.mapper import MIN_CONFIDENCE
from matching.esco.persisted_hits import PersistedHits, fingerprint
from matching.records.profiles import CandidateProfile
from models.encoder import Encoder
from tests.conftest import REPO

CACHE = REPO / "var" / "cache"  # the label embeddings, shared with the other tests


def _graduate(*skills: str) -> CandidateProfile:
    return CandidateProfile.model_construct(skills=list(skills))


def test_a_second_signal_reads_what_the_first_mapped_and_encodes_nothing(encoder: Encoder, tmp_path: Path) -> None:
    mapper = skill_mapper(encoder, CACHE)
    path = tmp_path / "hits.jsonl"
    writer = ConceptSignal(mapper, persisted=PersistedHits(path))
    record = _graduate("built REST APIs with Express", "postgres", "team spirit")
    writer.learn([record])
    assert len(path.read_text().splitlines()) == 3

    class Refuses:  # stands in for the encoder of a reader: any encode is a failure of this test
        name, dim = encoder.name, encoder.dim

        def encode(self, texts: list[str], **_: object) -> None:
            raise AssertionError(f"encoded {texts}")

    reader_mapper = type(mapper).__new__(type(mapper))
    reader_mapper.__dict__.update(mapper.__dict__, encoder=Refuses())
    reader = ConceptSignal(reader_mapper, persisted=PersistedHits(path, writable=False))
    assert reader.hits(record) == writer.hits(record)
    assert reader.holding(record) == writer.holding(record)
    reader.persisted.append({"x": []})  # a reader never writes
    assert len(path.read_text().splitlines()) == 3


def test_torn_and_damaged_lines_are_mapped_again(encoder: Encoder, tmp_path: Path) -> None:
    path = tmp_path / "hits.jsonl"
    path.write_text('{"skill": "SQL", "hits": [["u:sql", "SQL", 1.0]]}\nnot json\n{"skill": "Py')
    store = PersistedHits(path)
    assert list(store.read_new()) == ["SQL"]
    with path.open("a") as handle:  # the writer finishes its line: the reader takes it next time
        handle.write('thon", "hits": []}\n')
    assert store.read_new() == {"Python": []}
    assert store.read_new() == {}


def test_the_file_is_named_by_everything_a_hit_depends_on(encoder: Encoder, tmp_path: Path) -> None:
    mapper = skill_mapper(encoder, CACHE)
    base = fingerprint(mapper, per_skill=3, min_confidence=MIN_CONFIDENCE)
    assert base == fingerprint(mapper, per_skill=3, min_confidence=MIN_CONFIDENCE)
    assert base != fingerprint(mapper, per_skill=2, min_confidence=MIN_CONFIDENCE)
    assert base != fingerprint(mapper, per_skill=3, min_confidence=0.6)
    path = PersistedHits.for_mapper(mapper, tmp_path, per_skill=3, min_confidence=MIN_CONFIDENCE).path
    assert base in path.name and path.parent == tmp_path


def test_an_erased_graduates_own_skill_strings_leave_memory_and_disk(encoder: Encoder, tmp_path: Path) -> None:
    mapper = skill_mapper(encoder, CACHE)
    path = tmp_path / "hits.jsonl"
    signal = ConceptSignal(mapper, persisted=PersistedHits(path))
    stays, goes = _graduate("postgres", "React"), _graduate("postgres", "Tigrinya radio volunteering")
    signal.learn([stays, goes])
    reader = PersistedHits(path, writable=False)
    assert "Tigrinya radio volunteering" in reader.read_new()
    signal.forget_unused([stays])  # `goes` was erased: only what `stays` holds is kept
    assert "Tigrinya" not in path.read_text() and "postgres" in path.read_text()
    assert "Tigrinya radio volunteering" not in signal._hits
    assert not any("Tigrinya radio volunteering" in key for key in signal._holdings)
    assert sorted(reader.read_new()) == ["React", "postgres"]  # a reader sees the new file, from its start
    signal.learn([_graduate("Django")])  # appends go on after the rewrite
    assert reader.read_new() == {"Django": signal.hits(_graduate("Django"))}
