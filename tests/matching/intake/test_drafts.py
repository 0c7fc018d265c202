"""The intake engine on texts written here: languages and CEFR levels in six languages, sections,
skills with spans and the ranking's own ESCO concepts, candidate and posting drafts."""

from __future__ import annotations

import pytest

from matching.cefr.phrases import find_languages
from matching.esco.concept_signal import ConceptSignal
from matching.esco.mapper import ConceptMapper
from matching.intake.document import normalise, split_lines
from matching.intake.drafts import draft_candidate, draft_posting
from matching.intake.fields import parse_date
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.skills.vocabulary import SkillVocabulary


@pytest.mark.parametrize(("text", "expected"), [
    ("árabe nativo", {"ar": "C2"}),
    ("English B2", {"en": "B2"}),
    ("Ukrainian — native", {"uk": "C2"}),
    ("inglés intermedio", {"en": "B1"}),
    ("Español: lengua materna; francés básico", {"es": "C2", "fr": "A2"}),
    ("inglés avanzado, alemán principiante", {"en": "C1", "de": "A1"}),
    ("українська — рідна, англійська: середній", {"uk": "C2", "en": "B1"}),
    ("hrvatski materinski, engleski napredno", {"hr": "C2", "en": "C1"}),
    ("العربية: اللغة الأم، الإنجليزية متقدم", {"ar": "C2", "en": "C1"}),
    ("français courant, anglais C1", {"fr": "C1", "en": "C1"}),
    ("native Arabic, fluent English, basic Spanish", {"ar": "C2", "en": "C1", "es": "A2"}),
    ("Inglés nivel intermedio-alto (B2)", {"en": "B2"}),
    ("English: upper-intermediate", {"en": "B2"}),
])
def test_levels_from_phrases(text: str, expected: dict[str, str]) -> None:
    assert {f.code: f.level for f in find_languages(text)} == expected


def test_language_names_without_levels_outside_a_languages_section_are_not_languages() -> None:
    assert find_languages("I worked for a Spanish company and studied English literature") == []
    # in a languages section, a level on the next line belongs to the name above it
    found = find_languages("Languages\nEnglish\nNative\nFrench A2")
    assert {f.code: f.level for f in found} == {"en": "C2", "fr": "A2"}


def test_sections_in_several_languages() -> None:
    lines = split_lines(normalise("Ana\nHabilidades\nPython\nIDIOMAS:\nárabe nativo\nSe valora\nDocker\n"
                                  "## Awards\nBest app 2025\nNavички: SQL"))
    assert [(line.text, line.section) for line in lines if not line.heading] == [
        ("Ana", None), ("Python", "skills"), ("árabe nativo", "languages"), ("Docker", "nice"),
        ("Best app 2025", "other"), ("Navички: SQL", "other")]
    assert split_lines("Навички: SQL, Git")[0].section == "skills"


@pytest.mark.parametrize(("text", "iso"), [
    ("Start date: 2027-01-10", "2027-01-10"), ("10/01/2027", "2027-01-10"), ("1 de diciembre de 2026", "2026-12-01"),
    ("January 10, 2027", "2027-01-10"), ("diciembre 2026", "2026-12-01"), ("1 грудня 2026", "2026-12-01"),
])
def test_dates(text: str, iso: str) -> None:
    found = parse_date(text)
    assert found is not None and found[0].isoformat() == iso


