"""One-time sign-in links: made by a coordinator, exchanged once for a page session.

A graduate on a phone cannot be expected to paste a 40-character token, so a coordinator
makes a link (shown as a QR code) that signs the person in once, for a few minutes. Only the
code's SHA-256 is stored. The exchange is one conditional UPDATE (`used_at IS NULL`), so two
phones opening the same link cannot both get in. It gives the session its own API token
(label "sign-in link"), so revoking tokens and erasure work on these sessions as on any other.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session, sessionmaker

from service.access import check_subject
from service.auth import Principal, Role, hash_token, issue_token
from service.companies import require_company
from service.db import SignInLinkRow
from service.matcher import Matcher
from service.schemas import SignInLinkCreated, SignInLinkIn
from service.storage import tokens
from service.usecases.rules import allowed

CODE_BYTES = 24
LINK_LABEL = "sign-in link"


class SignInRefused(Exception):
    """A link that signs no one in: `reason` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"sign-in link {reason}")
        self.reason = reason


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every time stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def create_link(sessions: sessionmaker, principal: Principal, *, role: Role, candidate_id: int | None,
                company: str | None, minutes: int, now: dt.datetime) -> tuple[str, dt.datetime]:
    """(code, expiry) of a new link for a graduate (already checked as the caller's) or a company
    of the caller's organisation (by name; another organisation's is not found)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    expires = now + dt.timedelta(minutes=minutes)
    with sessions.begin() as session:
        company_id = require_company(session, org_id=principal.org_id, name=company or "") \
            if role is Role.company else None
        tokens.add_link(
            session, code_hash=hash_token(code), role=role.value, org_id=principal.org_id, company_id=company_id,
            candidate_id=candidate_id if role is Role.graduate else None, created_by=principal.token_id,
            created_at=now, expires_at=expires,
        )
    return code, expires


def _usable(session: Session, code: str, now: dt.datetime) -> SignInLinkRow:
    row = tokens.link_by_hash(session, hash_token(code))
    if row is None:
        raise SignInRefused("unknown")
    if row.used_at is not None:
        raise SignInRefused("used")
    if _aware(row.expires_at) <= now:
        raise SignInRefused("expired")
    return row


def check(sessions: sessionmaker, code: str, *, now: dt.datetime) -> Role:
    """Whom the link would sign in, without using it up: opening a link only shows a button.
    Chat and mail apps fetch a link to preview it; were opening it the sign-in, the preview
    would spend the link before the person ever tapped it."""
    with sessions() as session:
        return Role(_usable(session, code, now).role)


def redeem(sessions: sessionmaker, code: str, *, now: dt.datetime) -> tuple[Principal, str]:
    """(who, API token secret) of the session this link opens; refused when unknown, used or expired."""
    with sessions.begin() as session:
        row = _usable(session, code, now)
        if not tokens.claim_link(session, link_id=row.id, now=now):  # another request got there first
            raise SignInRefused("used")
        who = {"role": Role(row.role), "org_id": row.org_id, "company_id": row.company_id,
               "candidate_id": row.candidate_id}
        token_id, secret = issue_token(session, **who, label=LINK_LABEL)
        return Principal(token_id=token_id, **who), secret


@allowed(Role.coordinator)
def make_link(matcher: Matcher, principal: Principal, body: SignInLinkIn, *, minutes: int,
              now: dt.datetime) -> SignInLinkCreated:
    """A link that signs one graduate or company of the caller's organisation in to the pages once,
    within `minutes`; its path is `/signin/{code}`."""
    role = Role(body.role)
    check_subject(matcher, principal, role, company=body.company, candidate_id=body.candidate_id, what="link")
    code, expires = create_link(matcher.sessions, principal, role=role, candidate_id=body.candidate_id,
                                company=body.company, minutes=minutes, now=now)
    return SignInLinkCreated(role=role.value, path=f"/signin/{code}", expires_at=expires.isoformat(),
                             minutes=minutes)
