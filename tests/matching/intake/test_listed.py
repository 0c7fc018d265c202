"""A listed line's items (`matching.intake.listed`): clauses, examples, negations and the
"… skills" a sentence-long item names, in English and Spanish, each with its span in the line."""

from __future__ import annotations

import pytest

from matching.intake.document import split_lines
from matching.intake.listed import listed_items, negated

KNOWN = {"python", "sql", "java", "j2ee", "linux", "jboss", "json", "igmp", "nessus", "ms visio", "ios",
         "android", "postgresql", "mysql", "excel"}


def known(text: str) -> bool:
    return text.lower() in KNOWN


def items(text: str) -> list[str]:
    lines = split_lines(f"Skills\n- {text}")
    found = listed_items(lines[1], known)
    for start, end, head in found:  # every head is the text at its span
        assert lines[1].text[start - lines[1].start : end - lines[1].start] == head
    return [head for *_, head in found]


@pytest.mark.parametrize(("text", "expected"), [
    # a ";" or a sentence's end closes a clause: the list in the first is read whatever follows
    (("Proficient in Java, J2EE and Fico Blaze Rules Engine; leveraging them in the creation and "
     "maintenance of software solutions"), ["Java", "J2EE", "Fico Blaze Rules Engine"]),
    ("Nessus. MS Visio", ["Nessus", "MS Visio"]),
    ("Knowledge of SQL, e.g. joins", ["SQL", "joins"]),  # "e.g." is no sentence end
    # praise before "skills" or a clause word: the skill is after it
    ("Distinct skills in Jboss, Linux", ["Jboss", "Linux"]),
    ("Advanced skills in technical drawing", ["technical drawing"]),
    ("Exceptional aptitude for change management", ["change management"]),
    ("Strong problem-solving skills for mitigating issues", ["problem-solving skills"]),
    ("Persuasion skills to influence applicants", ["Persuasion skills"]),
    # examples of a category are the skills; examples of anything else are not
    ("Experience in working with data exchange technologies such as JSON", ["JSON"]),
    ("Expert knowledge in Java based technologies such as Java, J2EE.", ["Java", "J2EE"]),
    ("Proficient in utilizing computer skills for tasks such as data analysis.", ["computer skills"]),
    ("Conocimientos de bases de datos tales como PostgreSQL y MySQL", ["PostgreSQL", "MySQL"]),
    # the rest of a sentence is no item
    ("Java and C#, each in the development", ["Java", "C#"]),
    ("Python; leveraging them in daily work", ["Python"]),
    # a negation takes out what it names
    ("except IGMP", []),
    ("Routing protocols except IGMP", ["Routing protocols"]),
    ("Cualquier lenguaje salvo COBOL", ["Cualquier lenguaje"]),
    # a sentence-long item gives the "… skills" it names
    ("High-level mathematical skills assist in the competent interpretation of revenue-related figures.",
     ["mathematical skills"]),
    ("Capable of structuring thoughts, data and daily tasks flawlessly with proficient organizational skills.",
     ["organizational skills"]),
    ("Astute research skills conducive to streamlined logistics and optimized route allocation.",
     ["research skills"]),
    ("Exceptional typing skills needed to complete reports on time and in the right format.", ["typing skills"]),
    ("Eager to learn new skills and grow within a fast-moving team every day", []),
    # a list with one long item: its short items are still items, a lowercase word in prose is not
    ("iOS, Android, SDK, Technical Writing, Advanced understanding of the Fraud Data Model",
     ["iOS", "Android", "SDK", "Technical Writing", "Fraud Data Model"]),
    ("Research: planning, experimenting, processing data and drawing sound conclusions from each experiment",
     ["Research"]),
    # Spanish stays as it was
    ("Sólidos conocimientos de SQL y Python", ["SQL", "Python"]),
])
def test_items_of_a_listed_line(text: str, expected: list[str]) -> None:
    assert items(text) == expected


def test_negated_spans() -> None:
    text = "Protocols except IGMP and PIM; BGP"
    assert [text[a:b] for a, b in negated(text)] == [" except IGMP and PIM"]
    assert negated("Python, SQL") == []
