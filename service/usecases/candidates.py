"""Graduates as a caller may see them: listing and reading profiles, and attaching them to
matches; every read of a profile is written to the audit log in the same step."""

from __future__ import annotations

from collections.abc import Iterable

from matching.ranking.blend import Match
from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Record, Side
from service.access import (
    accepted_candidates,
    audit,
    blind_view,
    candidate_view,
    check_candidate,
    scope_for,
)
from service.auth import Principal, Role
from service.erasure import erase_references
from service.matcher import Matcher, Progress
from service.metrics import IMPORT_ROWS
from service.schemas import CandidateList, CandidateOut, ImportReport
from service.usecases.rules import allowed


def listing(matcher: Matcher, principal: Principal, scope, *, offset: int, limit: int  # type: ignore[no-untyped-def]
            ) -> tuple[int, list[tuple[int, Record]]]:
    """(total, one page of (id, record)) of the graduates `scope` accepts, the page audited."""
    items = matcher.list(Side.candidates, offset=offset, limit=limit, scope=scope)
    with matcher.sessions.begin() as session:
        audit(session, principal, "list", [rid for rid, _ in items])
    return len(matcher.ids(Side.candidates, scope)), items


def read(matcher: Matcher, principal: Principal, rid: int) -> Record:
    """One graduate's profile (access checked by the caller), the read audited."""
    record = matcher.get(Side.candidates, rid)
    with matcher.sessions.begin() as session:
        audit(session, principal, "read", [rid])
    return record


def with_candidates(
    matcher: Matcher, principal: Principal, matches: list[Match], blind: bool, asked: Iterable[str] = ()
) -> list[Match]:
    """Attach the graduate as the caller may see them, and audit the read.

    Companies always get the blind view, with the name added only for
    graduates who accepted one of the company's interviews, and the levels of
    the `asked` languages only (a posting's); coordinators see names and every
    language unless they ask for the blind view themselves.
    """
    with matcher.sessions.begin() as session:
        named: set[int] | None = None
        if principal.role is Role.company:
            assert principal.company_id is not None
            named = accepted_candidates(session, company_id=principal.company_id)
        records = matcher.sides[Side.candidates].records
        shown = []
        for match in matches:
            record = records.get(match.id)
            if not isinstance(record, CandidateProfile):
                continue  # erased while this request was being answered
            show_name = match.id in named if named is not None else not blind
            everything = named is None and not blind
            languages = record.languages if everything else asked
            match.extra = {
                "candidate": blind_view(record, named=show_name, languages=languages),
                "headline": record.headline,
            }
            shown.append(match)
        audit(session, principal, "match_view", [m.id for m in shown])
    return shown




# What the routes and pages run, each with who may run it.

@allowed(Role.coordinator)
def create(matcher: Matcher, principal: Principal, body: CandidateProfile) -> int:
    """Add a graduate to the coordinator's organisation; the new id."""
    return matcher.create(Side.candidates, [body], [Owner(principal.org_id)])[0]


@allowed(Role.coordinator)
def list_page(matcher: Matcher, principal: Principal, *, offset: int, limit: int) -> CandidateList:
    """One page of the organisation's graduates, with their sensitive fields (coordinators only), audited."""
    total, items = listing(matcher, principal, scope_for(principal, Side.candidates), offset=offset, limit=limit)
    return CandidateList(total=total, offset=offset, limit=limit,
                         items=[CandidateOut(id=rid, **candidate_view(rec, sensitive=True)) for rid, rec in items])


@allowed(Role.coordinator, Role.graduate)
def profile(matcher: Matcher, principal: Principal, rid: int) -> CandidateOut:
    """A graduate's whole profile: for their coordinator or themself (else 404), the read audited."""
    check_candidate(matcher, principal, rid)
    return CandidateOut(id=rid, **candidate_view(read(matcher, principal, rid), sensitive=True))


@allowed(Role.coordinator, Role.graduate)
def replace(matcher: Matcher, principal: Principal, rid: int, body: CandidateProfile) -> CandidateOut:
    check_candidate(matcher, principal, rid)
    stored = matcher.update(Side.candidates, rid, body)
    return CandidateOut(id=rid, **candidate_view(stored, sensitive=True))


@allowed(Role.coordinator, Role.graduate)
def erase(matcher: Matcher, principal: Principal, rid: int) -> None:
    """Erase a graduate everywhere (`service.erasure`); the caller then forgets cached principals."""
    check_candidate(matcher, principal, rid)
    matcher.delete(Side.candidates, rid, also=lambda session: erase_references(session, rid))


@allowed(Role.coordinator)
def import_records(matcher: Matcher, principal: Principal, records: list[Record],
                   progress: Progress | None = None) -> ImportReport:
    """Insert validated rows into the organisation, all or none."""
    ids = matcher.create(Side.candidates, records, [Owner(principal.org_id)] * len(records), progress)
    IMPORT_ROWS.labels(Side.candidates.value).inc(len(ids))
    return ImportReport(imported=len(ids), ids=ids)
