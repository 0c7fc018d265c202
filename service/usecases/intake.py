"""Documents in, draft out: a graduate profile from a CV, a posting from a job ad (nothing saved).

Who may draft is who may create: coordinators for graduates, coordinators and companies for
postings (a company's draft names it). The API (`service.api.intake`) and the "Start from a job
ad" page both run these.
"""

from __future__ import annotations

from matching.esco.concept_signal import skill_mapper
from service.access import check_own_candidate
from service.auth import Principal, Role
from service.intake import Engine, draft_from
from service.intake_schemas import DraftOut
from service.matcher import Matcher
from service.settings import Settings
from service.usecases import companies
from service.usecases.rules import allowed


def engine_of(matcher: Matcher, settings: Settings) -> Engine:
    """The ranking's own vocabulary and ESCO mapper (built once when the concept signal is off)."""
    mapper = matcher.concepts.mapper if matcher.concepts is not None else \
        skill_mapper(matcher.encoder, settings.cache_dir.resolve())
    return Engine(matcher.vocab, mapper)


@allowed(Role.coordinator)
async def candidate_draft(matcher: Matcher, principal: Principal, settings: Settings, data: bytes | None,
                          text: str | None, filename: str) -> DraftOut:
    """A draft graduate profile from a CV's bytes (`data`, named `filename`) or its `text`."""
    return await draft_from(data, text, filename, "candidate", engine_of(matcher, settings), settings)


@allowed(Role.coordinator, Role.graduate)
async def own_candidate_draft(matcher: Matcher, principal: Principal, settings: Settings, rid: int,
                              data: bytes | None, text: str | None, filename: str) -> DraftOut:
    """"Start from my CV": graduate `rid`'s draft, for that graduate (403 for any other id, never
    looked up) or their coordinator (404 across organisations). Nothing is saved."""
    check_own_candidate(matcher, principal, rid)
    return await draft_from(data, text, filename, "candidate", engine_of(matcher, settings), settings)


@allowed(Role.coordinator, Role.company)
async def posting_draft(matcher: Matcher, principal: Principal, settings: Settings, data: bytes | None,
                        text: str | None, filename: str) -> DraftOut:
    """A draft posting from a job ad; a company's draft names the company itself."""
    out = await draft_from(data, text, filename, "posting", engine_of(matcher, settings), settings)
    own = companies.own_name(matcher, principal)  # "" for anyone but a company
    if own:
        out.draft["company"] = own
        out.fields.pop("company", None)
        out.missing = [name for name in out.missing if name != "company"]
    return out
