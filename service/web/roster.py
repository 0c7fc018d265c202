"""The coordinator's graduates list: search by name or skill, two filters, and the CSV of what is shown.

Filters: "no matches yet" (no posting above the relevance floor) and "no meeting at the last
fair" (the newest planned fair; a graduate who was not invited had no meeting there either).
The CSV is the filtered list, so what a coordinator exports is what they were looking at.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from service.schemas import CandidateOut
from service.usecases import roster
from service.web.page import Page

FILTERS = ("no_matches", "no_interview")


@dataclass
class Roster:
    """One page (or the whole, for the CSV) of the filtered list; `counts` only for `items`."""

    items: list[CandidateOut]
    total: int
    offset: int
    limit: int
    counts: dict[int, int] = field(default_factory=dict)
    last_fair: str | None = None


def matches_text(graduate: CandidateOut, q: str) -> bool:
    """Case- and accent-insensitive substring of the name, headline or any skill."""
    needle = _folded(q.strip())
    return not needle or needle in _folded(" · ".join([graduate.name, graduate.headline, *graduate.skills]))


def _folded(text: str) -> str:
    """"María" and "maria" are the same search: case folded, accents dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def select_graduates(page: Page, graduates: list[CandidateOut], q: str, chosen: str, *,
                     offset: int = 0, limit: int | None = 50) -> Roster:
    """The graduates that pass the search and the filter, this page of them, with match counts."""
    kept = [g for g in graduates if matches_text(g, q)]
    counts: dict[int, int] = {}
    last = None
    if chosen == "no_matches":
        counts = roster.match_counts(page.matcher, page.principal, [g.id for g in kept])
        kept = [g for g in kept if counts[g.id] == 0]
    elif chosen == "no_interview":
        fair = roster.last_fair_met(page.matcher, page.principal)
        if fair is not None:
            last, met = fair
            kept = [g for g in kept if g.id not in met]
    shown = kept[offset:] if limit is None else kept[offset:offset + limit]
    missing = [g.id for g in shown if g.id not in counts]
    counts |= roster.match_counts(page.matcher, page.principal, missing)
    return Roster(items=shown, total=len(kept), offset=offset, limit=limit or len(kept),
                  counts={g.id: counts[g.id] for g in shown}, last_fair=last)


def roster_csv(listing: Roster) -> bytes:
    """id, name, city, languages ("es:B2;en:C1"), match count: one row per graduate shown."""
    frame = pl.DataFrame(
        {
            "id": [g.id for g in listing.items],
            "name": [_cell(g.name) for g in listing.items],
            "city": [_cell(g.location) for g in listing.items],
            "languages": [";".join(f"{code}:{getattr(level, 'value', level)}" for code, level in g.languages.items())
                          for g in listing.items],
            "match_count": [listing.counts.get(g.id, 0) for g in listing.items],
        },
        schema={"id": pl.Int64, "name": pl.String, "city": pl.String, "languages": pl.String,
                "match_count": pl.Int64},
    )
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet must not run a name as a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
