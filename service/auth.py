"""Roles, bearer tokens and the checks every route declares.

Three roles: a coordinator sees their organisation's graduates and companies;
a company owns its postings and sees consenting graduates only through its
matches, shortlist and fairs; a graduate sees and edits only their own
profile. Tokens are random secrets shown once; only their SHA-256 is stored,
so a stolen database does not hand out working keys.
A route the role may use but a record it may not see answers 404, exactly as
for a record that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from enum import Enum
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from service.storage import companies, organisations, tokens


class Role(str, Enum):
    coordinator = "coordinator"
    company = "company"
    graduate = "graduate"


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: Role
    org_id: int
    company_id: int | None = None
    candidate_id: int | None = None


TOKEN_PREFIX = "bm_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session,
    *,
    role: Role,
    org_id: int,
    company_id: int | None = None,
    candidate_id: int | None = None,
    label: str = "",
) -> tuple[int, str]:
    """Create a token; returns (id, secret). The secret is not stored and cannot be shown again."""
    if role is Role.company and company_id is None:
        raise ValueError("a company token needs a company")
    if role is Role.graduate and candidate_id is None:
        raise ValueError("a graduate token needs a candidate")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = tokens.add_token(session, token_hash=hash_token(secret), role=role.value, org_id=org_id,
                                company_id=company_id, candidate_id=candidate_id, label=label)
    return token_id, secret


def lookup(session: Session, secret: str) -> Principal | None:
    row = tokens.by_hash(session, hash_token(secret))
    if row is None or row.revoked:
        return None
    return Principal(row.id, Role(row.role), row.org_id, row.company_id, row.candidate_id)


def ensure_organisation(session: Session, name: str) -> int:
    return organisations.ensure(session, name=name)


def ensure_company(session: Session, *, org_id: int, name: str) -> int:
    return companies.ensure(session, org_id=org_id, name=name)


class PrincipalCache:
    """Who a token is, remembered for `ttl` seconds, or for as long as nothing at all was committed
    to the database (`version`: `CommitWatch.version()`): one database read saved per request.

    Only successful look-ups are kept (a new token works at once). This process
    clears it when it revokes a token or erases a graduate; a revocation made
    through another process takes effect here within `ttl`, the same bound as
    every other write from elsewhere (`BRIDGEMATCH_SYNC_SECONDS`), and at once where
    the database tells commits (SQLite): a revocation is a commit.
    """

    def __init__(self, ttl: float, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._found: dict[str, tuple[float, int | None, Principal]] = {}

    def get(self, token_hash: str, version: int | None = None) -> Principal | None:
        hit = self._found.get(token_hash)
        if hit is None:
            return None
        at, seen, principal = hit
        if time.monotonic() - at <= self.ttl or (version is not None and version == seen):
            return principal
        return None

    def put(self, token_hash: str, principal: Principal, version: int | None = None) -> None:
        if self.ttl <= 0 and version is None:
            return
        if len(self._found) >= self.size:
            self._found.clear()
        self._found[token_hash] = (time.monotonic(), version, principal)

    def clear(self) -> None:
        self._found.clear()


def forget_principals(request: Request) -> None:
    """After a write that can end a token (revocation, erasure): ask the database again."""
    cache = getattr(request.app.state, "principals", None)
    if cache is not None:
        cache.clear()


_bearer = HTTPBearer(auto_error=False, description="API key issued by a coordinator")


def _looked_up(request: Request, secret: str) -> Principal | None:
    with request.app.state.matcher.sessions() as session:
        return lookup(session, secret)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller. async: a remembered token (nearly every request) is answered in the event loop;
    only a look-up in the database goes to a worker thread (a sync dependency sent every request
    there and back, waiting twice for the GIL behind the rankings of other requests)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    cache: PrincipalCache | None = getattr(request.app.state, "principals", None)
    key = hash_token(credentials.credentials)
    version = request.app.state.matcher.watch.version()  # read before the look-up, as before the feed
    principal = cache.get(key, version) if cache is not None else None
    if principal is None:
        principal = await run_in_threadpool(_looked_up, request, credentials.credentials)
        if principal is not None and cache is not None:
            cache.put(key, principal, version)
    if principal is None:
        raise HTTPException(401, "invalid or revoked token", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require(*roles: Role):  # type: ignore[no-untyped-def]
    """Dependency: the caller holds one of `roles`, else 403 (the route itself is no secret)."""
    allowed = set(roles)

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:  # no thread hop
        if principal.role not in allowed:
            raise HTTPException(403, f"this endpoint is for {', '.join(sorted(r.value for r in allowed))}")
        return principal

    check.roles = tuple(sorted(r.value for r in allowed))  # type: ignore[attr-defined]
    return check


def declared_roles(route: object) -> tuple[str, ...] | None:
    """Who may call a route, read from the `require(...)` dependency it really runs: the roles its
    use case declares once (`@allowed`), put in the route's signature by `caller(use_case)`; the
    OpenAPI note (`x-roles`) and the access-control test read them from there."""
    stack = [getattr(route, "dependant", None)]
    while stack:
        dependant = stack.pop()
        if dependant is None:
            continue
        roles = getattr(dependant.call, "roles", None)
        if roles:
            return tuple(roles)
        stack.extend(dependant.dependencies)
    return None


def note_roles(routes: list) -> None:
    """Put each route's `declared_roles` into its OpenAPI operation as `x-roles`."""
    for route in routes:
        roles = declared_roles(route)
        if roles and hasattr(route, "openapi_extra"):
            route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": list(roles)}


Anyone = Annotated[Principal, Depends(require(Role.coordinator, Role.company, Role.graduate))]
"""For a route that runs no use case (the ESCO occupation look-up); the others take their principal
dependency from the roles their use case declares (`service.usecases.rules.caller`)."""
