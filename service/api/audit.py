"""Exposure audits by group of a sensitive field: coordinators only, JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from service.audit import Field, audit_csv
from service.auth import Coordinator, Principal
from service.deps import MatcherDep
from service.matcher import Matcher
from service.store import NotFoundError, Side
from service.usecases import insights

router = APIRouter(tags=["audit"])
FieldQuery = Annotated[Field, Query(description="the sensitive field whose groups are compared")]
K = Annotated[int, Query(ge=1, le=100, description="the top k for skew@k")]
CSV = {200: {"content": {"text/csv": {}}}}
MAX_POSTINGS = 100


def _fair_result(matcher: Matcher, principal: Principal, fair_id: int, field: Field, k: int) -> dict:
    return insights.fair_exposure(matcher, principal, fair_id, field, k)


@router.get("/fairs/{fair_id}/audit")
def audit_fair(fair_id: int, principal: Coordinator, matcher: MatcherDep, field: FieldQuery = "origin",
               k: K = 10) -> dict:
    """Per group: exposure in the companies' ranked lists at this fair, skew@k, NDKL, recorded interviews
    (outcomes with this fair) and planned meetings, with the four-fifths ratio of "got >= 1 interview"."""
    return _fair_result(matcher, principal, fair_id, field, k)


@router.get("/fairs/{fair_id}/audit.csv", response_class=Response, responses=CSV)
def audit_fair_csv(fair_id: int, principal: Coordinator, matcher: MatcherDep, field: FieldQuery = "origin",
                   k: K = 10) -> Response:
    result = _fair_result(matcher, principal, fair_id, field, k)
    return Response(audit_csv(result), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair_id}-audit.csv"'})


def _posting_ids(matcher: Matcher, principal: Principal, raw: str) -> list[int]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or len(parts) > MAX_POSTINGS:
        raise HTTPException(422, f"posting_ids: give 1 to {MAX_POSTINGS} ids separated by commas")
    bad = [p for p in parts if not p.isascii() or not p.isdigit()]
    if bad:
        raise HTTPException(422, f"posting_ids: not ids: {', '.join(bad[:10])}")
    ids = list(dict.fromkeys(int(p) for p in parts))
    for pid in ids:
        try:
            owner = matcher.owner(Side.postings, pid)
        except (NotFoundError, OverflowError):
            owner = None
        if owner is None or owner.org_id != principal.org_id:
            raise NotFoundError(f"no posting with id {pid}")
    return ids


PostingIds = Annotated[str, Query(max_length=2000, description="comma-separated posting ids, e.g. 1,2,3")]


def _postings_result(matcher: Matcher, principal: Principal, posting_ids: str, field: Field, k: int,
                     rerank: bool) -> dict:
    ids = _posting_ids(matcher, principal, posting_ids)
    return insights.postings_exposure(matcher, principal, ids, field, k, rerank)


@router.get("/audit/exposure")
def audit_exposure(principal: Coordinator, matcher: MatcherDep, posting_ids: PostingIds, field: FieldQuery = "origin",
                   k: K = 10, rerank: bool = False) -> dict:
    """Per group: exposure in these postings' ranked lists, skew@k, NDKL, interviews recorded for them;
    with `rerank=true`, each list re-ranked by DetGreedy towards its own group mix and the nDCG@k it costs."""
    return _postings_result(matcher, principal, posting_ids, field, k, rerank)


@router.get("/audit/exposure.csv", response_class=Response, responses=CSV)
def audit_exposure_csv(principal: Coordinator, matcher: MatcherDep, posting_ids: PostingIds,
                       field: FieldQuery = "origin", k: K = 10) -> Response:
    result = _postings_result(matcher, principal, posting_ids, field, k, False)
    return Response(audit_csv(result), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="exposure-audit.csv"'})
