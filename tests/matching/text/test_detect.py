"""Language of a profile, offline, as ISO 639-1."""

from __future__ import annotations

import pytest

from matching.records.profiles import CandidateProfile, PostingRecord
from matching.text.detect import detect_language
from matching.text.recipe import prose, with_text_language

PROFILES = {
    "en": "I built REST APIs with Express and deployed them on AWS.",
    "es": "Soy desarrolladora web con experiencia en React y bases de datos.",
    "ca": "Sóc desenvolupadora web i m'agrada molt treballar en equip.",
    "fr": "Je suis développeur web et je cherche un emploi à Lyon.",
    "ar": "أنا مطور ويب ولدي خبرة في جافاسكريبت وقواعد البيانات",
    "uk": "Я веб-розробник, шукаю роботу в Берліні.",
    "ru": "Я веб-разработчик, ищу работу в Берлине.",
    "de": "Ich bin Webentwicklerin und suche eine Stelle in Hamburg.",
    "fa": "من توسعه دهنده وب هستم و به دنبال کار می گردم",
    "ti": "ኣነ ናይ ዌብ ሰራሕተኛ እየ፡ ኣብ ጀርመን ስራሕ ይደሊ ኣለኹ",
    "am": "እኔ የድር ገንቢ ነኝ እና በጀርመን ስራ እፈልጋለሁ",
}


@pytest.mark.parametrize(("code", "text"), sorted(PROFILES.items()))
def test_detects_the_languages_of_our_graduates(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_returns_none_without_evidence() -> None:
    assert detect_language("") is None
    assert detect_language("12345 !!") is None


def test_candidates_make_short_texts_reliable() -> None:
    assert detect_language("desarrolladora web", candidates=["en", "es", "fr"]) == "es"
    assert detect_language("développeuse web", candidates=["en", "es", "fr"]) == "fr"


def test_only_two_letter_codes_come_back() -> None:
    for text in ["hello world", "Haus", "ok", "Node.js, SQL, Docker"]:
        code = detect_language(text, min_confidence=0.0)
        assert code is None or len(code) == 2


# ---- a record's text_language: detected from its prose, skill lists left out ------------------

TECH = ["JavaScript", "React", "Node.js", "Docker", "Git", "SQL", "REST APIs", "TypeScript"]


@pytest.mark.parametrize("code", ["es", "ar", "uk", "ru", "ca", "en"])
def test_a_profile_gets_the_language_of_its_summary_not_of_its_skills(code: str) -> None:
    profile = CandidateProfile(name="Ana", summary=PROFILES[code], skills=TECH)
    assert "Docker" not in prose(profile)
    assert with_text_language(profile).text_language == code


def test_a_stale_language_is_replaced_and_a_textless_record_gets_none() -> None:
    stale = CandidateProfile(name="Ana", summary=PROFILES["es"], skills=TECH, text_language="en")
    assert with_text_language(stale).text_language == "es"
    bare = CandidateProfile(name="Ana", skills=TECH, text_language="es")
    assert with_text_language(bare).text_language is None
    posting = PostingRecord(
        company="Sol", title="Desarrollador/a backend",
        description="Buscamos una persona para nuestro equipo de Barcelona.", required_skills=["Python"],
    )
    assert with_text_language(posting).text_language == "es"


@pytest.mark.parametrize("bad", ["english", "e", "E1", "zz-ZZ"])
def test_a_malformed_language_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="text_language"):
        CandidateProfile(name="Ana", skills=TECH, text_language=bad)
