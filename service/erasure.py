"""Erasing a graduate everywhere: each step named here, run in the transaction that deletes
the profile (`Matcher.delete(..., also=erase_references)`), so an erasure is all or nothing.

The steps were once registered by whichever module happened to be imported (fairs appended
itself to a list when its routes loaded), so whether an erasure reached the fairs depended on
import order. Here they are listed once, explicitly; a module that stores graduate ids adds
its step to `STEPS`, and `tests/service/test_erasure.py` checks each kind of row is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from service.fairs import erase_graduate
from service.storage import fairs, interviews, outcomes, page_languages, tokens


def _tokens(session: Session, rid: int) -> None:
    tokens.delete_for_candidate(session, rid)


def _signin_links(session: Session, rid: int) -> None:
    """One-time sign-in links name the graduate they sign in, used or not."""
    tokens.delete_links_for_candidate(session, rid)


def _shortlists(session: Session, rid: int) -> None:
    interviews.delete_for_candidate(session, rid)


def _fairs(session: Session, rid: int) -> None:
    """Out of every fair's graduates, and out of its schedule (meetings to come are freed)."""
    for row in fairs.inviting(session, rid):
        row.spec, row.schedule = erase_graduate(row.spec, row.schedule, rid)


def _outcomes(session: Session, rid: int) -> None:
    """What happened after fairs and shortlists (hired, declined, did not come) is about them too."""
    outcomes.delete_for_candidate(session, rid)


def _page_language(session: Session, rid: int) -> None:
    """The page language they chose says something of where they come from."""
    page_languages.delete_for_candidate(session, rid)


STEPS: tuple[Callable[[Session, int], None], ...] = (
    _tokens, _signin_links, _shortlists, _fairs, _outcomes, _page_language,
)


def erase_references(session: Session, rid: int) -> None:
    """Every row that names graduate `rid`, besides the profile itself."""
    for step in STEPS:
        step(session, rid)
