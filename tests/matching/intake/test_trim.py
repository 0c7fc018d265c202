"""Listed skill items trimmed to their skill core (`matching.intake.trim`), in English and Spanish,
with spans into the item; and a CV read through the draft, spans pointing at the trimmed words."""

from __future__ import annotations

import pytest

from matching.esco.mapper import ConceptMapper
from matching.intake.drafts import draft_candidate
from matching.intake.trim import trim
from matching.skills.vocabulary import SkillVocabulary

KNOWN = {"python", "django", "sql", "excel", "linux", "first aid", "microsoft word", "aws"}


def known(text: str) -> bool:
    return text.lower() in KNOWN


@pytest.mark.parametrize(("item", "cores"), [
    ("Prime physical fitness", ["physical fitness"]),
    ("Unyielding dedication to effective customer service", ["customer service"]),
    ("designing and executing baking techniques flawlessly", ["baking techniques"]),
    ("Strong inventory management skills obtained", ["inventory management skills"]),
    ("Excellent skills on SSL endeavor", ["SSL"]),
    ("Experienced in Customer Service", ["Customer Service"]),
    ("Firm grasp and experience with AWS,", ["AWS"]),
    ("Competent in working on Linux platforms.", ["Linux"]),
    ("Deeply-rooted skill set in animal care", ["animal care"]),
    ("the use of Tablet", ["Tablet"]),
    ("Single Sign-On (SSO),", ["Single Sign-On (SSO)"]),
    ("Advanced Excel", ["Excel"]),
    ("Advanced Cardiac Life Support", ["Advanced Cardiac Life Support"]),  # a level word only before a known skill
    # coordinations: split when each half stands alone, one skill when they share a head or are modes
    ("JDE E1 and Enterprise One", ["JDE E1", "Enterprise One"]),
    ("Microsoft Word and Excel", ["Microsoft Word", "Excel"]),
    ("written and oral communication skills", ["communication skills"]),
    ("Effective written and verbal communication skills", ["communication skills"]),
    ("Creativity and Imagination", ["Creativity and Imagination"]),
    ("Systems Analysis and Evaluation", ["Systems Analysis and Evaluation"]),
    ("sports and recreational activities", ["sports and recreational activities"]),
    ("Equipment Operation and Maintenance Skills", ["Equipment Operation and Maintenance Skills"]),
    ("Management of Financial and Personnel resources", ["Management of Financial and Personnel resources"]),
    # a lone half named like a product (a digit, a capital inside) stands, and a capitalised word beside it
    ("JDE E1 and Z1", ["JDE E1", "Z1"]),
    ("Datacenter Technologies and F5", ["Datacenter Technologies", "F5"]),
    ("JSON and Map", ["JSON", "Map"]),
    ("XML and Middleware", ["XML", "Middleware"]),
    ("Skilled in VB.Net and familiar with Python scripting", ["VB.Net", "Python"]),
    ("Operation and Control", ["Operation and Control"]),
    ("E-Commerce and Marketing", ["E-Commerce and Marketing"]),  # a capital after "-" is no product's
    # words of degree, possession or use around the skill
    ("both iOS", ["iOS"]),
    ("Greenplum familiar", ["Greenplum"]),
    ("Analytics utilisation", ["Analytics"]),
    ("Comfortable with Linux", ["Linux"]),
    ("Mongo or similar", ["Mongo"]),
    ("Advanced Problem-Solving Skills", ["Problem-Solving Skills"]),  # a level before "… skills"
    ("Basic Math Skills", ["Basic Math Skills"]),  # but "basic" names the skill
    ("Must be adept in Architecture", ["Architecture"]),
    ("WorkDay functionality", ["WorkDay"]),
    ("SAP software", ["SAP"]),  # a category word after a word named like a product, as after a known skill
    ("MapReduce framework", ["MapReduce"]),
    ("Adobe software", ["Adobe software"]),
    # Spanish
    ("Sólidos conocimientos de SQL", ["SQL"]),
    ("Conocimientos sólidos de bases de datos", ["bases de datos"]),
    ("Experiencia en Python y Django", ["Python", "Django"]),
    ("Capacidad de trabajo en equipo", ["trabajo en equipo"]),
    ("Comunicación oral y escrita", ["Comunicación"]),
    ("Excel a nivel usuario", ["Excel"]),
    ("Excel avanzado", ["Excel"]),
    ("Buen manejo de herramientas de diseño", ["herramientas de diseño"]),
])
def test_trimmed_to_the_skill_core(item: str, cores: list[str]) -> None:
    spans = trim(item, known)
    assert [item[a:b] for a, b in spans] == cores


def test_nothing_left_is_no_skill() -> None:
    assert trim("", known) == []
    assert trim("Python", known) == [(0, 6)]


def test_draft_keeps_the_span_of_each_trimmed_skill(vocab: SkillVocabulary, mapper: ConceptMapper) -> None:
    cv = ("Lucía Pérez\nDesarrolladora junior\n\nHabilidades\n- Sólidos conocimientos de SQL\n"
          "- Experiencia en Python y Django\n- Comunicación oral y escrita\n\nSkills\n"
          "- Prime physical fitness\n- JDE E1 and Enterprise One\n")
    draft = draft_candidate(cv, vocab, mapper)
    read = {s.name: draft.text[s.start:s.end] for s in draft.skills}
    assert read["SQL"] == "SQL" and read["Python"] == "Python" and read["Django"] == "Django"
    assert read["Comunicación"] == "Comunicación"
    assert read["physical fitness"] == "physical fitness"
    assert read["JDE E1"] == "JDE E1" and read["Enterprise One"] == "Enterprise One"
    assert all(s.section == "skills" for s in draft.skills)
