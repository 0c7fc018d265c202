"""One-time sign-in links (POST /signin-links): HTTP in front of `service.usecases.signin`.

Only coordinators make them, for a graduate or a company of their own organisation. The link
itself (`GET /signin/{code}`) is a page route (`service.web.signin`): it opens a page session,
never an API one. API tokens stay what the API accepts.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request

from service.deps import MatcherDep
from service.schemas import SignInLinkCreated, SignInLinkIn
from service.usecases import signin
from service.usecases.rules import caller

router = APIRouter()


def now(request: Request) -> dt.datetime:
    """The time links are made and checked at: `app.state.clock` when a test sets one, else UTC now."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


@router.post("/signin-links", status_code=201, response_model=SignInLinkCreated, tags=["tokens"])
def create_signin_link(body: SignInLinkIn, principal: caller(signin.make_link), matcher: MatcherDep,
                       request: Request) -> SignInLinkCreated:
    """A link that signs a graduate or company in to the pages once, within `signin_link_minutes`."""
    return signin.make_link(matcher, principal, body, minutes=request.app.state.settings.signin_link_minutes,
                            now=now(request))
