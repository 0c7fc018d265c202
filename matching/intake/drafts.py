"""Documents in, profile out: a draft candidate profile from a CV, a draft posting from a job ad.

A draft is never saved: it is what a graduate or a company corrects before
creating the record, so each field says where in the text it was read
(`Found`: character span into the normalised text, line, section) and how
sure intake is (0–1). Skills go through `matching.intake.skills`, with the
engine's own `SkillVocabulary` and `ConceptMapper` passed in: the concept a
draft shows for a skill is the one ranking will use.

`profile` holds the record's fields under their schema names
(`CandidateProfile`, `PostingRecord`) with values inside the schema's limits;
fields intake could not read are left out (a candidate's `name` is read only
from a "Name:" label or a first line that looks like one; a posting's
`company` only from a label).

Example:
    >>> draft = draft_candidate("Amina\\nSkills: Python, SQL\\nIdiomas: árabe nativo", vocab, mapper)
    >>> draft.profile["skills"], draft.profile["languages"]
    (['Python', 'SQL'], {'ar': 'C2'})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from matching.cefr.phrases import LanguageFinding, find_languages, levels_in_line
from matching.esco.mapper import ConceptMapper
from matching.intake.document import Line, heading_of, normalise, section_lines, split_lines
from matching.intake.fields import (
    Found,
    find_city,
    find_kind,
    find_links,
    find_remote,
    find_start,
    labelled,
)
from matching.intake.skills import SkillFinding, find_skills
from matching.records.profiles import MAX_PROJECTS, MAX_SKILLS
from matching.skills.vocabulary import SkillVocabulary

NAME_LABELS = ("name", "full name", "nombre", "nombre completo", "nom", "nom complet", "ім'я", "імя", "піб",
               "ime", "ime i prezime", "الاسم", "الاسم الكامل")
HEADLINE_LABELS = ("headline", "title", "current role", "position", "titular", "puesto", "cargo", "titre",
                   "poste", "посада", "pozicija", "المسمى الوظيفي")
TITLE_LABELS = ("job title", "title", "position", "role", "puesto", "título", "titulo", "vacante", "poste",
                "intitulé du poste", "вакансія", "посада", "radno mjesto", "pozicija", "المسمى الوظيفي", "الوظيفة")
COMPANY_LABELS = ("company", "employer", "empresa", "entreprise", "société", "компанія", "роботодавець", "tvrtka",
                  "poslodavac", "الشركة")
# Sections of a job ad that describe the work, not what it asks for (read only when nothing is listed).
POSTING_CONTEXT = ("education", "experience", "responsibilities", "offer")
_CONTACT = re.compile(r"@|https?://|www\.|\+?\d[\d ()-]{6,}")
_SUMMARY_CHARS, _SHORT_CHARS = 5000, 200


@dataclass
class Draft:
    """A record's fields as read (`profile`) and, per field, where and how surely (`fields`)."""

    kind: str  # "candidate" or "posting"
    text: str  # the normalised text every span points into
    profile: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Found] = field(default_factory=dict)
    skills: list[SkillFinding] = field(default_factory=list)
    languages: list[LanguageFinding] = field(default_factory=list)
    links: list[Found] = field(default_factory=list)

    def put(self, name: str, found: Found | None) -> None:
        if found is not None and found.value not in (None, "", []):
            self.profile[name] = found.value
            self.fields[name] = found


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(line: Line) -> bool:
    """A line that is prose or a title: no heading, contact detail, language or label."""
    return not line.heading and not _CONTACT.search(line.text) and not levels_in_line(line.text) \
        and ":" not in line.text


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and not any(ch.isdigit() for ch in text) and heading_of(text) is None \
        and all(w[:1].isupper() or not w[:1].isascii() for w in words) and len(text) <= 60


def _shorter(found: Found, limit: int) -> Found:
    return replace(found, value=_cut(found.value, limit))


def _line_found(line: Line, value: str, confidence: float) -> Found:
    return Found(value, line.start, line.end, line.number, confidence, line.section)


def _block(lines: list[Line], confidence: float, limit: int) -> Found | None:
    if not lines:
        return None
    text = _cut("\n".join(line.text for line in lines), limit)
    return Found(text, lines[0].start, lines[-1].end, lines[0].number, confidence, lines[0].section)


def _projects(lines: list[Line]) -> Found | None:
    """Items of a projects section: a bullet starts one, a line without a bullet continues it."""
    items: list[str] = []
    for line in section_lines(lines, "projects"):
        offset, text = line.content
        if items and offset == line.start and text[:1].islower():
            items[-1] = f"{items[-1]} {text}"
        else:
            items.append(text)
    items = [_cut(item, 1000) for item in items if item.strip()][:MAX_PROJECTS]
    if not items:
        return None
    first = section_lines(lines, "projects")
    return Found(items, first[0].start, first[-1].end, first[0].number, 0.8, "projects")


