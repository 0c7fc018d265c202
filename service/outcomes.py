"""Outcomes of matches: who may record which, checked against the live records, and stored.

A company records outcomes only for its own postings (or itself) and only for
graduates it could already see (consenting, or shortlisted by it), so a
company cannot learn whether a non-consenting graduate exists; a coordinator
records any within their organisation. Unknown or hidden ids answer 404
exactly alike (`NotFoundError`); impossible combinations are 422 (`OutcomeInputError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy.orm import Session

from matching.records.profiles import CandidateProfile
from matching.records.sides import NotFoundError, Side
from service.auth import Principal, Role
from service.db import OutcomeRow
from service.matcher import Matcher
from service.storage import companies, fairs, interviews


class Event(str, Enum):
    shortlisted = "shortlisted"
    interviewed = "interviewed"
    offer = "offer"
    hired = "hired"
    declined_by_graduate = "declined_by_graduate"
    declined_by_company = "declined_by_company"
    no_show = "no_show"


ID = Field(ge=1, le=2**63 - 1)
OPTIONAL_ID = Field(None, ge=1, le=2**63 - 1)


class OutcomeIn(BaseModel):
    """One event; a posting implies its company, a company alone is an outcome without a posting."""

    model_config = ConfigDict(extra="forbid")

    graduate_id: int = ID
    posting_id: int | None = OPTIONAL_ID
    company_id: int | None = OPTIONAL_ID
    fair_id: int | None = OPTIONAL_ID
    event: Event
    date: dt.date

    @model_validator(mode="after")
    def _names_a_company(self) -> OutcomeIn:
        if self.posting_id is None and self.company_id is None:
            raise ValueError("name a posting_id or a company_id (the outcome is with someone)")
        if self.date > dt.date.today() + dt.timedelta(days=1):  # a day of slack for time zones
            raise ValueError(f"date {self.date} is in the future: record an outcome once it has happened")
        return self


class OutcomeInputError(ValueError):
    """The outcome cannot be: ids that exist but do not fit together (422)."""


def _graduate(matcher: Matcher, session: Session, principal: Principal, gid: int) -> None:
    hidden = NotFoundError(f"no candidate with id {gid}")
    try:
        owner = matcher.owner(Side.candidates, gid)
    except NotFoundError:
        raise hidden from None
    if owner.org_id != principal.org_id:
        raise hidden
    if principal.role is Role.company:
        record = matcher.get(Side.candidates, gid)
        shortlisted = interviews.shortlisted_by(session, company_id=principal.company_id, candidate_id=gid)
        if not (isinstance(record, CandidateProfile) and record.visible_to_companies) and not shortlisted:
            raise hidden


def _company_of(matcher: Matcher, session: Session, principal: Principal, body: OutcomeIn) -> int:
    """The outcome's company: the posting's, or the one named; the caller's own for a company."""
    company_id = body.company_id
    if body.posting_id is not None:
        hidden = NotFoundError(f"no posting with id {body.posting_id}")
        try:
            owner = matcher.owner(Side.postings, body.posting_id)
        except NotFoundError:
            raise hidden from None
        if owner.org_id != principal.org_id or (principal.role is Role.company
                                                and owner.company_id != principal.company_id):
            raise hidden
        if company_id is not None and company_id != owner.company_id:
            raise OutcomeInputError(f"posting {body.posting_id} belongs to company {owner.company_id}, "
                                    f"not to company_id {company_id}")
        return int(owner.company_id)  # type: ignore[arg-type]
    row = companies.get(session, company_id)
    if row is None or row.org_id != principal.org_id or (principal.role is Role.company
                                                         and row.id != principal.company_id):
        raise NotFoundError(f"no company with id {company_id}")
    return row.id


def _fair(session: Session, principal: Principal, body: OutcomeIn, company_id: int) -> None:
    if body.fair_id is None:
        return
    row = fairs.get(session, body.fair_id)
    hidden = NotFoundError(f"no fair with id {body.fair_id}")
    if row is None or row.org_id != principal.org_id:
        raise hidden
    company = companies.name_of(session, company_id)
    at_fair = company is not None and any(c.get("company") == company for c in row.spec.get("companies", []))
    if principal.role is Role.company and not at_fair:  # a company knows only the fairs it attends
        raise hidden
    if body.graduate_id not in row.spec.get("graduates", []):
        raise OutcomeInputError(f"graduate {body.graduate_id} is not at fair {body.fair_id}")
    if not at_fair:
        raise OutcomeInputError(f"company {company_id} is not at fair {body.fair_id}")


def check(matcher: Matcher, session: Session, principal: Principal, body: OutcomeIn) -> OutcomeRow:
    """A row ready to add, or NotFoundError / OutcomeInputError naming what is wrong."""
    _graduate(matcher, session, principal, body.graduate_id)
    company_id = _company_of(matcher, session, principal, body)
    _fair(session, principal, body, company_id)
    return OutcomeRow(
        org_id=principal.org_id, candidate_id=body.graduate_id, company_id=company_id,
        posting_id=body.posting_id, fair_id=body.fair_id, event=body.event.value,
        happened_on=body.date, recorded_by=principal.role.value,
    )


def as_dict(row: OutcomeRow) -> dict:
    return {"id": row.id, "graduate_id": row.candidate_id, "posting_id": row.posting_id,
            "company_id": row.company_id, "fair_id": row.fair_id, "event": row.event,
            "date": row.happened_on.isoformat(), "recorded_by": row.recorded_by}


COLUMNS = ("graduate_id", "posting_id", "company_id", "fair_id", "event", "date")


def parse_csv(data: bytes, *, max_rows: int) -> tuple[list[tuple[int, OutcomeIn]], dict[int, str]]:
    """(row number, outcome) of each valid row and an error naming each invalid one (1 = first data row),
    so an import can name bad rows and unknown ids together.

    Empty cells are absent values; unknown columns are refused, so a typo is not silently dropped.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the file is not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    try:
        return _rows(csv.DictReader(io.StringIO(text)), max_rows)
    except csv.Error as exc:  # a NUL byte, a cell over the csv module's size limit
        raise ValueError(f"the file is not readable CSV: {exc}") from exc


def _rows(reader: csv.DictReader, max_rows: int) -> tuple[list[tuple[int, OutcomeIn]], dict[int, str]]:
    from service.bulk_read import TooLarge

    header = reader.fieldnames or []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or not {"graduate_id", "event", "date"} <= set(header):
        raise ValueError(f"columns must be among {', '.join(COLUMNS)} (graduate_id, event and date required); "
                         f"found {', '.join(h[:40] for h in header[:10]) or 'none'}"
                         f"{' …' if len(header) > 10 else ''}")
    rows: list[tuple[int, OutcomeIn]] = []
    errors: dict[int, str] = {}
    for number, raw in enumerate(reader, start=1):
        if number > max_rows:
            raise TooLarge(f"the file holds more than {max_rows} rows")
        if None in raw:
            errors[number] = f"row {number}: more cells than columns"
            continue
        try:
            rows.append((number, OutcomeIn.model_validate({k: v.strip() for k, v in raw.items() if v and v.strip()})))
        except ValidationError as exc:
            errors[number] = f"row {number}: " + "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}" for e in exc.errors()[:3])
    return rows, errors
