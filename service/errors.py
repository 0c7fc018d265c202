"""The one table of refusals: which exception is which HTTP status, for the API and the pages.

Routes and use cases raise these; `service.app` answers each with its status and sentence
(JSON `{"detail": …}` plus the exception's own fields), and `service.web.page` shows the same
status and sentence on a page. Adding an exception here is all either needs.
"""

from __future__ import annotations

from sqlalchemy.exc import DataError

from matching.fair.types import FairRulesConflict
from matching.placement.prefs import PlacementError
from matching.records.sides import NotFoundError
from service.bulk import ImportRejected
from service.companies import UnknownCompanyError
from service.fairs import FairInputError
from service.outcomes import OutcomeInputError
from service.storage.records import ConflictError


class UnprocessableError(ValueError):
    """Input that is well formed but cannot be acted on (a fair stored before a newer rule)."""


class ForbiddenError(PermissionError):
    """The caller's role may use the route, but not for this record (a graduate asking about
    another graduate's id: refused whatever the id, so nothing about it leaks)."""


class Forbidden(PermissionError):
    """The caller's role may not run this use case (`service.usecases.rules.allowed`).

    Over HTTP the route's principal dependency refuses first, with the same roles; a page
    calling the use case directly gets this one, and shows its sentence."""

    def __init__(self, roles: tuple[str, ...], message: str = "") -> None:
        super().__init__(message or f"This page is for {' and '.join(roles)} accounts.")
        self.roles = roles


def _sentence(exc: Exception) -> str:
    if isinstance(exc, FairRulesConflict | FairInputError | PlacementError):
        conflicts = getattr(exc, "conflicts", None) or getattr(exc, "problems", None)
        return "the fair's rules conflict: " + "; ".join(conflicts) if conflicts else str(exc)
    if isinstance(exc, OverflowError):  # an id beyond 64 bits: the driver overflows binding it
        return "no record with that id (ids are 64-bit integers)"
    if isinstance(exc, DataError):  # a value the database refuses (NUL, too long): the client's input
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "value refused"
        return f"invalid input: the database cannot store a value: {reason}"
    return str(exc)


def _fields(exc: Exception) -> dict:
    if isinstance(exc, ImportRejected):
        return {"errors": exc.errors}
    if isinstance(exc, UnknownCompanyError):
        return {"unknown": exc.names}
    return {}


STATUS: dict[type[Exception], int] = {
    Forbidden: 403,
    NotFoundError: 404,
    ForbiddenError: 403,
    OverflowError: 404,
    ConflictError: 409,
    ImportRejected: 422,
    UnknownCompanyError: 422,
    DataError: 422,
    UnprocessableError: 422,
    FairRulesConflict: 422,
    FairInputError: 422,
    PlacementError: 422,
    OutcomeInputError: 422,
}


def refusal(exc: Exception) -> tuple[int, dict] | None:
    """(status, body) for an exception of the table, else None (a fault: 500, logged)."""
    for kind, status in STATUS.items():
        if isinstance(exc, kind):
            return status, {"detail": _sentence(exc), **_fields(exc)}
    return None
