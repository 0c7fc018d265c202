"""A posting as a graduate sees it from their matches: what it offers, and why it fits them.

The page reuses the ranker's own answer for this graduate (`candidate_matches`: the
explanation of each shown match, and each near miss with its one failing rule), so it says
exactly what the list said. A posting that is neither a match nor a near miss of this graduate
is not found here, whatever its id: the list is what the eligibility rules (consent, organisation,
city, permit, languages, dates) let them see.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from matching.ranking.blend import RELEVANCE_FLOOR
from service.usecases import candidates, postings
from service.usecases import matches as match_cases
from service.web.graduate import own_id, urls_for
from service.web.i18n import N_
from service.web.page import Page, PageDep, PageError, render

router = APIRouter(prefix="/ui", include_in_schema=False)
SEARCHED = 100  # how far down the graduate's ranked list a posting page looks
NOT_YOURS = N_("This posting is not among your matches, or it is no longer open. Go back to your matches to see the ones that fit.")


def _posting(page: Page, rid: int, pid: int) -> Response:
    candidates.profile(page.matcher, page.principal, rid)  # the graduate themself, or their coordinator
    found = match_cases.for_candidate(page.matcher, page.principal, rid, weights=page.matcher.weights,
                                      limit=SEARCHED, floor=RELEVANCE_FLOOR)
    item = next((m for m in found["items"] if m["id"] == pid), None)
    near = next((m for m in found.get("near_misses", []) if m["id"] == pid), None)
    if item is None and near is None:
        raise PageError(404, NOT_YOURS)
    posting = postings.read(page.matcher, page.principal, pid)
    return render(page.request, "graduate/posting.html", page=page, rid=rid, posting=posting,
                  item=item or near, near=near is not None, urls=urls_for(page, rid))


@router.get("/me/postings/{pid}")
def my_posting(pid: int, page: PageDep) -> Response:
    return _posting(page, own_id(page), pid)


@router.get("/graduates/{rid}/postings/{pid}")
def graduate_posting(rid: int, pid: int, page: PageDep) -> Response:
    return _posting(page, rid, pid)
