"""Hard filters: pairs that must never be ranked, whatever their score.

Applied before scoring so a strong semantic match can't smuggle in a
posting the graduate may not legally take or cannot follow the language of.
Each rule returns a reason so the service can say why a pair is absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matching.cefr.levels import language_fit
from matching.records.profiles import CandidateProfile, PostingRecord

# A graduate free a little after a posting starts is still worth a conversation: teams wait a
# couple of weeks for the right junior. Documented in the README (How scoring works).
START_SLACK_DAYS = 14
RULES = ("kind", "location", "work permit", "languages", "availability")


@dataclass(frozen=True)
class Dates:
    """How start dates are read. `today` set: a posting whose start has passed is open now (it
    starts "today"), not closed; `slack_days`: how long after the start a graduate may be free."""

    today: dt.date | None = None
    slack_days: int = START_SLACK_DAYS

    def latest_start(self, starts_on: dt.date) -> dt.date:
        """The last day a graduate may become available and still take the posting."""
        start = max(starts_on, self.today) if self.today is not None else starts_on
        return start + dt.timedelta(days=self.slack_days)


NO_CLOCK = Dates()  # the default: dates as written, with the slack, and no "today"


def _city(text: str | None) -> str:
    return (text or "").strip().casefold()


def exclusion_reasons(
    candidate: CandidateProfile, posting: PostingRecord, dates: Dates = NO_CLOCK
) -> list[str]:
    """Why this pair is filtered out, each reason starting with its rule's name and saying what
    was asked and what is there, so a person can act on it; empty when it is eligible
    (consent is checked apart)."""
    reasons = []
    if posting.kind not in candidate.kinds:
        sought = ", ".join(k.value for k in candidate.kinds)
        reasons.append(f"kind: a {posting.kind.value}; looks for {sought}")
    same_city = bool(_city(candidate.location)) and _city(candidate.location) == _city(
        posting.location
    )
    if not same_city and not (posting.remote and candidate.remote_ok):
        where = f"on site in {posting.location}" if posting.location else "on site"
        home = candidate.location or "no city given"
        remote = "" if candidate.remote_ok else ", no remote work"
        reasons.append(f"location: {where}; lives in {home}{remote}")
    if posting.work_permit_required and not candidate.work_permit:
        reasons.append("work permit: the posting requires one")
    short = [f for f in language_fit(candidate.languages, posting.languages) if not f.ok]
    if short:
        reasons.append("languages: " + ", ".join(
            f"needs {f.code} {f.required}, has {f.have or 'none'}" for f in short))
    if (
        posting.starts_on is not None
        and candidate.available_from is not None
        and candidate.available_from > dates.latest_start(posting.starts_on)
    ):
        reasons.append(
            f"availability: starts {posting.starts_on.isoformat()}, available from "
            f"{candidate.available_from.isoformat()}"
        )
    return reasons


def eligible(candidate: CandidateProfile, posting: PostingRecord, dates: Dates = NO_CLOCK) -> bool:
    return not exclusion_reasons(candidate, posting, dates)


CONSENT = "consent: the graduate has not agreed to be shown to companies"


def placement_exclusion_reasons(
    candidate: CandidateProfile, posting: PostingRecord, dates: Dates = NO_CLOCK
) -> list[str]:
    """A seat is a job: every ranking filter holds (kind, city or remote, permit, languages,
    start date), and the company learns who was placed, so the graduate must have agreed to be seen."""
    consent = [] if candidate.visible_to_companies else [CONSENT]
    return consent + exclusion_reasons(candidate, posting, dates)


def fair_exclusion_reasons(candidate: CandidateProfile, posting: PostingRecord) -> list[str]:
    """The filters a job-fair meeting keeps: a conversation needs no start date, same city or
    kind of contract (fairs are often online, and a company recruiting for a job may still offer
    the graduate its internship), but it must be work the graduate may legally take, in a
    language they can follow, with a company they agreed to be shown to."""
    return [
        r for r in placement_exclusion_reasons(candidate, posting)
        if r.startswith(("consent", "work permit", "languages"))
    ]
