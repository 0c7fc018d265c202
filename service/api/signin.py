"""One-time sign-in links (POST /signin-links): HTTP in front of `service.usecases.signin`.

Only coordinators make them, for a graduate or a company of their own organisation. The link
itself (`GET /signin/{code}`) is a page route (`service.web.signin`): it opens a page session,
never an API one. API tokens stay what the API accepts.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request

from service.access import check_candidate
from service.auth import Coordinator, Role
from service.deps import MatcherDep
from service.schemas import SignInLinkCreated, SignInLinkIn
from service.usecases import signin

router = APIRouter()


def now(request: Request) -> dt.datetime:
    """The time links are made and checked at: `app.state.clock` when a test sets one, else UTC now."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


@router.post("/signin-links", status_code=201, response_model=SignInLinkCreated, tags=["tokens"])
def create_signin_link(body: SignInLinkIn, principal: Coordinator, matcher: MatcherDep,
                       request: Request) -> SignInLinkCreated:
    """A link that signs a graduate or company in to the pages once, within `signin_link_minutes`."""
    role = Role(body.role)
    if role is Role.company and not body.company:
        raise HTTPException(422, "company: a company link needs the company's name")
    if role is Role.graduate:
        if body.candidate_id is None:
            raise HTTPException(422, "candidate_id: a graduate link needs the graduate's id")
        check_candidate(matcher, principal, body.candidate_id)
    minutes = request.app.state.settings.signin_link_minutes
    code, expires = signin.create_link(matcher.sessions, principal, role=role, candidate_id=body.candidate_id,
                                       company=body.company, minutes=minutes, now=now(request))
    return SignInLinkCreated(role=role.value, path=f"/signin/{code}", expires_at=expires.isoformat(),
                             minutes=minutes)
