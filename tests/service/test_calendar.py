"""The ICS export stays valid whatever text reached the database (names stored before control
characters were refused included)."""

from __future__ import annotations

import re

from service.calendar import schedule_ics

HOSTILE = "Ana\rBEGIN:VEVENT\nSUMMARY:x\x0bEND\x0cA\u2028B\u2029C\x85D\x00E\x1fF\x7fG\r\n"
MEETING = {"slot": 0, "start": "2026-12-03T10:00:00+01:00", "end": "2026-12-03T10:20:00+01:00",
           "company": "Sol\rDigital", "graduate_id": 7, "score": 0.5}


def _content_lines(ics: str) -> list[str]:
    assert ics.endswith("\r\n")
    lines = ics[:-2].split("\r\n")
    for line in lines:
        assert "\r" not in line and "\n" not in line, repr(line)
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", line), repr(line)
        assert line.startswith(" ") or ":" in line, repr(line)
        assert len(line.encode()) <= 75, repr(line)
    return lines


def test_control_characters_never_split_an_ics_line() -> None:
    ics = schedule_ics(1, "Fair\r" + HOSTILE, [MEETING], {7: HOSTILE})
    lines = _content_lines(ics)
    unfolded = re.sub(r"\r\n ", "", ics)
    properties = [line.split(":", 1)[0] for line in unfolded[:-2].split("\r\n")]
    assert properties.count("BEGIN") == 2 and properties.count("SUMMARY") == 1  # VCALENDAR, one VEVENT
    assert len(lines) >= len(properties)
    assert "Ana\\nBEGIN:VEVENT\\nSUMMARY:x" in unfolded  # line breaks kept as ICS's escaped \n
    assert "Sol\\nDigital" in unfolded
    ordinary = schedule_ics(1, "Demo fair, Barcelona; 2026", [MEETING | {"company": "Sol Digital SL"}], {7: "Ana\tB"})
    unfolded = re.sub(r"\r\n ", "", ordinary)
    assert "X-WR-CALNAME:Demo fair\\, Barcelona\\; 2026" in unfolded
    assert "SUMMARY:Interview: Sol Digital SL with Ana\tB" in unfolded and "DTSTART:20261203T090000Z" in unfolded
    _content_lines(ordinary)
