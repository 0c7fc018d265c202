"""Exposure audits by group of a sensitive field: coordinators only, JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from service.api.download import attachment
from service.audit import Field
from service.deps import MatcherDep
from service.usecases import insights
from service.usecases.rules import caller

router = APIRouter(tags=["audit"])
FieldQuery = Annotated[Field, Query(description="the sensitive field whose groups are compared")]
K = Annotated[int, Query(ge=1, le=100, description="the top k for skew@k")]
CSV = {200: {"content": {"text/csv": {}}}}


@router.get("/fairs/{fair_id}/audit")
def audit_fair(fair_id: int, principal: caller(insights.fair_exposure), matcher: MatcherDep,
               field: FieldQuery = "origin", k: K = 10) -> dict:
    """Per group: exposure in the companies' ranked lists at this fair, skew@k, NDKL, recorded interviews
    (outcomes with this fair) and planned meetings, with the four-fifths ratio of "got >= 1 interview"."""
    return insights.fair_exposure(matcher, principal, fair_id, field, k)


@router.get("/fairs/{fair_id}/audit.csv", response_class=Response, responses=CSV)
def audit_fair_csv(fair_id: int, principal: caller(insights.fair_exposure_table), matcher: MatcherDep,
                   field: FieldQuery = "origin", k: K = 10) -> Response:
    return attachment(insights.fair_exposure_table(matcher, principal, fair_id, field, k), "text/csv",
                      f"fair-{fair_id}-audit.csv")


PostingIds = Annotated[str, Query(max_length=2000, description="comma-separated posting ids, e.g. 1,2,3")]


@router.get("/audit/exposure")
def audit_exposure(principal: caller(insights.listed_postings_exposure), matcher: MatcherDep,
                   posting_ids: PostingIds, field: FieldQuery = "origin", k: K = 10, rerank: bool = False) -> dict:
    """Per group: exposure in these postings' ranked lists, skew@k, NDKL, interviews recorded for them;
    with `rerank=true`, each list re-ranked by DetGreedy towards its own group mix and the nDCG@k it costs."""
    return insights.listed_postings_exposure(matcher, principal, posting_ids, field, k, rerank)


@router.get("/audit/exposure.csv", response_class=Response, responses=CSV)
def audit_exposure_csv(principal: caller(insights.listed_postings_table), matcher: MatcherDep,
                       posting_ids: PostingIds, field: FieldQuery = "origin", k: K = 10) -> Response:
    return attachment(insights.listed_postings_table(matcher, principal, posting_ids, field, k), "text/csv",
                      "exposure-audit.csv")
