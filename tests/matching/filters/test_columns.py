"""The vectorised filters give exactly the pairs the per-pair reference rules give."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.filters.columns import CandidateTable, PostingTable
from matching.filters.reference import Dates, eligible, exclusion_reasons
from matching.records.profiles import CandidateProfile, Kind, PostingRecord

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
cities = st.sampled_from(["Barcelona", "barcelona ", "Zagreb", "Madrid", ""])
langs = st.dictionaries(st.sampled_from(["es", "en", "ca", "hr"]), st.sampled_from(LEVELS), max_size=3)
dates = st.one_of(st.none(), st.dates(dt.date(2026, 9, 1), dt.date(2027, 3, 1)))

candidates = st.builds(
    CandidateProfile, name=st.just("N"), skills=st.just(["JS"]), languages=langs, location=cities,
    remote_ok=st.booleans(), work_permit=st.booleans(),
    kinds=st.lists(st.sampled_from(list(Kind)), min_size=1, max_size=3),
    available_from=dates, visible_to_companies=st.booleans(),
)
postings = st.builds(
    PostingRecord, company=st.just("C"), title=st.just("T"), required_skills=st.just(["JS"]),
    kind=st.sampled_from(list(Kind)), languages=langs, location=st.one_of(st.none(), cities),
    remote=st.booleans(), work_permit_required=st.booleans(), starts_on=dates,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(candidates, min_size=1, max_size=8), st.lists(postings, min_size=1, max_size=8),
       st.lists(st.integers(1, 2), min_size=16, max_size=16))
def test_tables_agree_with_reference_filters(cands: list, posts: list, orgs: list) -> None:
    ctable, ptable = CandidateTable(), PostingTable()
    for i, c in enumerate(cands):
        ctable.upsert(100 + i, c, orgs[i])
    for j, p in enumerate(posts):
        ptable.upsert(500 + j, p, orgs[8 + j])
    for i, c in enumerate(cands):
        expected = [500 + j for j, p in enumerate(posts) if orgs[8 + j] == orgs[i] and eligible(c, p)]
        assert ptable.eligible_for(c, orgs[i]).tolist() == expected
    for j, p in enumerate(posts):
        expected = [
            100 + i for i, c in enumerate(cands)
            if orgs[i] == orgs[8 + j] and c.visible_to_companies and eligible(c, p)
        ]
        assert ctable.eligible_for(p, orgs[8 + j]).tolist() == expected


def test_update_and_remove_reuse_slots() -> None:
    table = PostingTable()
    post = PostingRecord(company="C", title="T", required_skills=["JS"], location="Barcelona",
                         languages={"es": "C1"})
    cand = CandidateProfile(name="N", skills=["JS"], location="Barcelona", languages={"es": "B2"},
                            work_permit=True)
    table.upsert(1, post, 1)
    table.upsert(2, post.model_copy(update={"languages": {}}), 1)
    assert table.eligible_for(cand, 1).tolist() == [2]
    table.upsert(1, post.model_copy(update={"languages": {"es": "B1"}}), 1)
    assert table.eligible_for(cand, 1).tolist() == [1, 2]
    table.remove(2)
    table.upsert(3, post.model_copy(update={"languages": {}}), 1)
    assert table.rows == 2 and table.eligible_for(cand, 1).tolist() == [1, 3]
    for rid in range(10, 200):
        table.upsert(rid, post, 1)
    assert len(table) == 192 and table.eligible_for(cand, 1).tolist() == [1, 3]


@settings(max_examples=60, deadline=None)
@given(st.lists(candidates, min_size=1, max_size=8), st.lists(postings, min_size=1, max_size=8),
       st.one_of(st.none(), st.dates(dt.date(2026, 9, 1), dt.date(2027, 3, 1))), st.integers(0, 60))
def test_dates_and_exclusions_agree_with_reference_reasons(cands: list, posts: list, today, slack: int) -> None:  # type: ignore[no-untyped-def]
    """With a clock and a slack, the columns give the reference's pairs; the counts of removed
    records per rule and the near misses (exactly one reason) match the reasons pair by pair."""
    dates = Dates(today=today, slack_days=slack)
    ptable, ctable = PostingTable(), CandidateTable()
    for j, p in enumerate(posts):
        ptable.upsert(500 + j, p, 1)
    for i, c in enumerate(cands):
        ctable.upsert(100 + i, c, 1)
    for c in cands:
        reasons = {500 + j: exclusion_reasons(c, p, dates) for j, p in enumerate(posts)}
        assert ptable.eligible_for(c, 1, dates).tolist() == [rid for rid, r in reasons.items() if not r]
        found = ptable.exclusions(c, 1, dates)
        assert found.considered == len(posts) and found.eligible == sum(not r for r in reasons.values())
        rules = [reason.split(":")[0] for r in reasons.values() for reason in r]
        assert found.removed == {rule: rules.count(rule) for rule in set(rules)}
        assert found.near_misses == {rid: r[0].split(":")[0] for rid, r in reasons.items() if len(r) == 1}
        eligible, both = ptable.eligible_and_exclusions(c, 1, dates)  # one pass, the same two answers
        assert eligible.tolist() == ptable.eligible_for(c, 1, dates).tolist() and both == found
    for j, p in enumerate(posts):
        shown = {100 + i: exclusion_reasons(c, p, dates) for i, c in enumerate(cands) if c.visible_to_companies}
        assert ctable.eligible_for(p, 1, dates).tolist() == [rid for rid, r in shown.items() if not r]
        found = ctable.exclusions(p, 1, dates, near=("languages", "availability"))
        assert found.near_misses == {rid: r[0].split(":")[0] for rid, r in shown.items()
                                     if len(r) == 1 and r[0].startswith(("languages", "availability"))}


def test_a_posting_that_already_started_is_still_open() -> None:
    post = PostingRecord(company="C", title="T", required_skills=["JS"], starts_on=dt.date(2026, 11, 1))
    cand = CandidateProfile(name="N", skills=["JS"], work_permit=True, available_from=dt.date(2026, 12, 1))
    table = PostingTable()
    table.upsert(1, post.model_copy(update={"remote": True}), 1)
    assert table.eligible_for(cand, 1, Dates(today=None, slack_days=14)).tolist() == []
    assert table.eligible_for(cand, 1, Dates(today=dt.date(2026, 12, 2), slack_days=0)).tolist() == [1]
    assert table.eligible_for(cand, 1, Dates(today=None, slack_days=30)).tolist() == [1]

