"""What a job title is in ESCO: the occupation normaliser, for forms, intake and coordinators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from matching.esco.occupations import MIN_CONFIDENCE, occupation_normaliser
from service.auth import Anyone
from service.deps import MatcherDep, SettingsDep

router = APIRouter(tags=["occupations"])


@router.get(
    "/occupations",
    summary="ESCO occupations for a job title",
)
def occupations(
    principal: Anyone, matcher: MatcherDep, settings: SettingsDep,
    title: Annotated[str, Query(min_length=1, max_length=200, description="a job title or headline, any wording")],
    k: Annotated[int, Query(ge=1, le=20, description="how many occupations at most")] = 5,
) -> dict:
    """The likeliest ESCO occupations for a title, best first, each with a confidence; none below
    the normaliser's threshold, and a sentence saying so when nothing is close enough. The first
    call of a process builds the normaliser (about a minute on first use, then from the cache)."""
    normaliser = occupation_normaliser(matcher.encoder, settings.cache_dir.resolve())
    found = normaliser.normalise([title.strip() or title], k=k)[0]
    out: dict = {"title": title, "occupations": [vars(o) for o in found]}
    if not found:
        out["message"] = (f"No ESCO occupation is close enough to this title (confidence below "
                          f"{MIN_CONFIDENCE}); try the usual name of the job, e.g. 'web developer'.")
    return out
