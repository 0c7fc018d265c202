"""Every API router, in one list: the app mounts these and notes their roles in OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import (
    audit,
    candidates,
    companies,
    fairs,
    intake,
    learn_next,
    matches,
    occupations,
    outcomes,
    pairs,
    postings,
    ranking,
    signin,
    trust,
)

ROUTERS: tuple[APIRouter, ...] = (
    matches.router, candidates.router, postings.router, companies.router, trust.router, fairs.router,
    occupations.router, outcomes.router, audit.router, pairs.router, ranking.router, learn_next.router,
    intake.router, signin.router,
)
