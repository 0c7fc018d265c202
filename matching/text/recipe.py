"""The text of a profile or posting that gets embedded and BM25-indexed.

A graduate's text is built only from what a company sees of them in the blind
view (headline, skills, projects: `matching.records.profiles.COMPANY_VISIBLE`). The
summary, the name and the sensitive fields (nationality, origin, status) never
go in. A summary is where people write "I am from Eritrea and still wait for my
asylum papers"; if it were scored, a company could search for those words, or
write them into its own posting, and read the answer off the order and scores
of its matches without ever seeing the summary. Scoring only visible text makes
"nothing a company receives depends on text it cannot see" true by
construction, for matches, search, fairs and placements alike.
"""

from __future__ import annotations

from typing import TypeVar

from matching.records.profiles import CandidateProfile, PostingRecord
from matching.text.detect import detect_language

R = TypeVar("R", CandidateProfile, PostingRecord)


def candidate_text(profile: CandidateProfile) -> str:
    """What is scored of a graduate: the fields companies see, never the summary.

    Example:
        >>> p = CandidateProfile(name="A", headline="Web developer", summary="Vengo de Siria", skills=["CSS"])
        >>> candidate_text(p)
        'Web developer\nSkills: CSS'
    """
    parts = [profile.headline, "Skills: " + ", ".join(profile.skills)]
    if profile.projects:
        parts.append("Projects: " + "; ".join(profile.projects))
    return "\n".join(p for p in parts if p)


def posting_text(posting: PostingRecord) -> str:
    parts = [posting.title, posting.description, "Skills: " + ", ".join(posting.required_skills)]
    if posting.nice_skills:
        parts.append("Nice to have: " + ", ".join(posting.nice_skills))
    return "\n".join(p for p in parts if p)


def prose(record: CandidateProfile | PostingRecord) -> str:
    """The sentences a person wrote, without skill lists.

    Skill names are mostly English words ("React", "Docker") whatever language
    the rest is in, so they would pull the detected language towards English.
    """
    if isinstance(record, CandidateProfile):
        return "\n".join(p for p in (record.headline, record.summary, *record.projects) if p)
    return "\n".join(p for p in (record.title, record.description) if p)


def with_text_language(record: R) -> R:
    """The record with `text_language` detected from its prose (None when unsure).

    Always recomputed: a client that reads a profile, edits its summary into
    another language and writes it back must not keep the old answer.

    Example:
        >>> p = CandidateProfile(name="A", summary="Soy desarrolladora web y busco prácticas", skills=["CSS"])
        >>> with_text_language(p).text_language
        'es'
    """
    return record.model_copy(update={"text_language": detect_language(prose(record))})
