"""The text of a profile or posting that gets embedded and BM25-indexed.

Only job-relevant fields go in: sensitive fields (nationality, origin,
status) and the person's name never do, so they cannot move a score.
"""

from __future__ import annotations

from matching.profiles import CandidateProfile, PostingRecord


def candidate_text(profile: CandidateProfile) -> str:
    parts = [profile.headline, profile.summary, "Skills: " + ", ".join(profile.skills)]
    if profile.projects:
        parts.append("Projects: " + "; ".join(profile.projects))
    return "\n".join(p for p in parts if p)


def posting_text(posting: PostingRecord) -> str:
    parts = [posting.title, posting.description, "Skills: " + ", ".join(posting.required_skills)]
    if posting.nice_skills:
        parts.append("Nice to have: " + ", ".join(posting.nice_skills))
    return "\n".join(p for p in parts if p)
