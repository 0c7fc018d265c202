"""Small fields of a draft, read from a CV or job ad: labelled values, places, links, dates, kind.

Each reader returns a `Found` (value, span, line, confidence) or None. Labels
("Location:", "Ubicación:", "Місто:") are surer than a bare city name
found somewhere in the text; both are drafts a person confirms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from matching.intake.document import Line, fold_words

# Cities coding-school graduates and their employers are in, as written in the languages
# intake reads; the value is the spelling profiles store (filters compare cities as written).
CITIES: dict[str, tuple[str, ...]] = {
    "Barcelona": ("barcelona", "برشلونة", "барселона"), "Madrid": ("madrid", "مدريد", "мадрид"),
    "Valencia": ("valencia", "valència", "فالنسيا", "валенсія"), "Girona": ("girona", "gerona"),
    "Sevilla": ("sevilla", "seville"), "Málaga": ("malaga",), "Bilbao": ("bilbao",),
    "Zaragoza": ("zaragoza",), "Zagreb": ("zagreb", "زغرب", "загреб"), "Split": (),
    "Rijeka": ("rijeka",), "Osijek": ("osijek",), "Paris": ("paris", "باريس", "париж"),
    "Lyon": ("lyon",), "Marseille": ("marseille",), "Berlin": ("berlin", "برلين", "берлін"),
    "Munich": ("munich", "münchen"), "Hamburg": ("hamburg",), "Vienna": ("vienna", "wien", "відень"),
    "Amsterdam": ("amsterdam",), "Brussels": ("brussels", "bruxelles"), "Lisbon": ("lisbon", "lisboa"),
    "Porto": ("porto",), "Rome": ("rome", "roma"), "Milan": ("milan", "milano"), "London": ("london", "лондон"),
    "Dublin": ("dublin",), "Warsaw": ("warsaw", "warszawa", "варшава"), "Kraków": ("krakow", "kraków"),
    "Prague": ("prague", "praha"), "Kyiv": ("kyiv", "kiev", "київ", "كييف"), "Lviv": ("lviv", "львів"),
    "Kharkiv": ("kharkiv", "харків"), "Odesa": ("odesa", "odessa", "одеса"), "Dnipro": ("dnipro", "дніпро"),
    "Ljubljana": ("ljubljana",), "Belgrade": ("belgrade", "beograd"), "Sarajevo": ("sarajevo",),
    "Athens": ("athens",), "Istanbul": ("istanbul",), "Amman": ("amman", "عمان"), "Beirut": ("beirut", "بيروت"),
}
_CITY_KEYS = {fold_words(alias): city for city, aliases in CITIES.items() for alias in (city, *aliases)}
LOCATION_LABELS = ("location", "city", "address", "based in", "lives in", "ubicacion", "ciudad", "direccion",
                   "localidad", "residencia", "lugar de trabajo", "localisation", "ville", "adresse", "lieu",
                   "місто", "адреса", "локація", "місце роботи", "lokacija", "grad", "adresa", "mjesto rada",
                   "المدينة", "العنوان", "الموقع", "مكان العمل")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+|\b(?:github\.com|gitlab\.com|linkedin\.com/in|"
                  r"behance\.net|dribbble\.com)/[^\s<>()\"']+", re.IGNORECASE)
_REMOTE = re.compile(r"\b(?:remote|fully remote|remoto|en remoto|teletrabajo|à distance|a distance|"
                     r"télétravail|teletravail|rad na daljinu|na daljinu)\b|віддален|عن بعد", re.IGNORECASE)
_HYBRID = re.compile(r"\b(?:hybrid|híbrido|hibrido|hybride|hibridno)\b|гібрид|هجين", re.IGNORECASE)
_ON_SITE = re.compile(r"\b(?:on[- ]site|onsite|presencial|sur site)\b", re.IGNORECASE)
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "internship": ("internship", "intern", "prácticas", "practicas", "becario", "becaria", "beca", "stage",
                   "stagiaire", "стажування", "стажер", "praksa", "pripravnik", "تدريب", "متدرب"),
    "traineeship": ("traineeship", "trainee", "graduate programme", "graduate program", "programa de formación",
                    "formación dual", "apprentissage", "alternance", "трейні", "التدريب المهني"),
}
MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "janvier", "siječanj", "sijecanj", "січня", "січень", "يناير", "كانون الثاني"),
    2: ("february", "feb", "febrero", "février", "fevrier", "veljača", "veljaca", "лютого", "лютий", "فبراير"),
    3: ("march", "mar", "marzo", "mars", "ožujak", "ozujak", "березня", "березень", "مارس"),
    4: ("april", "apr", "abril", "avril", "travanj", "квітня", "квітень", "أبريل", "ابريل"),
    5: ("may", "mayo", "mai", "svibanj", "травня", "травень", "مايو"),
    6: ("june", "jun", "junio", "juin", "lipanj", "червня", "червень", "يونيو"),
    7: ("july", "jul", "julio", "juillet", "srpanj", "липня", "липень", "يوليو"),
    8: ("august", "aug", "agosto", "août", "aout", "kolovoz", "серпня", "серпень", "أغسطس", "اغسطس"),
    9: ("september", "sep", "sept", "septiembre", "septembre", "rujan", "вересня", "вересень", "سبتمبر"),
    10: ("october", "oct", "octubre", "octobre", "listopad", "жовтня", "жовтень", "أكتوبر", "اكتوبر"),
    11: ("november", "nov", "noviembre", "novembre", "studeni", "листопада", "листопад", "نوفمبر"),
    12: ("december", "dec", "diciembre", "décembre", "decembre", "prosinac", "грудня", "грудень", "ديسمبر"),
}
_MONTH_KEYS = {fold_words(name): number for number, names in MONTHS.items() for name in names}
_MONTH_WORD = "|".join(sorted((re.escape(k) for k in _MONTH_KEYS), key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b"), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:de\s+)?({_MONTH_WORD})\.?,?\s+(?:de\s+)?(\d{{4}})\b", re.IGNORECASE),
     ("d", "M", "y")),
    (re.compile(rf"\b({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE), ("M", "d", "y")),
    (re.compile(rf"\b({_MONTH_WORD})\.?\s+(?:de\s+|of\s+)?(\d{{4}})\b", re.IGNORECASE), ("M", "y")),
)
START_LABELS = re.compile(r"start date|starts? on|starting|start:|available from|availability|disponible desde|"
                          r"disponibilidad|fecha de incorporaci[oó]n|incorporaci[oó]n|fecha de inicio|inicio|"
                          r"date de d[ée]but|d[ée]but|disponible [àa] partir|початок|дата початку|доступн|"
                          r"po[čc]etak|dostupan od|تاريخ البدء|البدء|متاح من", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """One field's value and where it was read: a character span, its line, and how sure (0–1)."""

    value: Any
    start: int
    end: int
    line: int
    confidence: float
    section: str | None = None


