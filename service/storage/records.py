"""Graduates' and postings' rows: records in and out, external ids, owners.

Functions take the caller's session: the use case (or `Matcher`) owns the transaction,
so a write and its change-feed row (`service.storage.changes`) and cached embedding
(`service.storage.embeddings`) commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from matching.records.profiles import SENSITIVE_FIELDS, STORED, CandidateProfile, PostingRecord
from matching.records.sides import NotFoundError, Owner, Record, Side
from service.db import CandidateRow, PostingRow

ROW = {Side.candidates: CandidateRow, Side.postings: PostingRow}
MODEL = {Side.candidates: CandidateProfile, Side.postings: PostingRecord}


class ConflictError(ValueError):
    """The write would break a uniqueness rule (e.g. a second row with the same external_id)."""


def to_columns(side: Side, record: Record) -> dict:
    data = record.model_dump(mode="json")
    columns: dict = {"external_id": data.pop("external_id", None)}
    if side is Side.candidates:
        columns["sensitive"] = {k: data.pop(k, None) for k in SENSITIVE_FIELDS}
    columns["profile"] = data
    return columns


def from_row(side: Side, row: CandidateRow | PostingRow) -> Record:
    data = dict(row.profile)
    data["external_id"] = row.external_id
    if side is Side.candidates:
        data.update(row.sensitive or {})
    return MODEL[side].model_validate(data, context=STORED)  # saved before a newer rule: still loads


def get_row(session: Session, *, side: Side, rid: int) -> CandidateRow | PostingRow:
    row = session.get(ROW[side], rid)
    if row is None:
        raise NotFoundError(f"no {side.value[:-1]} with id {rid}")
    return row


def check_external_ids(
    session: Session, *, side: Side, records: list[Record], org_id: int, own: int | None = None
) -> None:
    """Refuse external ids already used in organisation `org_id`, with a message naming them.

    An external id is unique within one organisation only (the database holds the
    same rule), so another school's ids are never looked at: a coordinator can
    neither take them nor learn from a refusal which ids another school uses.
    `own` is the row being replaced, which may keep its id.

    Example:
        >>> check_external_ids(session, side=Side.candidates, records=rows, org_id=1)  # doctest: +SKIP
    """
    wanted = [r.external_id for r in records if r.external_id]
    dupes = {x for x in wanted if wanted.count(x) > 1}
    if dupes:
        raise ConflictError(f"external_id repeated in the input: {sorted(dupes)[:5]}")
    if not wanted:
        return
    table = ROW[side]
    taken: list[tuple[int, str]] = []
    unique = list(dict.fromkeys(wanted))
    for start in range(0, len(unique), 500):
        taken.extend(session.execute(
            select(table.id, table.external_id)
            .where(table.org_id == org_id, table.external_id.in_(unique[start : start + 500]))
        ).tuples())
    clash = sorted(ext for rid, ext in taken if rid != own)
    if clash:
        raise ConflictError(f"external_id already used in this organisation: {clash[:5]}")


def _owner_columns(side: Side, owner: Owner) -> dict:
    if side is Side.postings:
        if owner.company_id is None:
            raise ValueError("a posting needs a company")
        return {"org_id": owner.org_id, "company_id": owner.company_id}
    return {"org_id": owner.org_id}


def insert_rows(
    session: Session, *, side: Side, records: list[Record], hashes: list[str], owners: list[Owner]
) -> list[int]:
    rows = [
        ROW[side](**to_columns(side, r), **_owner_columns(side, o), text_hash=h)
        for r, h, o in zip(records, hashes, owners, strict=True)
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def update_row(session: Session, *, side: Side, rid: int, record: Record, text_hash: str) -> str:
    """Replace the row's record; returns its previous text hash, whose cached embedding may go."""
    row = get_row(session, side=side, rid=rid)
    previous = row.text_hash
    for key, value in to_columns(side, record).items():
        setattr(row, key, value)
    row.text_hash = text_hash
    row.updated_at = dt.datetime.now(dt.UTC)
    return previous


def delete_row(session: Session, *, side: Side, rid: int) -> str:
    """Delete and return the row's text hash so its cached embedding can go too."""
    row = get_row(session, side=side, rid=rid)
    text_hash = row.text_hash
    session.delete(row)
    return text_hash


def owner_of(row: CandidateRow | PostingRow) -> Owner:
    return Owner(row.org_id, getattr(row, "company_id", None))


def all_rows(session: Session, *, side: Side) -> list[tuple[int, Record, str, Owner]]:
    rows = session.scalars(select(ROW[side]).order_by(ROW[side].id)).all()
    return [(row.id, from_row(side, row), row.text_hash, owner_of(row)) for row in rows]


def count_rows(session: Session, *, side: Side) -> int:
    return int(session.scalar(select(func.count()).select_from(ROW[side])) or 0)


def set_text_hashes(session: Session, *, side: Side, hashes: dict[int, str]) -> None:
    """Record that these rows' scored text is now the one with these hashes."""
    table = ROW[side]
    for rid, digest in hashes.items():
        session.execute(update(table).where(table.id == rid).values(text_hash=digest))


def wipe_freed_pages(session: Session) -> bool:
    """After an erasure has committed, move SQLite's WAL into the database file and empty it.

    With `secure_delete` the deleted row's bytes are zeroed in the pages the
    delete wrote, but the WAL still holds the older copies of those pages until
    a checkpoint copies the new ones back and truncates it. Returns False when
    readers kept the checkpoint from finishing (the next one completes it);
    PostgreSQL needs nothing here (VACUUM reclaims dead rows).
    Run it in a session with no open transaction.
    """
    if session.get_bind().dialect.name != "sqlite":
        return True
    busy, _, _ = session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    return not busy


def org_owners(
    side: Side, org_id: int, records: list[Record], *, create_companies: bool = False
) -> Callable[[Session], list[Owner]]:
    """Owners for records a coordinator adds: postings go to their company, which must exist
    (`service.companies.UnknownCompanyError` otherwise) unless `create_companies` asks for new ones."""
    from service.companies import company_ids

    def resolve(session: Session) -> list[Owner]:
        if side is Side.candidates:
            return [Owner(org_id)] * len(records)
        names = [r.company for r in records]  # type: ignore[union-attr]
        ids = company_ids(session, org_id=org_id, names=names, create=create_companies)
        return [Owner(org_id, ids[name]) for name in names]

    return resolve


def rows_by_id(session: Session, *, side: Side, ids: list[int]) -> dict[int, tuple[Record, str, Owner]]:
    table = ROW[side]
    found: dict[int, tuple[Record, str, Owner]] = {}
    for start in range(0, len(ids), 500):
        for row in session.scalars(select(table).where(table.id.in_(ids[start : start + 500]))):
            found[row.id] = (from_row(side, row), row.text_hash, owner_of(row))
    return found




def any_records(session: Session) -> bool:
    """Whether any organisation holds a graduate or a posting."""
    return any(session.scalar(select(table.id).limit(1)) is not None for table in (CandidateRow, PostingRow))


def id_by_external(session: Session, *, side: Side, org_id: int, external_id: str) -> int | None:
    table = ROW[side]
    return session.scalar(select(table.id).where(table.org_id == org_id, table.external_id == external_id))
