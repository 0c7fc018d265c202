"""What the organisation's graduates should learn next, for coordinators: JSON and CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from service.api.download import attachment
from service.deps import MatcherDep
from service.usecases import learn_next as cases
from service.usecases.rules import caller

router = APIRouter(tags=["learn next"])
Top = Annotated[int, Query(ge=1, le=200, description="how many skills")]
PerGraduate = Annotated[int, Query(ge=1, le=100, description="matches read per graduate")]


@router.get("/learn-next")
def learn_next(principal: caller(cases.steps), matcher: MatcherDep, top: Top = 20,
               per_graduate: PerGraduate = 10) -> dict:
    """Skills missing across the organisation's graduates' ranked matches, most valuable first."""
    return cases.steps(matcher, principal, top=top, per_graduate=per_graduate)


@router.get("/learn-next.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def learn_next_csv(principal: caller(cases.steps_table), matcher: MatcherDep, top: Top = 20,
                   per_graduate: PerGraduate = 10) -> Response:
    return attachment(cases.steps_table(matcher, principal, top=top, per_graduate=per_graduate), "text/csv",
                      "learn-next.csv")
