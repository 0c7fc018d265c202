"""Erasing a graduate everywhere: each step named here, run in the transaction that deletes
the profile (`Matcher.delete(..., also=erase_references)`), so an erasure is all or nothing.

The steps were once registered by whichever module happened to be imported (fairs appended
itself to a list when its routes loaded), so whether an erasure reached the fairs depended on
import order. Here they are listed once, explicitly; a module that stores graduate ids adds
its step to `STEPS`, and `tests/service/test_privacy.py` checks each kind of row is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.db import FairRow, InterviewRow, OutcomeRow, SignInLinkRow, TokenRow
from service.fairs import erase_graduate


def _tokens(session: Session, rid: int) -> None:
    session.execute(delete(TokenRow).where(TokenRow.candidate_id == rid))


def _signin_links(session: Session, rid: int) -> None:
    """One-time sign-in links name the graduate they sign in, used or not."""
    session.execute(delete(SignInLinkRow).where(SignInLinkRow.candidate_id == rid))


def _shortlists(session: Session, rid: int) -> None:
    session.execute(delete(InterviewRow).where(InterviewRow.candidate_id == rid))


def _fairs(session: Session, rid: int) -> None:
    """Out of every fair's graduates, and out of its schedule (meetings to come are freed)."""
    for row in session.scalars(select(FairRow)):
        if rid in row.spec.get("graduates", []):
            row.spec, row.schedule = erase_graduate(row.spec, row.schedule, rid)


def _outcomes(session: Session, rid: int) -> None:
    """What happened after fairs and shortlists (hired, declined, did not come) is about them too."""
    session.execute(delete(OutcomeRow).where(OutcomeRow.candidate_id == rid))


STEPS: tuple[Callable[[Session, int], None], ...] = (_tokens, _signin_links, _shortlists, _fairs, _outcomes)


def erase_references(session: Session, rid: int) -> None:
    """Every row that names graduate `rid`, besides the profile itself."""
    for step in STEPS:
        step(session, rid)
