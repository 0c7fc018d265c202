"""What a coordinator sends to plan a fair or a placement, as validated HTTP/CLI input."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Ref = int | str  # a graduate's or posting's id, or its external_id


class FairCompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company: str = Field(min_length=1, max_length=200, description="company name in the organisation")
    posting_ids: list[Ref] | None = Field(None, max_length=200, description="default: all its postings")
    seats_per_slot: int = Field(1, ge=1, le=50)
    max_total: int | None = Field(None, ge=0, le=10_000)


class FairRulesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_per_candidate: int = Field(2, ge=0, le=100)
    max_per_candidate: int = Field(4, ge=0, le=100)
    blocked: list[tuple[Ref, str]] = Field(default_factory=list, max_length=100_000)
    required: list[tuple[Ref, str]] = Field(default_factory=list, max_length=100_000)
    graduate_unavailable: list[tuple[Ref, int]] = Field(default_factory=list, max_length=100_000)
    company_unavailable: list[tuple[str, int]] = Field(default_factory=list, max_length=100_000)
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

    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/Madrid"
    slots: list[dt.datetime] = Field(min_length=1, max_length=200, description="slot start times")
    slot_minutes: int = Field(20, ge=5, le=480)
    graduates: list[Ref] = Field(min_length=1, max_length=5000)
    companies: list[FairCompanyIn] = Field(min_length=1, max_length=500)
    rules: FairRulesIn = Field(default_factory=FairRulesIn)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Europe/Madrid')")
        return value

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

    from_slot: int = Field(ge=0, description="index of the first slot to re-plan")
    no_shows: list[Ref] = Field(default_factory=list, max_length=5000)
    late_companies: dict[str, int] = Field(
        default_factory=dict, description="company name -> index of the first slot it attends"
    )


class PlacementIn(BaseModel):
    """Traineeship seats to fill: postings (with their seats) and graduates."""

    model_config = ConfigDict(extra="forbid")

    graduates: list[Ref] = Field(min_length=1, max_length=5000)
    postings: list[Ref] = Field(min_length=1, max_length=5000)
    proposing: Literal["graduates", "postings"] = "graduates"
    graduate_rankings: dict[str, list[Ref]] | None = None
    posting_rankings: dict[str, list[Ref]] | None = None
