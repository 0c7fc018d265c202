"""Shortlists: a company's invitation of a graduate for a posting (one per pair), and the answer."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import InterviewRow
from service.storage.records import ConflictError


def add(session: Session, *, org_id: int, company_id: int | None, posting_id: int, candidate_id: int) -> InterviewRow:
    """A new shortlist entry; `ConflictError` when the pair is shortlisted already."""
    row = InterviewRow(org_id=org_id, company_id=company_id, posting_id=posting_id, candidate_id=candidate_id)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError("this graduate is already shortlisted for this posting") from exc
    return row


def get(session: Session, interview_id: int) -> InterviewRow | None:
    return session.get(InterviewRow, interview_id)


def listing(session: Session, *, org_id: int | None = None, company_id: int | None = None,
            candidate_id: int | None = None, only_candidate: bool = False) -> list[InterviewRow]:
    """In id order, narrowed by each argument given (`only_candidate`: by `candidate_id` even if None)."""
    query = select(InterviewRow).order_by(InterviewRow.id)
    if org_id is not None:
        query = query.where(InterviewRow.org_id == org_id)
    if company_id is not None:
        query = query.where(InterviewRow.company_id == company_id)
    if candidate_id is not None or only_candidate:
        query = query.where(InterviewRow.candidate_id == candidate_id)
    return list(session.scalars(query))


def accepted_candidates(session: Session, *, company_id: int) -> set[int]:
    """Graduates who accepted this company's invitation (the company may see their name)."""
    return set(session.scalars(select(InterviewRow.candidate_id).where(
        InterviewRow.company_id == company_id, InterviewRow.status == "accepted")))


def shortlisted_by(session: Session, *, company_id: int | None, candidate_id: int) -> bool:
    return session.scalar(select(InterviewRow.id).where(
        InterviewRow.company_id == company_id, InterviewRow.candidate_id == candidate_id).limit(1)) is not None


def not_declined(session: Session, *, org_id: int) -> list[InterviewRow]:
    return list(session.scalars(select(InterviewRow).where(
        InterviewRow.org_id == org_id, InterviewRow.status != "declined")))


def delete_for_candidate(session: Session, candidate_id: int) -> None:
    session.execute(delete(InterviewRow).where(InterviewRow.candidate_id == candidate_id))
