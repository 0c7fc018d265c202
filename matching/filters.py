"""Hard filters: pairs that must never be ranked, whatever their score.

Applied before scoring so a strong semantic match can't smuggle in a
posting the graduate may not legally take or cannot follow the language of.
Each rule returns a reason so the service can say why a pair is absent.
"""

from __future__ import annotations

from matching.languages import languages_ok
from matching.profiles import CandidateProfile, PostingRecord


def _city(text: str | None) -> str:
    return (text or "").strip().casefold()


def exclusion_reasons(candidate: CandidateProfile, posting: PostingRecord) -> list[str]:
    """Why this pair is filtered out; empty when it is eligible (consent is checked apart)."""
    reasons = []
    if posting.kind not in candidate.kinds:
        reasons.append(f"kind: candidate does not look for a {posting.kind.value}")
    same_city = bool(_city(candidate.location)) and _city(candidate.location) == _city(
        posting.location
    )
    if not same_city and not (posting.remote and candidate.remote_ok):
        reasons.append("location: not in the candidate's city and not remote for them")
    if posting.work_permit_required and not candidate.work_permit:
        reasons.append("work permit: the posting requires one")
    if not languages_ok(candidate.languages, posting.languages):
        reasons.append("languages: a required CEFR level is not met")
    if (
        posting.starts_on is not None
        and candidate.available_from is not None
        and candidate.available_from > posting.starts_on
    ):
        reasons.append("availability: candidate is available only after the start date")
    return reasons


def eligible(candidate: CandidateProfile, posting: PostingRecord) -> bool:
    return not exclusion_reasons(candidate, posting)


CONSENT = "consent: the graduate has not agreed to be shown to companies"


def placement_exclusion_reasons(candidate: CandidateProfile, posting: PostingRecord) -> list[str]:
    """A seat is a job: every ranking filter holds (kind, city or remote, permit, languages,
    start date), and the company learns who was placed, so the graduate must have agreed to be seen."""
    consent = [] if candidate.visible_to_companies else [CONSENT]
    return consent + exclusion_reasons(candidate, posting)


def fair_exclusion_reasons(candidate: CandidateProfile, posting: PostingRecord) -> list[str]:
    """The filters a job-fair meeting keeps: a conversation needs no start date, same city or
    kind of contract (fairs are often online, and a company recruiting for a job may still offer
    the graduate its internship), but it must be work the graduate may legally take, in a
    language they can follow, with a company they agreed to be shown to."""
    return [
        r for r in placement_exclusion_reasons(candidate, posting)
        if r.startswith(("consent", "work permit", "languages"))
    ]
