"""Short fields are one line of plain text; long text keeps line breaks and tabs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from matching.records.profiles import STORED, CandidateProfile, PostingRecord


@pytest.mark.parametrize("bad", ["\r", "\n", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029"])
def test_short_fields_refuse_control_characters(bad: str) -> None:
    for field, record in [("name", {"skills": ["JS"]}), ("location", {"name": "A", "skills": ["JS"]})]:
        with pytest.raises(ValidationError, match="control character") as info:
            CandidateProfile.model_validate(record | {field: f"A{bad}B"})
        assert info.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}"):
        CandidateProfile(name="A", skills=[f"J{bad}S"])
    with pytest.raises(ValidationError, match="control character"):
        PostingRecord(company=f"Sol{bad}Digital", title="Dev", required_skills=["JS"])
    if bad.isspace():  # surrounding whitespace is stripped before the check
        assert CandidateProfile(name=f" Ana López{bad}", skills=[f"{bad}JS "]).name == "Ana López"


def test_long_text_keeps_newlines_and_tabs_and_normalises_carriage_returns() -> None:
    profile = CandidateProfile(name="A", skills=["JS"], summary="a\r\nb\rc\n\td", projects=["x\r\ny"])
    assert profile.summary == "a\nb\nc\n\td" and profile.projects == ["x\ny"]
    for bad in ("\x0b", "\x1b", "\x85", "\x7f"):
        with pytest.raises(ValidationError, match="control character"):
            CandidateProfile(name="A", skills=["JS"], summary=f"a{bad}b")
    with pytest.raises(ValidationError, match="NUL"):
        CandidateProfile(name="A\x00", skills=["JS"])


def test_records_stored_before_the_rule_still_load() -> None:
    data = {"name": "Ana\rB", "skills": ["JS\tX"], "summary": "a\x0bb"}
    assert CandidateProfile.model_validate(data, context=STORED).name == "Ana\rB"
