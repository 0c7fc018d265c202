from __future__ import annotations

import datetime as dt

from matching.filters.reference import eligible, exclusion_reasons
from matching.records.profiles import CandidateProfile, Kind, PostingRecord


def _cand(**kw: object) -> CandidateProfile:
    base: dict = {"name": "A", "skills": ["JS"], "languages": {"es": "B2"}, "location": "Barcelona",
                      "remote_ok": True, "work_permit": True, "available_from": "2026-10-01"}
    return CandidateProfile(**(base | kw))


def _post(**kw: object) -> PostingRecord:
    base: dict = {"company": "C", "title": "T", "required_skills": ["JS"], "languages": {"es": "B2"},
                      "location": "Barcelona", "starts_on": "2026-11-01"}
    return PostingRecord(**(base | kw))


def test_eligible_baseline() -> None:
    assert eligible(_cand(), _post())


def test_each_rule_excludes_with_a_reason() -> None:
    cases = {
        "kind": (_cand(kinds=[Kind.internship]), _post(kind=Kind.job)),
        "location": (_cand(location="Zagreb"), _post()),
        "work permit": (_cand(work_permit=False), _post()),
        "languages": (_cand(languages={"es": "A2"}), _post()),
        "availability": (_cand(available_from=dt.date(2027, 1, 1)), _post()),
    }
    for rule, (cand, post) in cases.items():
        reasons = exclusion_reasons(cand, post)
        assert len(reasons) == 1 and reasons[0].startswith(rule), (rule, reasons)


def test_remote_needs_candidate_consent_to_remote() -> None:
    post = _post(location=None, remote=True)
    assert eligible(_cand(location="Zagreb"), post)
    assert not eligible(_cand(location="Zagreb", remote_ok=False), post)


def test_permit_optional_traineeship_and_unknown_start() -> None:
    assert eligible(_cand(work_permit=False), _post(work_permit_required=False, starts_on=None))
