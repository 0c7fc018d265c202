"""One-time sign-in links as pages: the coordinator's button and QR code, and the link itself.

`GET /signin/{code}` swaps a link for a page session (as the log-in form swaps a token) and
then sends the person to their own page. It answers with a small page that moves on at once
(a meta refresh), not a 303: the session cookie is SameSite=Strict, and a browser opened from a
chat or mail app on another site would not send it on a redirect that that site started.
"""

from __future__ import annotations

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from service.api import signin as signin_api
from service.auth import Role
from service.deps import MatcherDep
from service.schemas import SignInLinkIn
from service.usecases import candidates, signin
from service.web.i18n import N_, language_of, translations
from service.web.page import HOME, Form, Page, PageDep, PageError, render, sessions_of
from service.web.sessions import LOGIN_COOKIE, SESSION_COOKIE, clear_cookie, set_cookie

router = APIRouter(include_in_schema=False)

QR_TITLE = N_("QR code of the sign-in link")
REFUSED = {
    "unknown": (404, N_("This sign-in link does not work"),
                N_("Check that the whole link was copied, or ask your coordinator for a new one.")),
    "used": (410, N_("This sign-in link was used already"),
             N_("Each link works only once. If it was not you, tell your coordinator. Ask for a new link to sign in.")),
    "expired": (410, N_("This sign-in link has expired"),
                N_("Links work only for a few minutes. Ask your coordinator for a new one.")),
}


def qr_svg(url: str, title: str) -> Markup:
    """The link as an inline SVG QR code (no image file, no script: the page's CSP allows it)."""
    return Markup(segno.make_qr(url, error="m").svg_inline(scale=5, border=4, title=title, svgclass="qr"))


def _link_page(page: Page, body: SignInLinkIn, back: str, who: str) -> Response:
    created = signin.make_link(page.matcher, page.principal, body, now=signin_api.now(page.request),
                                minutes=page.request.app.state.settings.signin_link_minutes)
    url = str(page.request.base_url).rstrip("/") + created.path
    title = translations(language_of(page.request)).gettext(QR_TITLE)
    return render(page.request, "signin/link.html", page=page, created=created, url=url, who=who, back=back,
                  qr=qr_svg(url, title))


@router.post("/ui/graduates/{rid}/signin-link")
def graduate_link(rid: int, page: PageDep, form: Form) -> Response:
    """A sign-in link and QR code for one graduate of the organisation."""
    page.allow(signin.make_link)  # a graduate or company: 403 before any record is read
    record = candidates.profile(page.matcher, page.principal, rid)
    return _link_page(page, SignInLinkIn(role="graduate", candidate_id=rid), "/ui/graduates", record.name)


@router.post("/ui/companies/signin-link")
def company_link(page: PageDep, form: Form) -> Response:
    """A sign-in link and QR code for one company of the organisation, by name."""
    name = str(form.get("company") or "").strip()
    if not name:
        raise PageError(422, "company: choose a company from the list")
    return _link_page(page, SignInLinkIn(role="company", company=name[:200]), "/ui/companies", name)


@router.get("/signin/{code}")
def open_link(code: str, request: Request, matcher: MatcherDep) -> Response:
    """Exchange the link once for a page session, then go to the person's own page."""
    try:
        role, secret = signin.redeem(matcher.sessions, code[:200], now=signin_api.now(request))
    except signin.SignInRefused as refused:
        status, title, message = REFUSED[refused.reason]
        return render(request, "error.html", status=status, title=title, message=message, back="/ui/login")
    store = sessions_of(request)
    store.drop(request.cookies.get(SESSION_COOKIE))
    web = store.create(secret)
    target = HOME[Role(role)] if role is not Role.graduate else "/ui/me/matches"
    answer = render(request, "signin/welcome.html", target=target)
    set_cookie(answer, request, SESSION_COOKIE, web.sid)
    clear_cookie(answer, request, LOGIN_COOKIE)
    return answer

