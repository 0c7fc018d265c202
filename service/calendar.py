"""Fair schedules as CSV (formula-safe) and iCalendar (RFC 5545) files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_cell = spreadsheet_safe


def schedule_csv(meetings: list[dict], names: dict[int, str] | None = None) -> str:
    """One row per meeting; graduate names only where the caller may see them. The slot is its
    number as people count it (1 = the first slot), like the pages and the `slot_number` field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["slot_number", "start", "end", "company", "graduate_id", "score"]
    if names is not None:
        header.insert(5, "graduate")
    writer.writerow(header)
    for m in meetings:
        row = [int(m["slot"]) + 1, m["start"], m["end"], m["company"], m["graduate_id"], m["score"]]
        if names is not None:
            row.insert(5, names.get(m["graduate_id"], ""))
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines() splits on


def _escape(text: str) -> str:
    """An RFC 5545 TEXT value: every line break as `\\n`, other control characters (tab aside)
    dropped, so no value can end its content line early (names stored before control
    characters were refused included).

    Example:
        >>> _escape("Ana\\rBEGIN:VEVENT; a, b\\x07")
        'Ana\\\\nBEGIN:VEVENT\\\\; a\\\\, b'
    """
    text = text.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
    text = _LINE_BREAK.sub(r"\\n", text)
    return "".join(ch for ch in text if ch == "\t" or unicodedata.category(ch) != "Cc")


def _utc(stamp: str) -> str:
    at = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC)
    return f"{at.year:04d}{at:%m%dT%H%M%SZ}"  # %Y writes year 1 as "1" on Linux


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; continuation lines start with a space."""
    out, raw = [], line.encode()
    while len(raw) > 75:
        cut = 75 if not out else 74
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(raw[:cut].decode())
        raw = raw[cut:]
    out.append(raw.decode())
    return [out[0], *(" " + part for part in out[1:])]


def schedule_ics(fair_id: int, fair_name: str, meetings: list[dict], names: dict[int, str] | None = None) -> str:
    """One VEVENT per meeting, times in UTC (exact whatever the reader's zone)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bridgematch//job fair//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(fair_name)}"]
    for m in meetings:
        who = (names or {}).get(m["graduate_id"]) or f"graduate #{m['graduate_id']}"
        company = m["company"]
        # Stable across runs, so a re-import updates the event instead of duplicating it.
        key = hashlib.sha1(f"{fair_id}|{m['slot']}|{m['graduate_id']}|{company}".encode()).hexdigest()[:16]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{key}@bridgematch",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(m['start'])}",
            f"DTEND:{_utc(m['end'])}",
            "SUMMARY:" + _escape(f"Interview: {company} with {who}"),
            "DESCRIPTION:" + _escape(f"{fair_name}, slot {m['slot'] + 1}"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
