"""Companies: records a coordinator creates by name; tokens and postings name an existing one.

Storage functions only (no HTTP): the routes in `service.api.companies`, the token and
posting routes, the CLI and the demo loader all resolve company names here, so a
mistyped name is refused everywhere with the same did-you-mean hint instead of
silently becoming a new company.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sqlalchemy.orm import Session

from service.auth import ensure_company
from service.db import CompanyRow
from service.storage import companies
from service.storage.records import ConflictError

CREATE_ONE = "Create it first with POST /companies"
CREATE_MANY = "Create them first with POST /companies, or import with create_companies=true"


class UnknownCompanyError(ValueError):
    """Names that are no company of the organisation; the message suggests close existing names.

    Example:
        >>> str(UnknownCompanyError(["Sol Digitl SL"], ["Sol Digital SL"]))
        "no company named 'Sol Digitl SL' in this organisation; did you mean 'Sol Digital SL'? Create it first with POST /companies"
    """

    def __init__(self, names: list[str], known: Iterable[str], *, fix: str | None = None) -> None:
        self.names = names
        super().__init__(unknown_message(names, list(known), fix=fix))


def suggestion(name: str, known: list[str]) -> str | None:
    """The existing name closest to `name` (ignoring case), if one is close enough."""
    by_folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None


def unknown_message(names: list[str], known: list[str], *, fix: str | None = None) -> str:
    hints = {name: suggestion(name, known) for name in names}
    if len(names) == 1:
        name, close = names[0], hints[names[0]]
        mean = f"; did you mean {close!r}?" if close else "."
        return f"no company named {name!r} in this organisation{mean} {fix or CREATE_ONE}"
    listed = ", ".join(repr(n) for n in names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    means = [f"{close!r} for {name!r}" for name, close in hints.items() if close][:10]
    mean = f" (did you mean {'; '.join(means)}?)" if means else ""
    return f"no companies named {listed} in this organisation{mean}. {fix or CREATE_MANY}"


def list_companies(session: Session, *, org_id: int) -> list[CompanyRow]:
    return companies.of_org(session, org_id=org_id)


def company_names(session: Session, *, org_id: int) -> list[str]:
    return [row.name for row in list_companies(session, org_id=org_id)]


def company_ids(
    session: Session, *, org_id: int, names: Iterable[str], create: bool = False, fix: str | None = None
) -> dict[str, int]:
    """Ids of the named companies; unknown names raise `UnknownCompanyError` (all listed), or with
    `create` become new companies (the explicit path: a coordinator asked for it)."""
    wanted = list(dict.fromkeys(names))
    found = companies.ids_by_name(session, org_id=org_id, names=wanted)
    missing = [name for name in wanted if name not in found]
    if missing and not create:
        raise UnknownCompanyError(missing, company_names(session, org_id=org_id), fix=fix)
    for name in missing:
        found[name] = ensure_company(session, org_id=org_id, name=name)
    return found


def require_company(session: Session, *, org_id: int, name: str, fix: str | None = None) -> int:
    """The id of the organisation's company `name`, else `UnknownCompanyError` with a suggestion."""
    return company_ids(session, org_id=org_id, names=[name], fix=fix)[name]


def create_company(session: Session, *, org_id: int, name: str) -> int:
    """A new company of the organisation; `ConflictError` if that name exists already."""
    company_id = companies.insert_new(session, org_id=org_id, name=name)
    if company_id is not None:
        return company_id
    raise ConflictError(f"a company named {name!r} already exists in this organisation")
