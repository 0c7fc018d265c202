"""The start-up advice names the multilingual model only when the texts call for it."""

from __future__ import annotations

from matching.ranking.model_advice import model_advice


def test_mostly_spanish_texts_under_the_english_model_get_the_advice() -> None:
    advice = model_advice(["es"] * 15 + ["en"] * 10 + [None] * 3, "all-MiniLM-L6-v2")
    assert advice is not None and "BRIDGEMATCH_MODEL=use-multilingual" in advice and "es 15" in advice


def test_no_advice_for_english_texts_few_texts_or_the_multilingual_model() -> None:
    assert model_advice(["en"] * 40 + ["es"] * 5, "all-MiniLM-L6-v2") is None
    assert model_advice(["es"] * 5, "all-MiniLM-L6-v2") is None
    assert model_advice(["es"] * 40, "use-multilingual-v3-lc") is None


def test_languages_the_multilingual_model_cannot_read_do_not_count() -> None:
    assert model_advice(["ti"] * 30 + ["en"] * 10, "all-MiniLM-L6-v2") is None