def _languages(draft: Draft, lines: list[Line]) -> None:
    draft.languages = find_languages(draft.text, lines)
    rated = [f for f in draft.languages if f.level]
    if rated:
        draft.profile["languages"] = {f.code: f.level for f in rated}
        draft.fields["languages"] = Found({f.code: f.level for f in rated}, min(f.start for f in rated),
                                          max(f.end for f in rated), rated[0].line,
                                          round(min(f.confidence for f in rated), 2), "languages")


def _skill_list(findings: list[SkillFinding]) -> Found | None:
    if not findings:
        return None
    names = list(dict.fromkeys(f.name for f in findings))[:MAX_SKILLS]
    return Found(names, findings[0].start, findings[-1].end, findings[0].line,
                 round(sum(f.confidence for f in findings) / len(findings), 2), findings[0].section)


def draft_candidate(text: str, vocab: SkillVocabulary, mapper: ConceptMapper) -> Draft:
    """A draft `CandidateProfile` from a CV's text (any of en/es/fr/ar/uk/hr, mixed is fine)."""
    draft = Draft("candidate", normalise(text))
    lines = split_lines(draft.text)
    top = [line for line in lines if line.section in (None, "contact")][:8]
    name = labelled(lines, NAME_LABELS)
    if name is None and top and _looks_like_name(top[0].text) and _plain(top[0]):
        name = _line_found(top[0], top[0].text, 0.6)
    draft.put("name", name and _shorter(name, _SHORT_CHARS))
    headline = labelled(lines, HEADLINE_LABELS)
    if headline is None:
        rest = [line for line in top if _plain(line) and (name is None or line.number != name.line)]
        if rest and len(rest[0].text.split()) <= 12:
            headline = _line_found(rest[0], rest[0].text, 0.6)
    draft.put("headline", headline and _shorter(headline, _SHORT_CHARS))
    summary = _block(section_lines(lines, "summary"), 0.8, _SUMMARY_CHARS)
    if summary is None:
        prose = [line for line in lines if line.section is None and _plain(line) and len(line.text.split()) >= 12]
        summary = _block(prose[:1], 0.5, _SUMMARY_CHARS)
    draft.put("summary", summary)
    draft.skills = find_skills(lines, vocab, mapper)
    if headline is not None and any(s.how == "listed" for s in draft.skills):  # "Junior backend developer"
        draft.skills = [s for s in draft.skills if s.how == "listed" or s.line != headline.line]  # is a role
    draft.put("skills", _skill_list(draft.skills))
    draft.put("projects", _projects(lines))
    _languages(draft, lines)
    city = find_city(lines)
    draft.put("location", city)
    draft.links = find_links(lines)
    start = find_start(lines)
    draft.put("available_from", start and replace(start, value=start.value.isoformat()))
    return draft


def draft_posting(text: str, vocab: SkillVocabulary, mapper: ConceptMapper) -> Draft:
    """A draft `PostingRecord` from a job ad: required skills from "Requirements/Requisitos/Must
    have" (or, without such headings, every skill named), nice-to-have ones from "Nice to
    have/Valorable/Se valora/Bonus" or marked "is a plus" in their line."""
    draft = Draft("posting", normalise(text))
    lines = split_lines(draft.text)
    title = labelled(lines, TITLE_LABELS)
    if title is None:
        after = [line for line in lines if line.heading and re.search(r"(?i)job title|t[ií]tulo|puesto", line.text)]
        pool = [line for line in lines if not line.heading and (not after or line.number > after[0].number)]
        if pool:
            title = _line_found(pool[0], pool[0].text, 0.8 if after else 0.6)
    draft.put("title", title and _shorter(title, _SHORT_CHARS))
    draft.put("company", labelled(lines, COMPANY_LABELS))
    body = section_lines(lines, "summary") or [line for line in lines if title is None or line.number != title.line]
    draft.put("description", _block(body, 0.7 if section_lines(lines, "summary") else 0.5, _SUMMARY_CHARS))
    draft.put("kind", find_kind(title.value if title else "", lines))
    skills = find_skills(lines, vocab, mapper)
    sectioned = any(s.how == "listed" for s in skills)
    if sectioned:  # with the skills listed, what the job's tasks and history name is not asked for
        skills = [s for s in skills if s.how == "listed" or s.section not in POSTING_CONTEXT]
    if sectioned:  # running-text mentions beside listed requirements are taken as nice to have,
        # except the title's words ("Backend" in "Python Backend Trainee" names the role, not a skill)
        skills = [s if s.how == "listed" else _as_nice(s) for s in skills
                  if s.how == "listed" or title is None or s.line != title.line]
    draft.skills = skills
    draft.put("required_skills", _skill_list([s for s in skills if not s.nice]))
    required = set(draft.profile.get("required_skills", []))
    draft.put("nice_skills", _skill_list([s for s in skills if s.nice and s.name not in required]))
    _languages(draft, lines)
    draft.put("location", find_city(lines))
    draft.put("remote", find_remote(lines))
    start = find_start(lines)
    draft.put("starts_on", start and replace(start, value=start.value.isoformat()))
    draft.links = find_links(lines)
    return draft


def _as_nice(finding: SkillFinding) -> SkillFinding:
    return replace(finding, nice=True, confidence=round(finding.confidence * 0.7, 2))
