"""Language of a profile, offline, as ISO 639-1."""

from __future__ import annotations

import pytest

from matching.language import detect_language

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
