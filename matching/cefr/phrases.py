"""Languages and CEFR levels read from how people write them: "árabe nativo", "English B2",
"Ukrainian — native", "inglés intermedio", "рідна", "materinski".

Language names and level words are known in English, Spanish, French, Arabic,
Ukrainian and Croatian. A level word maps to the CEFR level it usually means
on a CV (self-assessment scales differ, so these are drafts a person checks):

    native / nativo / lengua materna / langue maternelle / اللغة الأم / рідна / materinski → C2
    fluent, advanced / fluido, avanzado / courant, avancé / متقدم / вільно / napredno → C1
    upper intermediate / intermedio alto / вище середнього → B2
    intermediate / intermedio / intermédiaire / متوسط / середній / srednje → B1
    basic, elementary / básico / notions / أساسي / базовий / osnovno → A2
    beginner / principiante / débutant / مبتدئ / початковий / početno → A1

A written CEFR code ("B2", "C1+") beats a word. For each language named in a
line, the level is looked for after it up to the next separator (",", ";",
"|", "/"), then before it back to the previous one ("native Arabic, fluent
English"), then in the rest of the line up to the next language.

Example:
    >>> [(f.code, f.level) for f in find_languages("Idiomas: árabe nativo, inglés B2")]
    [('ar', 'C2'), ('en', 'B2')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.intake.document import Line, fold_words, split_lines

_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "ingles", "anglais", "الانجليزية", "الانكليزية", "انجليزي", "الإنجليزية", "انجليزية",
           "англійська", "англійською", "англійська мова", "engleski", "engleskog", "englisch"),
    "es": ("spanish", "espanol", "castellano", "espagnol", "الاسبانية", "اسباني", "اسبانية", "іспанська",
           "іспанською", "spanjolski", "spanjolskog", "spanisch"),
    "ar": ("arabic", "arabe", "العربية", "عربي", "عربية", "арабська", "арабською", "arapski", "arabisch"),
    "uk": ("ukrainian", "ucraniano", "ukrainien", "الاوكرانية", "українська", "українською", "ukrajinski",
           "ukrainisch"),
    "hr": ("croatian", "croata", "croate", "الكرواتية", "хорватська", "hrvatski", "hrvatskog", "kroatisch"),
    "fr": ("french", "frances", "francais", "الفرنسية", "فرنسي", "французька", "francuski", "franzosisch"),
    "de": ("german", "aleman", "allemand", "الالمانية", "німецька", "njemacki", "deutsch"),
    "ca": ("catalan", "catala", "каталонська", "katalonski"),
    "ru": ("russian", "ruso", "russe", "الروسية", "російська", "ruski", "russisch"),
    "it": ("italian", "italiano", "italien", "الايطالية", "італійська", "talijanski"),
    "pt": ("portuguese", "portugues", "portugais", "البرتغالية", "португальська", "portugalski"),
    "fa": ("persian", "farsi", "persa", "dari", "الفارسية", "перська", "perzijski"),
    "tr": ("turkish", "turco", "turc", "التركية", "турецька", "turski"),
    "ku": ("kurdish", "kurdo", "kurde", "الكردية", "kurdski"),
    "ti": ("tigrinya", "tigrina", "tigrigna"),
    "am": ("amharic", "amharico", "amharique"),
    "so": ("somali", "somalí"),
    "ur": ("urdu",), "ps": ("pashto", "pastun"), "hi": ("hindi",), "bn": ("bengali", "bangla"),
    "pl": ("polish", "polaco", "polonais", "польська", "poljski"),
    "ro": ("romanian", "rumano", "roumain", "rumunjski"),
    "sr": ("serbian", "serbio", "serbe", "srpski"), "bs": ("bosnian", "bosnio", "bosanski"),
    "wo": ("wolof",), "ha": ("hausa",), "sw": ("swahili", "suajili"),
}
_LEVELS: dict[str, tuple[str, ...]] = {
    "C2": ("native", "native speaker", "mother tongue", "first language", "bilingual", "nativo", "nativa",
           "lengua materna", "idioma materno", "materna", "bilingue", "langue maternelle", "maternelle",
           "natif", "native", "اللغة الام", "لغة ام", "لغتي الام", "اللغة الأم", "الام", "لغة الام",
           "рідна", "рідна мова", "носій", "носій мови", "materinski", "materinji", "materinski jezik",
           "izvorni govornik", "proficient", "mastery"),
    "C1": ("fluent", "advanced", "fluently", "full professional", "fluido", "fluida", "avanzado", "avanzada",
           "alto", "courant", "avance", "avancee", "متقدم", "متقدمة", "بطلاقة", "ممتاز", "вільно",
           "вільний", "вільне володіння", "просунутий", "високий", "napredno", "napredni", "tecno"),
    "B2": ("upper intermediate", "upper-intermediate", "intermedio alto", "intermedio-alto",
           "professional working", "bon niveau", "intermediaire avance", "فوق المتوسط", "جيد جدا",
           "вище середнього", "vrlo dobro", "vrlo dobar"),
    "B1": ("intermediate", "intermedio", "intermedia", "intermediaire", "conversational", "working knowledge",
           "متوسط", "متوسطة", "جيد", "середній", "середнього", "середній рівень", "srednje", "srednji", "dobro"),
    "A2": ("basic", "elementary", "basico", "basica", "elemental", "basique", "elementaire", "notions",
           "pre-intermediate", "أساسي", "اساسي", "اساسية", "أساسية", "базовий", "базовий рівень",
           "елементарний", "osnovno", "osnovni", "pocetno znanje"),
    "A1": ("beginner", "principiante", "debutant", "debutante", "مبتدئ", "مبتدئة", "початковий",
           "початківець", "pocetni", "pocetnik", "pocetno"),
}
_CODE = re.compile(r"(?<![A-Za-z0-9])([ABCabc][12])\+?(?![A-Za-z0-9])")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SEPARATOR = re.compile(r"[,;|/•·،\n]")
_MAX_WORDS = 3


def _table(entries: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for value, phrases in entries.items():
        for phrase in phrases:
            table[tuple(fold_words(phrase).replace("-", " ").split())] = value
    return table


_NAME_TABLE = _table(_NAMES)
_LEVEL_TABLE = _table(_LEVELS)


@dataclass(frozen=True)
class LanguageFinding:
    """A language named in the text, with the level read beside it (None when none was)."""

    code: str
    level: str | None
    start: int
    end: int
    line: int
    phrase: str
    confidence: float


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    value: str


def _words(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _WORD.finditer(text):
        for part in re.finditer(r"[^-]+", m.group()):  # "upper-intermediate" as two words
            word = fold_words(part.group())
            out.append((m.start() + part.start(), m.start() + part.end(), word))
    return out


def _phrases(text: str, table: dict[tuple[str, ...], str], *, arabic_prefix: bool = False) -> list[_Match]:
    """Longest table phrases in `text`, left to right, not overlapping."""
    words = _words(text)
    found: list[_Match] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            key = tuple(w for _, _, w in words[i : i + n])
            value = table.get(key)
            if value is None and arabic_prefix and key[0][:1] in {"و", "ب"} and len(key[0]) > 3:
                value = table.get((key[0][1:], *key[1:]))  # "والعربية": and Arabic
            if value is not None:
                found.append(_Match(words[i][0], words[i + n - 1][1], value))
                i += n
                break
        else:
            i += 1
    return found


def _level_in(text: str) -> tuple[str, float] | None:
    """The level a stretch of text states: a CEFR code (surer) or a level word."""
    code = _CODE.search(text)
    if code:
        return code.group(1).upper(), 0.95
    words = _phrases(text, _LEVEL_TABLE, arabic_prefix=True)
    return (words[0].value, 0.8) if words else None


def levels_in_line(text: str, *, whole_line: bool = True) -> list[tuple[str, str | None, int, int, float]]:
    """(code, level or None, start, end, confidence) for each language named in one line;
    `whole_line` lets the rest of the line up to the next language speak last (languages sections)."""
    names = _phrases(text, _NAME_TABLE, arabic_prefix=True)
    out = []
    for k, name in enumerate(names):
        prev_end = names[k - 1].end if k else 0
        next_start = names[k + 1].start if k + 1 < len(names) else len(text)
        after = text[name.end : next_start]
        cut = _SEPARATOR.search(after)
        before = text[prev_end : name.start]
        cuts = list(_SEPARATOR.finditer(before))
        before_part = before[cuts[-1].end() :] if cuts else before
        found = None
        for stretch in (after[: cut.start()] if cut else after, before_part, after if whole_line else ""):
            found = _level_in(stretch)
            if found:
                break
        level, confidence = found if found else (None, 0.5)
        out.append((name.value, level, name.start, name.end, confidence))
    return out


def find_languages(text: str, lines: list[Line] | None = None) -> list[LanguageFinding]:
    """Languages with levels, each at its first surest mention; offsets into `text`.

    Outside a languages section a language counts only with a level beside it
    ("Spanish company" names no skill); inside one, a bare name takes the level
    written alone on the next line, if any ("English" / "Native").
    """
    lines = lines if lines is not None else split_lines(text)
    best: dict[str, LanguageFinding] = {}
    for index, line in enumerate(lines):
        in_section = line.section == "languages"
        for code, level, start, end, confidence in levels_in_line(line.text, whole_line=in_section):
            if level is None and in_section and index + 1 < len(lines):
                following = lines[index + 1]
                if not levels_in_line(following.text) and (own := _level_in(following.text)):
                    level, confidence = own[0], own[1] - 0.1
            if level is None and not in_section:
                continue
            if in_section and level is not None:
                confidence = min(1.0, confidence + 0.05)
            finding = LanguageFinding(code, level, line.start + start, line.start + end, line.number,
                                      line.text, round(confidence, 2))
            held = best.get(code)
            if held is None or (held.level is None and level is not None) or \
                    (level is not None and finding.confidence > held.confidence):
                best[code] = finding
    return list(best.values())
