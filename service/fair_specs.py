"""What a coordinator sends to plan a fair or a placement, as validated HTTP/CLI input."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)

from matching.records.profiles import LongText, NonEmptyShort, ShortText

MAX_ID = 2**63 - 1  # ids are 64-bit integer columns
MAX_ID_DIGITS = 18  # so every id written in digits fits one
FAIR_YEARS = (2000, 2100)  # fixed, not relative to today: stored fairs are validated again when planned


def parse_id(text: str) -> int | None:
    """The record id that `text` spells in ASCII digits (at most 18), else None.

    `str.isdigit` also accepts '²' (which `int` refuses) and '٣' (which `int` reads as 3), and
    `int` refuses more than 4,300 digits; none of those is an id.

    Example:
        >>> parse_id("42"), parse_id("g001"), parse_id("²"), parse_id("٣"), parse_id("9" * 19)
        (42, None, None, None, None)
    """
    if 0 < len(text) <= MAX_ID_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return None


def shown(ref: object, limit: int = 40) -> str:
    """A reference as an error message quotes it: its repr, long ones cut to `limit` characters.

    Example:
        >>> shown("g001"), shown("9" * 5000, limit=5)
        ("'g001'", "'9999…'")
    """
    if isinstance(ref, str) and len(ref) > limit:
        return repr(ref[: limit - 1] + "…")
    text = repr(ref)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ref(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    try:
        return handler(value)
    except ValidationError:
        raise ValueError(
            f"{shown(value)} is not an id: give a record's id (a whole number up to {MAX_ID}) "
            "or its external_id (text of at most 200 characters)"
        ) from None


Id = Annotated[int, Strict(), Field(ge=0, le=MAX_ID)]
RefKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Ref = Annotated[Id | RefKey, WrapValidator(_ref)]
"""A graduate's or posting's id (a JSON number), or its external_id (a string; a string of
ASCII digits is read as an id)."""
CompanyName = NonEmptyShort  # one line, no control characters, like the stored company names


class FairCompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company: CompanyName = Field(description="company name in the organisation")
    posting_ids: list[Ref] | None = Field(None, max_length=200, description="default: all its postings")
    seats_per_slot: int = Field(1, ge=1, le=50)
    max_total: int | None = Field(None, ge=0, le=10_000)


class FairRulesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_per_candidate: int = Field(2, ge=0, le=100)
    max_per_candidate: int = Field(4, ge=0, le=100)
    blocked: list[tuple[Ref, CompanyName]] = Field(default_factory=list, max_length=100_000)
    required: list[tuple[Ref, CompanyName]] = Field(default_factory=list, max_length=100_000)
    graduate_unavailable: list[tuple[Ref, int]] = Field(default_factory=list, max_length=100_000)
    company_unavailable: list[tuple[CompanyName, int]] = Field(default_factory=list, max_length=100_000)
    shortlists_required: bool = Field(
        True, description="companies' shortlisted graduates (POST /interviews) become required pairs"
    )

    @model_validator(mode="after")
    def _min_le_max(self) -> FairRulesIn:
        if self.min_per_candidate > self.max_per_candidate:
            raise ValueError("min_per_candidate must not exceed max_per_candidate")
        return self


class FairIn(BaseModel):
    """A fair: who comes, when, and the coordinator's rules."""

    model_config = ConfigDict(extra="forbid")

    name: NonEmptyShort
    timezone: str = "Europe/Madrid"
    slots: list[dt.datetime] = Field(
        min_length=1, max_length=200,
        description=f"slot start times, between {FAIR_YEARS[0]} and {FAIR_YEARS[1]}; "
        "without an offset they are read in `timezone`",
    )
    slot_minutes: int = Field(20, ge=5, le=480)
    graduates: list[Ref] = Field(min_length=1, max_length=5000)
    companies: list[FairCompanyIn] = Field(min_length=1, max_length=500)
    rules: FairRulesIn = Field(default_factory=FairRulesIn)
    # What the invited graduates are told with their meetings (their page lists them).
    place: ShortText = Field("", description="where: an address or a room")
    link: str = Field("", max_length=500, description="a video-call or information link (https://…)")
    message: LongText = Field("", description="a note from the coordinator to every invited graduate")

    @field_validator("link")
    @classmethod
    def _web_link(cls, value: str) -> str:
        value = value.strip()
        if value and (not value.startswith(("https://", "http://")) or any(c.isspace() for c in value)
                      or len(value) < 11):
            raise ValueError("link: give a web address that starts with https:// (or leave it empty)")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Europe/Madrid')")
        return value

    @field_validator("slots")
    @classmethod
    def _plausible(cls, slots: list[dt.datetime], info: ValidationInfo) -> list[dt.datetime]:
        zone = ZoneInfo(info.data["timezone"]) if "timezone" in info.data else dt.UTC
        for start in slots:
            if not _plausible_start(start, zone):
                raise ValueError(
                    f"{start.isoformat(timespec='minutes')} is not a plausible fair date "
                    f"(use a date between {FAIR_YEARS[0]} and {FAIR_YEARS[1]})"
                )
        return slots

    def slot_times(self) -> list[dt.datetime]:
        """Slot starts as aware datetimes; naive times are read in the fair's time zone."""
        zone = ZoneInfo(self.timezone)
        return [s if s.tzinfo else s.replace(tzinfo=zone) for s in self.slots]

    @model_validator(mode="after")
    def _distinct(self) -> FairIn:
        if len(set(self.slot_times())) != len(self.slots):
            raise ValueError("slots: two slots start at the same time")
        names = [c.company for c in self.companies]
        if len(set(names)) != len(names):
            raise ValueError("companies: a company is listed twice")
        return self


class ReplanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_slot: int = Field(ge=0, description="0-based index of the first slot to re-plan (slot_number 1 is index 0)")
    no_shows: list[Ref] = Field(default_factory=list, max_length=5000)
    late_companies: dict[CompanyName, int] = Field(
        default_factory=dict, max_length=500, description="company name -> index of the first slot it attends"
    )


class PlacementIn(BaseModel):
    """Traineeship seats to fill: postings (with their seats) and graduates."""

    model_config = ConfigDict(extra="forbid")

    graduates: list[Ref] = Field(min_length=1, max_length=5000)
    postings: list[Ref] = Field(min_length=1, max_length=5000)
    proposing: Literal["graduates", "postings"] = "graduates"
    graduate_rankings: dict[RefKey, list[Ref]] | None = Field(
        None, max_length=5000, description="a graduate's id or external_id -> postings, best first"
    )
    posting_rankings: dict[RefKey, list[Ref]] | None = Field(
        None, max_length=5000, description="a posting's id or external_id -> graduates, best first"
    )


def _plausible_start(start: dt.datetime, zone: dt.tzinfo) -> bool:
    """Whether a slot starts between the first day of 2000 and the last of 2100 in the fair's zone."""
    if start.tzinfo is not None:
        try:
            start = start.astimezone(zone)
        except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range
            return False
    return FAIR_YEARS[0] <= start.year <= FAIR_YEARS[1]
