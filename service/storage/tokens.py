"""API tokens and one-time sign-in links: only SHA-256 hashes of their secrets are stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from service.db import SignInLinkRow, TokenRow


def add_token(session: Session, *, token_hash: str, role: str, org_id: int, company_id: int | None,
              candidate_id: int | None, label: str) -> int:
    row = TokenRow(token_hash=token_hash, role=role, org_id=org_id, company_id=company_id,
                   candidate_id=candidate_id, label=label)
    session.add(row)
    session.flush()
    return row.id


def by_hash(session: Session, token_hash: str) -> TokenRow | None:
    return session.scalar(select(TokenRow).where(TokenRow.token_hash == token_hash))


def get(session: Session, token_id: int) -> TokenRow | None:
    return session.get(TokenRow, token_id)


def of_org(session: Session, *, org_id: int) -> list[TokenRow]:
    return list(session.scalars(select(TokenRow).where(TokenRow.org_id == org_id).order_by(TokenRow.id)))


def has_live(session: Session, *, org_id: int, role: str) -> bool:
    """Whether the organisation holds an unrevoked token of this role."""
    return session.scalar(select(TokenRow.id).where(
        TokenRow.org_id == org_id, TokenRow.role == role, TokenRow.revoked.is_(False)).limit(1)) is not None


def delete_for_candidate(session: Session, candidate_id: int) -> None:
    session.execute(delete(TokenRow).where(TokenRow.candidate_id == candidate_id))


def add_link(session: Session, *, code_hash: str, role: str, org_id: int, company_id: int | None,
             candidate_id: int | None, created_by: int | None, created_at: dt.datetime,
             expires_at: dt.datetime) -> None:
    session.add(SignInLinkRow(code_hash=code_hash, role=role, org_id=org_id, company_id=company_id,
                              candidate_id=candidate_id, created_by=created_by, created_at=created_at,
                              expires_at=expires_at))


def link_by_hash(session: Session, code_hash: str) -> SignInLinkRow | None:
    return session.scalar(select(SignInLinkRow).where(SignInLinkRow.code_hash == code_hash))


def claim_link(session: Session, *, link_id: int, now: dt.datetime) -> bool:
    """Mark the link used, in one conditional UPDATE: False when another request claimed it first."""
    claimed = session.execute(update(SignInLinkRow)
                              .where(SignInLinkRow.id == link_id, SignInLinkRow.used_at.is_(None))
                              .values(used_at=now))
    return claimed.rowcount == 1


def delete_links_for_candidate(session: Session, candidate_id: int) -> None:
    session.execute(delete(SignInLinkRow).where(SignInLinkRow.candidate_id == candidate_id))
