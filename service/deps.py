"""Dependency aliases shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from matching.ranking.blend import Weights
from service.matcher import Matcher
from service.settings import Settings


async def get_matcher(request: Request) -> Matcher:
    """The engine, brought up to date with other processes' writes at most `sync_seconds` late.

    async: on most requests there is nothing to read, and a sync dependency would cost every
    request a round trip through the worker threads (handing the GIL over twice while the
    rankings of other requests hold it); the database is read in a worker thread when due."""
    matcher: Matcher = request.app.state.matcher
    if matcher.due(max_age=matcher.sync_seconds):
        await run_in_threadpool(matcher.catch_up, max_age=matcher.sync_seconds)
    return matcher


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def _weight(part: str) -> str:
    return (f"weight of {part} in the score, relative to the other w_* weights; unset keeps the "
            "server's setting. If every weight ends up zero the answer is 422: at least one must be above zero.")


async def get_weights(  # async: pure arithmetic, no worker-thread hop per request
    matcher: Annotated[Matcher, Depends(get_matcher)],
    w_semantic: Annotated[float | None, Query(ge=0, le=100, description=_weight("meaning (embeddings)"))] = None,
    w_skills: Annotated[float | None, Query(ge=0, le=100, description=_weight("skill overlap"))] = None,
    w_lexical: Annotated[float | None, Query(ge=0, le=100, description=_weight("shared words (BM25)"))] = None,
    w_concepts: Annotated[float | None, Query(ge=0, le=100, description=_weight("shared ESCO skills"))] = None,
) -> Weights | None:
    """Per-request blend; unspecified parts keep the configured weights; all of them zero is a 422.
    None when no part is given: the ranking then uses the organisation's live blend (a learned one if any)."""
    if w_semantic is None and w_skills is None and w_lexical is None and w_concepts is None:
        return None
    base = matcher.weights
    weights = Weights(
        base.semantic if w_semantic is None else w_semantic,
        base.skills if w_skills is None else w_skills,
        base.lexical if w_lexical is None else w_lexical,
        base.concepts if w_concepts is None or matcher.concepts is None else w_concepts,
    )
    try:
        weights.normalised()
    except ValueError as exc:
        raise HTTPException(422, f"w_semantic, w_skills, w_lexical, w_concepts: {exc}") from exc
    return weights


MatcherDep = Annotated[Matcher, Depends(get_matcher)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
WeightsDep = Annotated[Weights | None, Depends(get_weights)]
Limit = Annotated[int, Query(ge=1, le=100)]
