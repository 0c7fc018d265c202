"""The ranking's blend: which one is live, trained on how many outcomes, how it scored offline."""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import MatcherDep, SettingsDep
from service.usecases import insights
from service.usecases.rules import caller

router = APIRouter(tags=["ranking"])


@router.get("/ranking/model")
def ranking_model(principal: caller(insights.blend_model), matcher: MatcherDep, settings: SettingsDep) -> dict:
    """The organisation's live blend and its stored last training (none until `POST /ranking/model:train`);
    the same in every process and after a restart."""
    return insights.blend_model(matcher, principal, settings)


@router.post("/ranking/model:train")
def train_ranking_model(principal: caller(insights.train_blend), matcher: MatcherDep, settings: SettingsDep) -> dict:
    """Learn a blend from the organisation's outcomes; it goes live for the organisation only if it beats the
    hand-set blend on the later outcomes by the stated margin and BRIDGEMATCH_LEARNED_BLEND is on. Stored."""
    return insights.train_blend(matcher, principal, settings)
