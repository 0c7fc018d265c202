"""The two sides of the market and what the engine knows of each record besides its fields.

These live in the engine, not in storage: ranking, signals, fairs and placement all speak of
sides, records and owners, and storage is only one place they come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from matching.records.profiles import CandidateProfile, PostingRecord
from matching.text.recipe import candidate_text, posting_text

Record = CandidateProfile | PostingRecord


class Side(str, Enum):
    candidates = "candidates"
    postings = "postings"

    @property
    def other(self) -> Side:
        """The side a record of this side is ranked against."""
        return Side.postings if self is Side.candidates else Side.candidates

    @property
    def noun(self) -> str:
        """One record of this side, as messages name it ("no candidate with id 7")."""
        return self.value[:-1]


@dataclass(frozen=True)
class Owner:
    """Whose record it is: every record belongs to an organisation, a posting also to a company."""

    org_id: int
    company_id: int | None = None


class NotFoundError(LookupError):
    """No record with that id (or none the caller may know of: the service answers 404 for both)."""


def record_text(record: Record) -> str:
    """The text a record is embedded and searched by (`matching.text.recipe` says what it holds)."""
    if isinstance(record, CandidateProfile):
        return candidate_text(record)
    return posting_text(record)
