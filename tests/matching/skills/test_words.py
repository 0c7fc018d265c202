"""Skills written in different shapes meet by their stemmed content words (`matching.skills.words`)."""

from __future__ import annotations

import threading

import pytest

from matching.skills.features import FeatureIds, FeatureRows
from matching.skills.vocabulary import MAX_HELD_KEYS, SkillVocabulary, held_score, skill_overlap
from matching.skills.words import held_word_keys, word_key
from service.settings import REPO_DATA


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return SkillVocabulary.from_csv(REPO_DATA / "skill_aliases.csv")


@pytest.mark.parametrize(
    "shapes",
    [("troubleshoot", "Troubleshooting", "Ability to troubleshoot", "troubleshooting skills"),
     ("Inventory management", "inventory management skills", "Knowledge of inventory management"),
     ("Bases de datos", "conocimientos de bases de datos")],
)
def test_shapes_of_one_skill_share_a_key(shapes: tuple[str, ...]) -> None:
    assert len({word_key(s) for s in shapes}) == 1


def test_different_skills_keep_different_keys() -> None:
    keys = [word_key(s) for s in ("Customer service", "Customer support", "Written communication", "IT support", "C#", "C++", "C")]
    assert len(set(keys)) == len(keys)
    assert word_key("skills and knowledge") is None  # only filler: no key, nothing matches on it


def test_a_longer_skill_holds_its_parts_not_the_other_way_round() -> None:
    assert word_key("Communication") in held_word_keys("Written and oral communication skills")
    assert word_key("Written communication") in held_word_keys("Written and oral communication skills")
    assert word_key("Written communication") not in held_word_keys("Communication")


def test_other_scripts_keep_their_words() -> None:
    assert word_key("قواعد البيانات") == word_key("قواعد  البيانات") != word_key("البيانات")
    assert word_key("Бази даних") is not None


def test_overlap_meets_shapes_and_explains_them(vocab: SkillVocabulary) -> None:
    have = ["troubleshooting", "Agile project management", "Written and oral communication skills"]
    result = skill_overlap(have, ["Ability to troubleshoot", "Project Management", "Written communication"],
                           ["Agile", "Docker", "Public speaking"], vocab)
    assert result.matched == ["Ability to troubleshoot", "Project Management", "Written communication", "Agile"]
    assert result.missing == ["Docker", "Public speaking"] and result.missing_required == []
    assert result.score == pytest.approx((3 * 2 + 1) / (3 * 2 + 3))


def test_a_skill_named_twice_in_two_shapes_counts_once(vocab: SkillVocabulary) -> None:
    req, nice = vocab.canonical_lists(("troubleshoot", "Python", "Troubleshooting skills"), ("Ability to troubleshoot", "Docker"))
    assert req == ("troubleshoot", "Python") and nice == ("Docker",)


def test_known_skills_inside_a_longer_one_are_held(vocab: SkillVocabulary) -> None:
    held = vocab.held(["REST APIs with Express", "django rest framework"])
    assert {vocab.key("Express"), vocab.key("REST APIs"), vocab.key("Django")} <= held
    assert vocab.key("JavaScript") in held  # Express implies JavaScript through the implications table


def test_bulk_skill_share_equals_the_explained_one(vocab: SkillVocabulary) -> None:
    """The ranker's gathered feature rows give the same share as `skill_overlap` shows."""
    ids, rows = FeatureIds(), FeatureRows()
    required, nice = ["Ability to troubleshoot", "inventory management skills"], ["Time management"]
    weights: dict[int, float] = {}
    for key in vocab.key_lists(tuple(required), tuple(nice))[0]:
        weights[ids.of(key)] = weights.get(ids.of(key), 0.0) + 2.0
    for key in vocab.key_lists(tuple(required), tuple(nice))[1]:
        weights[ids.of(key)] = weights.get(ids.of(key), 0.0) + 1.0
    rows.put(1, weights, total=5.0)
    have = ["troubleshooting", "Inventory management", "project management"]
    query = ids.vector({ids.of(k): 1.0 for k in vocab.held(have)})
    bulk = float(rows.dot(rows.rows([1]), query)[0] / rows.totals(rows.rows([1]))[0])
    assert bulk == pytest.approx(skill_overlap(have, required, nice, vocab).score) == pytest.approx(4 / 5)
    assert bulk == pytest.approx(held_score(vocab.held(have), required, nice, vocab))


def test_stemming_from_many_threads_gives_one_answer() -> None:
    """A PyStemmer stemmer is not thread-safe; each thread stems with its own (`matching.text.stems`,
    shared by the skill keys and the market's BM25)."""
    words = [f"managing testing deployments {i}" for i in range(2000)]
    expected = [word_key(w) for w in words]
    results: list[list[str | None]] = []

    def run() -> None:
        from matching.skills.words import PREFIX
        from matching.text.stems import stem_words

        results.append([PREFIX + " ".join(sorted(set(stem_words(w.split())))) for w in words])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == len(threads)  # a thread that failed appends nothing
    assert all(r == expected for r in results)


def test_a_hundred_long_skills_stay_within_the_budget(vocab: SkillVocabulary) -> None:
    """Held keys are one padded feature row: 100 skills of 8 words must not make it thousands wide."""
    skills = [" ".join(f"word{i}x{j}" for j in range(8)) for i in range(100)]
    held = vocab.held(skills)
    assert len(held) == MAX_HELD_KEYS
    assert {vocab.key(s) for s in skills} <= held  # every skill's own key is kept first
