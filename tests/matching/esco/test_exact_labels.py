"""The exact layer on a hand-made vocabulary: which label speaks first, which runs count."""

from __future__ import annotations

import pytest

from matching.esco.exact_labels import ExactLabels, word_count
from matching.esco.vocabulary import Concept, ConceptVocabulary


@pytest.fixture(scope="module")
def vocab() -> ConceptVocabulary:
    names = [
        "CSS",
        "style sheet languages",
        "search engines",
        "cloud technologies",
        "network engineering",
    ]
    names += ["database"] + [f"database thing {n}" for n in range(4)]
    out = ConceptVocabulary("toy", [Concept(f"u:{n}", n, "skill") for n in names])
    for i, name in enumerate(names):
        out.add_label(i, name, "preferred")
    out.add_label(1, "CSS", "alt")  # ESCO lists CSS under style sheet languages too
    out.add_label(2, "Google", "alt")
    out.add_label(3, "Google Cloud", "alias")
    out.add_label(4, "networking", "alias")
    out.add_label(1, "stylesheets", "alias", "en", 0.8)
    return out


@pytest.fixture(scope="module")
def labels(vocab: ConceptVocabulary) -> ExactLabels:
    return ExactLabels(vocab, whole_only=frozenset({"networking"}))


def _best(named: dict[int, tuple[float, int]]) -> int:
    return min(named, key=lambda i: (-named[i][0], named[i][1], i))


def test_a_preferred_label_outranks_the_same_spelling_as_an_alternative(
    labels: ExactLabels,
) -> None:
    named = labels.whole("css")
    assert set(named) == {0, 1} and _best(named) == 0


def test_whole_text_folds_case_punctuation_accents_and_a_plural(labels: ExactLabels) -> None:
    assert set(labels.whole(" Style-Sheet Languages ")) == {1}
    assert set(labels.whole("databases")) == {5}
    assert labels.whole("Sass") == {}  # a double s is no plural
    assert set(labels.whole("dátabase")) == {5}


def test_only_the_longest_run_counts(labels: ExactLabels) -> None:
    assert set(labels.spans("Google Cloud Platform")) == {3}  # not search engines
    assert set(labels.spans("Google search")) == {2}


def test_a_family_word_does_not_name_a_concept_inside_longer_text(labels: ExactLabels) -> None:
    assert labels.spans("database design") == {}  # `database` is in four other concepts' labels
    assert set(labels.whole("database")) == {5}  # but it is still the whole text's label


def test_whole_only_labels_count_only_as_the_whole_text(labels: ExactLabels) -> None:
    assert set(labels.whole("Networking")) == {4}
    assert labels.spans("professional networking") == {}


def test_mentions_keep_every_label_in_the_text(labels: ExactLabels) -> None:
    assert set(labels.mentions("Google Cloud Platform")) == {2, 3}
    assert labels.mentions("stylesheets")[1] == 0.8


def test_word_count() -> None:
    assert word_count("Node.js backend") == 2
    assert word_count("Tailwind CSS, C#") == 3
