"""Why a ranked list is as long as it is: each eligibility rule's count, the best records the
list just misses with the one rule each fails, and (for a graduate) the language steps that
would open more postings. Assembled from the ranker's own stages (`matching.ranking.pipeline`),
so a near miss is ranked exactly as it would be if the rule let it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matching.filters.exclusions import Exclusions
from matching.filters.near_misses import miss_ids
from matching.filters.reference import RULES, exclusion_reasons
from matching.ranking.blend import Match
from matching.ranking.next_steps import LanguageStep, language_steps
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Record, Side

if TYPE_CHECKING:
    from matching.ranking.pipeline import Query, Ranker, Ranking

# Rules a company may be told a graduate just misses: never the work permit (a status proxy).
COMPANY_NEAR_MISSES = ("kind", "location", "languages", "availability")


@dataclass
class Why:
    """Why a ranked list is as long as it is: each rule's count, and the near misses with the
    one rule each fails ("languages: needs es B1, has A2")."""

    exclusions: Exclusions
    near_misses: list[tuple[Match, str]]
    language_steps: list[LanguageStep] = field(default_factory=list)


def oriented(side: Side, record: Record, other: Record) -> tuple[CandidateProfile, PostingRecord]:
    """(graduate, posting) of a query record and one record of the other side."""
    pair = (record, other) if side is Side.candidates else (other, record)
    return pair  # type: ignore[return-value]


def near_rules(side: Side) -> tuple[str, ...]:
    """The rules whose near misses a query of `side` hears of."""
    return RULES if side is Side.candidates else COMPANY_NEAR_MISSES


def explain(ranker: Ranker, side: Side, rid: int, near: int, rank: Ranking, *,
            query: Query | None = None, found: Exclusions | None = None) -> Why:
    """`Ranker.why` uncached: the `near` best near misses, ranked by the ranker's own stages
    (`_rank`, `_relevant`) among the records one rule keeps out. `Ranker.page` passes the query
    and the exclusions it has already worked out for the list."""
    record, org = ranker.get(side, rid), ranker.owner(side, rid).org_id
    if found is None:
        with ranker.stage("rules"):
            found = ranker.sides[side.other].table.exclusions(record, org, rank.dates, near=near_rules(side))  # type: ignore[arg-type]
    misses = ranker._rank(side, rid, near, rank, allowed=miss_ids(found.near_misses), query=query)
    with ranker.stage("reasons"):
        reasons = {m.id: exclusion_reasons(*oriented(side, record, ranker.get(side.other, m.id)), rank.dates)
                   for m in misses}
    steps: list[LanguageStep] = []
    if isinstance(record, CandidateProfile):
        relevant = ranker._relevant(side, rid, rank, miss_ids(found.near_misses, "languages"), query=query)
        with ranker.stage("reasons"):
            steps = language_steps(record, [p for p in relevant if isinstance(p, PostingRecord)])
    return Why(found, [(m, reasons[m.id][0]) for m in misses if reasons[m.id]], steps)