def test_candidate_draft_spans_concepts_and_schema(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    text = ("Karim Haddad\nBackend developer\nZagreb · https://github.com/karimh\n\nSummary\n"
            "I build REST services with Django and like tests.\n\nSkills\n- Python (Django, Flask), postgres\n"
            "- Strong problem-solving skills for mitigating potential issues\n\nProjects\n"
            "- Booking app for a community kitchen\n  built with Django and PostgreSQL\n\n"
            "Languages\nArabic: native\nEnglish B2\nCroatian basic\nAvailable from 1 December 2026\n")
    draft = draft_candidate(text, vocab, mapper)
    p = draft.profile
    assert p["name"] == "Karim Haddad" and p["headline"] == "Backend developer" and p["location"] == "Zagreb"
    assert p["summary"] == "I build REST services with Django and like tests."
    assert p["languages"] == {"ar": "C2", "en": "B2", "hr": "A2"}
    assert p["projects"] == ["Booking app for a community kitchen built with Django and PostgreSQL"]
    assert p["available_from"] == "2026-12-01"
    assert [link.value for link in draft.links] == ["https://github.com/karimh"]
    assert {"Python", "Django", "Flask", "PostgreSQL", "problem-solving skills"} <= set(p["skills"])
    postgres = next(s for s in draft.skills if s.name == "PostgreSQL")
    assert draft.text[postgres.start:postgres.end] == "postgres" and postgres.section == "skills"
    # one mapper for intake and ranking: the concept shown is the one ranking gives the skill
    ranked = ConceptSignal(mapper).map_skills(["PostgreSQL"])[0][0]
    assert postgres.concept is not None and postgres.concept.uri == ranked.uri
    soft = next(s for s in draft.skills if s.name == "problem-solving skills")
    assert soft.concept is None and soft.how == "listed"  # not an ESCO digital skill, still a skill
    for name, found in draft.fields.items():
        assert 0 <= found.confidence <= 1, name
        assert 0 <= found.start <= found.end <= len(draft.text), name
    CandidateProfile.model_validate(p)


def test_posting_required_and_nice(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    ad = ("Frontend Intern\nCompany: Red Pixel Studio\nLocation: Madrid (hybrid)\n\nMust have\n"
          "- JavaScript, React\n- English B1\n\nBonus\n- TypeScript\n\nResponsibilities\n"
          "- Build pages with Vue\nStart date: 1 March 2027")
    draft = draft_posting(ad, vocab, mapper)
    p = draft.profile
    assert p["title"] == "Frontend Intern" and p["kind"] == "internship" and p["company"] == "Red Pixel Studio"
    assert p["required_skills"] == ["JavaScript", "React"] and p["nice_skills"] == ["TypeScript"]
    assert p["languages"] == {"en": "B1"} and p["location"] == "Madrid" and p["remote"] is False
    assert p["starts_on"] == "2027-03-01"
    assert "Vue" not in p["required_skills"] + p["nice_skills"]  # a task, not a requirement
    PostingRecord.model_validate(p)


def test_posting_without_sections_reads_requirements_from_prose(vocab: SkillVocabulary,
                                                                 mapper: ConceptMapper) -> None:
    ad = "Junior data analyst (remote)\nYou know SQL and Python; Tableau is a plus. Spanish B2 required."
    p = draft_posting(ad, vocab, mapper).profile
    assert {"SQL", "Python"} <= set(p["required_skills"]) and p["nice_skills"] == ["Tableau"]
    assert p["remote"] is True and p["languages"] == {"es": "B2"} and p["kind"] == "job"


def test_arabic_and_ukrainian_skills_map_through_aliases(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    ar = draft_candidate("المهارات\nجافا سكريبت، قواعد البيانات\nاللغات\nالعربية: اللغة الأم", vocab, mapper)
    assert {s.concept.label for s in ar.skills if s.concept} >= {"JavaScript", "database"}
    uk = draft_candidate("Навички\nмашинне навчання, бази даних\nМови\nукраїнська — рідна", vocab, mapper)
    assert {s.concept.label for s in uk.skills if s.concept} >= {"machine learning", "database"}
    assert uk.profile["languages"] == {"uk": "C2"}


def test_one_skill_in_two_shapes_is_one_finding(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    """A CV that lists "Troubleshooting" and lists "troubleshooting skills" again under another heading
    gets one skill, the listed shape, as the ranking compares them (`SkillVocabulary.key`)."""
    cv = "Ana Ruiz\n\nSkills\n- Troubleshooting\n- Python\n\nCompetencies\n- troubleshooting skills\n- Inventory management"
    names = [s.name for s in draft_candidate(cv, vocab, mapper).skills]
    assert sum(vocab.key(n) == vocab.key("troubleshoot") for n in names) == 1, names
    assert "Python" in names and any(vocab.key(n) == vocab.key("inventory management") for n in names), names


def test_sentence_long_skill_items_still_name_their_skills(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    """A résumé whose skills are one sentence each (every item past six words) used to list nothing."""
    text = ("Dana Reyes\nSkills\n1. High-level mathematical skills help in reading revenue figures every month.\n"
            "2. Able to plan tasks and daily routes flawlessly with proficient organizational skills.\n"
            "3. Astute research skills conducive to streamlined logistics and optimized routes.")
    draft = draft_candidate(text, vocab, mapper)
    listed = [s.name.lower() for s in draft.skills if s.how == "listed"]
    assert listed == ["mathematical skills", "organizational skills", "research skills"]


def test_a_negated_name_is_no_skill(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    """Neither as a listed item nor as a name found in the line ("except MongoDB" asks for no MongoDB)."""
    draft = draft_posting("Backend trainee\nRequirements\n- Python\n- Any database except MongoDB and Redis",
                          vocab, mapper)
    names = {s.name for s in draft.skills}
    assert "Python" in names and not names & {"MongoDB", "Redis"}


def test_a_group_label_inside_skills_keeps_the_section() -> None:
    """"Excellent in:" or "1. Documentation skills:" under a skills heading groups its items; a
    label of another kind ("Certifications:") still ends the section."""
    lines = split_lines("Skills\nExcellent in:\n- Reading Comprehension\nCertifications:\n- PMP")
    assert [(line.section, line.heading) for line in lines[1:]] == [
        ("skills", False), ("skills", False), ("skills", True), ("other", False)]
    lines = split_lines("Requisitos\n1. Documentation skills:\nWriting specifications\n2. Conocimientos de:\nSQL")
    assert {line.section for line in lines[1:]} == {"required"}
    assert not any(line.heading for line in lines[1:])


@pytest.mark.parametrize(("text", "content"), [
    ("-óExtensive research skills", "Extensive research skills"),  # a bullet glyph in the wrong code page
    ("òTime management skills", "Time management skills"),
    ("- óscar award", "óscar award"),  # a word that starts with an accent keeps it
    ("éxito comercial", "éxito comercial"),
])
def test_bullets_read_in_the_wrong_code_page(text: str, content: str) -> None:
    assert split_lines(text)[0].content[1] == content