def labelled(lines: list[Line], labels: tuple[str, ...]) -> Found | None:
    """The value after the first "Label:" line whose label is one of `labels` (folded)."""
    wanted = {fold_words(label) for label in labels}
    for line in lines:
        label, sep, rest = line.text.partition(":")
        if sep and rest.strip() and fold_words(label.strip(" -*#•")) in wanted:
            value = rest.strip()
            start = line.start + line.text.index(value, len(label) + 1)
            return Found(value, start, start + len(value), line.number, 0.9, line.section)
    return None


def find_city(lines: list[Line], *, near_top: int = 12) -> Found | None:
    """A labelled location, else the first known city named (surer in the first lines)."""
    given = labelled(lines, LOCATION_LABELS)
    if given is not None:
        city = _city_in(given.value)
        return Found(city[2] if city else given.value[:200], given.start, given.end, given.line, 0.9, given.section)
    for rank, line in enumerate(lines):
        city = _city_in(line.text)
        if city:
            return Found(city[2], line.start + city[0], line.start + city[1], line.number,
                         0.7 if rank < near_top else 0.5, line.section)
    return None


def _city_in(text: str) -> tuple[int, int, str] | None:
    for m in re.finditer(r"[^\W\d_]+(?:[ -][^\W\d_]+)?", text):
        for candidate in (m.group(), m.group().split()[0].split("-")[0]):
            city = _CITY_KEYS.get(fold_words(candidate))
            if city and (candidate[:1].isupper() or not candidate[:1].isascii()):
                return m.start(), m.start() + len(candidate), city
    return None


def find_links(lines: list[Line]) -> list[Found]:
    """Web addresses (portfolio, GitHub, LinkedIn); e-mail addresses are not links."""
    out = []
    for line in lines:
        for m in _URL.finditer(line.text):
            url = m.group().rstrip(".,;:")
            out.append(Found(url, line.start + m.start(), line.start + m.start() + len(url), line.number, 0.95,
                             line.section))
    return out


def find_remote(lines: list[Line]) -> Found | None:
    """True for a remote posting, False for hybrid or on-site, None when the text does not say."""
    for pattern, value, confidence in ((_REMOTE, True, 0.8), (_HYBRID, False, 0.7), (_ON_SITE, False, 0.7)):
        for line in lines:
            m = pattern.search(line.text)
            if m and not (value and _HYBRID.search(line.text)):
                return Found(value, line.start + m.start(), line.start + m.end(), line.number, confidence,
                             line.section)
    return None


def find_kind(title: str, lines: list[Line]) -> Found:
    """internship / traineeship named in the title (surest) or the text; otherwise a job."""
    for text_lines, confidence in (([line for line in lines if title and line.text.find(title) >= 0], 0.9),
                                   (lines, 0.6)):
        for line in text_lines:
            folded = fold_words(line.text)
            for kind, words in KIND_WORDS.items():
                for word in words:
                    m = re.search(rf"(?<!\w){re.escape(fold_words(word))}(?!\w)", folded)
                    if m:
                        return Found(kind, line.start, line.end, line.number, confidence, line.section)
    return Found("job", 0, 0, -1, 0.4)


def parse_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first date written in `text` (ISO, 1/12/2026, 1 December 2026, diciembre de 2026…)."""
    folded = fold_words(text) if len(fold_words(text)) == len(text) else text.lower()
    for pattern, parts in _DATE_PATTERNS:
        for m in pattern.finditer(folded):
            values = dict(zip(parts, m.groups()))
            try:
                month = int(values["m"]) if "m" in values else _MONTH_KEYS[fold_words(values["M"])]
                return dt.date(int(values["y"]), month, int(values.get("d", 1))), m.start(), m.end()
            except (KeyError, ValueError):
                continue
    return None


def find_start(lines: list[Line]) -> Found | None:
    """The date next to a start label ("Start date: 10 January 2027", "Incorporación: 01/02/2027")."""
    for line in lines:
        label = START_LABELS.search(line.text)
        if not label:
            continue
        found = parse_date(line.text[label.end() :])
        if found:
            date, a, b = found
            offset = line.start + label.end()
            return Found(date, offset + a, offset + b, line.number, 0.85, line.section)
    return None
