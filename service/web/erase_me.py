"""A graduate erases their own profile: a second page says what goes, a ticked box confirms it.

The erasure is the API's own (`DELETE /candidates/{id}`: profile, vectors, cached embedding,
tokens, sign-in links, shortlists, fairs to come, outcomes); then the page session ends, since
the token behind it is gone with the rest.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from service.auth import forget_principals
from service.usecases import candidates
from service.web.graduate import own_id
from service.web.i18n import N_
from service.web.page import Form, PageDep, PageError, render, sessions_of
from service.web.sessions import SESSION_COOKIE, clear_cookie

router = APIRouter(prefix="/ui", include_in_schema=False)
CONFIRM = "confirm"


@router.get("/me/erase")
def confirm_erasure(page: PageDep) -> Response:
    """The second page: what erasing removes, and the box to tick."""
    record = candidates.profile(page.matcher, page.principal, own_id(page))
    return render(page.request, "graduate/erase.html", page=page, record=record)


@router.post("/me/erase")
def erase_me(page: PageDep, form: Form) -> Response:
    """Erase the caller's profile everywhere, then end their session."""
    rid = own_id(page)
    if form.get(CONFIRM) != "yes":
        raise PageError(422, N_("Nothing was erased: tick the box to confirm that you want to erase your profile."))
    candidates.erase(page.matcher, page.principal, rid)
    forget_principals(page.request)
    sessions_of(page.request).drop(page.request.cookies.get(SESSION_COOKIE))
    answer = render(page.request, "graduate/erased.html")
    clear_cookie(answer, page.request, SESSION_COOKIE)
    return answer
