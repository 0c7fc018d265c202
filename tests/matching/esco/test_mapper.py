"""The hand-labelled skill strings of `data/esco/skill_labels_checked.csv`, mapped as the service maps them.

One call for intake and ranking: `ConceptSignal.map_skills` on the service's
own mapper (`skill_mapper`: ESCO's digital-skills collection) with the
service's defaults (`per_skill`, `MIN_CONFIDENCE`), under the real bundled
encoder. A row's answer is the top hit; "none" rows must get no hit at all.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from matching.esco.concept_signal import ConceptSignal, skill_mapper
from matching.esco.mapper import ConceptHit
from matching.esco.vocabulary import DATA_DIR, fold_label, load_skill_vocabulary
from models.encoder import Encoder
from tests.conftest import REPO

CHECKED = DATA_DIR / "skill_labels_checked.csv"
PRECISION_FLOOR = 0.95  # over rows that get a hit: the top hit is the expected concept
RECALL_FLOOR = 0.9  # over rows that have a concept; 0.930 measured (348 of 374)


@dataclass(frozen=True)
class Row:
    text: str
    lang: str
    uri: str  # "none" when no digital skill fits
    label: str


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    with CHECKED.open(newline="", encoding="utf-8") as handle:
        return [
            Row(r["text"], r["lang"], r["expected_uri"], r["expected_label"])
            for r in csv.DictReader(handle)
        ]


@pytest.fixture(scope="module")
def mapped(encoder: Encoder, rows: list[Row]) -> list[list[ConceptHit]]:
    signal = ConceptSignal(skill_mapper(encoder, (REPO / "var" / "cache").resolve()))
    return signal.map_skills([row.text for row in rows])


def test_the_list_is_large_multilingual_and_names_real_concepts(rows: list[Row]) -> None:
    assert len(rows) >= 200
    assert {"en", "es", "ar", "uk", "hr"} <= {row.lang for row in rows}
    assert len({(fold_label(row.text), row.lang) for row in rows}) == len(rows), (
        "a string appears twice"
    )
    vocab = load_skill_vocabulary()
    for row in rows:
        if row.uri != "none":
            index = vocab.index_of(row.uri)
            assert index is not None and vocab.concepts[index].label == row.label, row


def test_mapped_rows_are_mapped_right(
    rows: list[Row], mapped: list[list[ConceptHit]], record_property: Callable[[str, object], None]
) -> None:
    answered = [(row, hits[0]) for row, hits in zip(rows, mapped) if hits]
    wrong = [
        f"{row.text!r} → {top.label} (want {row.label})"
        for row, top in answered
        if top.uri != row.uri
    ]
    precision = 1 - len(wrong) / len(answered)
    record_property("precision", round(precision, 3))
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f}; wrong: {wrong}"


def test_most_rows_with_a_concept_are_found(
    rows: list[Row], mapped: list[list[ConceptHit]], record_property: Callable[[str, object], None]
) -> None:
    wanted = [(row, hits) for row, hits in zip(rows, mapped) if row.uri != "none"]
    found = sum(bool(hits) and hits[0].uri == row.uri for row, hits in wanted)
    recall = found / len(wanted)
    record_property("recall", round(recall, 3))
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f} ({found} of {len(wanted)})"


def test_strings_no_digital_skill_fits_get_no_concept(
    rows: list[Row], mapped: list[list[ConceptHit]]
) -> None:
    given = {
        row.text: [h.label for h in hits]
        for row, hits in zip(rows, mapped)
        if row.uri == "none" and hits
    }
    assert not given


@pytest.mark.parametrize(
    ("text", "right", "wrong"),
    [
        ("Git", "tools for software configuration management", "geographic information systems"),
        ("Sass", "Sass", "SAS language"),
        ("linux", "operating systems", "Kali Linux"),
        ("networking", "network engineering", "operate port communications systems"),
    ],
)
def test_the_reported_mistakes_are_gone(
    rows: list[Row], mapped: list[list[ConceptHit]], text: str, right: str, wrong: str
) -> None:
    hits = next(hits for row, hits in zip(rows, mapped) if row.text == text)
    labels = [hit.label for hit in hits]
    assert labels[0] == right and wrong not in labels
