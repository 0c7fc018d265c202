from __future__ import annotations

import pytest

from matching.cefr.levels import (
    CEFR,
    language_fit,
    languages_ok,
    parse_languages,
    validate_languages,
)


def test_levels_are_ordered() -> None:
    assert [lvl.rank for lvl in CEFR] == list(range(6))


@pytest.mark.parametrize(
    ("have", "need", "ok"),
    [
        ({"es": "A2"}, {"es": "B2"}, False),
        ({"es": "B2"}, {"es": "B2"}, True),
        ({"es": "C2"}, {"es": "B2"}, True),
        ({"en": "C2"}, {"es": "A1"}, False),
        ({}, {}, True),
        ({"es": "B1", "en": "B2"}, {"es": "B1", "en": "C1"}, False),
    ],
)
def test_languages_ok(have: dict, need: dict, ok: bool) -> None:
    assert languages_ok(have, need) is ok


def test_fit_reports_each_language() -> None:
    fits = language_fit({"es": "A2", "en": "C1"}, {"es": "B2", "en": "B1", "ca": "A2"})
    assert [(f.code, f.required, f.have, f.ok) for f in fits] == [
        ("ca", "A2", None, False),
        ("en", "B1", "C1", True),
        ("es", "B2", "A2", False),
    ]


def test_csv_form_and_normalisation() -> None:
    assert parse_languages("es:B2; en=c1") == {"es": "B2", "en": "c1"}
    assert validate_languages({"ES": "b2"}) == {"es": "B2"}
    with pytest.raises(ValueError, match="not a CEFR level"):
        validate_languages({"es": "B3"})
    with pytest.raises(ValueError, match="2 or 3 letters"):
        validate_languages({"spanish": "B2"})
