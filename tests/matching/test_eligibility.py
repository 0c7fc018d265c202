"""The vectorised filters give exactly the pairs the per-pair reference rules give."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.eligibility import CandidateTable, PostingTable
from matching.filters import eligible
from matching.profiles import CandidateProfile, Kind, PostingRecord

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
