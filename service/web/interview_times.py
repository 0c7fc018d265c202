"""Meeting times as the graduate reads them: the date and the hour in the page language.

The fair page's `when` writes English day and month names; a graduate's own page says
"jueves, 3 de diciembre de 2026" or "четвер, 3 грудня 2026 р." instead (babel's CLDR data),
in the fair's own time zone (the offsets stored with each meeting).
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time


def local_when(start: str, end: str, lang: str) -> dict[str, str]:
    """{"date": full date, "time": "10:00–10:20"} of a meeting, in `lang`."""
    a, b = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    return {"date": format_date(a, format="full", locale=lang),
            "time": f"{format_time(a, 'HH:mm', locale=lang)}–{format_time(b, 'HH:mm', locale=lang)}",
            "iso": a.isoformat()}


def with_local_times(fairs: list[dict], lang: str) -> list[dict]:
    """The fairs of `service.usecases.invitations.fair_interviews`, each meeting with its `when`."""
    return [{**f, "meetings": [{**m, "when": local_when(m["start"], m["end"], lang)} for m in f["meetings"]]}
            for f in fairs]
