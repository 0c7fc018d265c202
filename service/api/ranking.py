"""The ranking's blend: which one is live, trained on how many outcomes, how it scored offline."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.auth import Coordinator
from service.deps import MatcherDep, SettingsDep
from service.ranking_model import configured_weights
from service.usecases import insights

router = APIRouter(tags=["ranking"])


@router.get("/ranking/model")
def ranking_model(principal: Coordinator, matcher: MatcherDep, settings: SettingsDep, request: Request) -> dict:
    """The live blend and the last training's report (none until `POST /ranking/model:train`)."""
    trained = getattr(request.app.state, "ranking_model", None)
    live = matcher.weights.normalised()
    learned = trained is not None and trained["live"] == "learned"
    return {
        "live": "learned" if learned else "hand-set",
        "weights": {"semantic": round(live.semantic, 4), "skills": round(live.skills, 4),
                    "lexical": round(live.lexical, 4), "concepts": round(live.concepts, 4)},
        "hand_set_is_configured": not learned and matcher.weights == configured_weights(settings),
        "learned_blend_enabled": settings.learned_blend,
        "last_training": trained,
    }


@router.post("/ranking/model:train")
def train_ranking_model(principal: Coordinator, matcher: MatcherDep, settings: SettingsDep,
                        request: Request) -> dict:
    """Learn a blend from the organisation's outcomes; it goes live only if it beats the hand-set blend on
    the later outcomes by the stated margin and BRIDGEMATCH_LEARNED_BLEND is on (server-wide, this process)."""
    result = insights.train_blend(matcher, principal, settings)
    request.app.state.ranking_model = result
    return result
