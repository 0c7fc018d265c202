"""Domain records the engine ranks: a graduate's profile and a posting.

These are the validated shapes every entry point (HTTP, CSV import, CLI)
converts into, so limits live here once: a profile with 10,000 skills or a
5 MB summary is refused before anything is encoded or written.
Sensitive fields (nationality, origin, status) are carried for the people who
need them and never reach scoring: `matching.text.recipe` and `matching.ranking.blend` do not
read them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from matching.cefr.levels import CEFR, LANGUAGE_KEY, language_keys_schema, validate_languages


class Kind(str, Enum):
    job = "job"
    traineeship = "traineeship"
    internship = "internship"


def _unicode(text: str) -> str:
    """Refuse lone surrogates and NUL: JSON can carry them, but no tokenizer (surrogates) or
    PostgreSQL text column (NUL) can store them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text contains characters that are not valid Unicode (lone surrogates)") from exc
    if "\x00" in text:
        raise ValueError("text contains a NUL character (\\u0000), which cannot be stored")
    return text


STORED = {"stored": True}
"""Validation context for records read back from storage: text saved before control characters
were refused still loads (exports such as `service.calendar` escape it on the way out).

Example:
    >>> CandidateProfile.model_validate({"name": "Ana\\rB", "skills": ["JS"]}, context=STORED).name
    'Ana\\rB'
"""

_NAMES = {"\t": "tab", "\n": "line feed", "\r": "carriage return", "\x0b": "vertical tab", "\x0c": "form feed",
          "\x85": "next line", "\u2028": "line separator", "\u2029": "paragraph separator"}


def _control(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f", {_NAMES[ch]}" if ch in _NAMES else "")


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _one_line(text: str, info: ValidationInfo) -> str:
    """Names and other short fields: one line, no control characters (CR, LF, tab, U+2028, …)."""
    if _stored(info):
        return text
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029":
            raise ValueError(f"contains a control character ({_control(ch)}); "
                             "write this field as one line of text, without tabs or line breaks")
    return text


def _multi_line(text: str, info: ValidationInfo) -> str:
    """Free text: line breaks (CR LF and lone CR become LF) and tabs, no other control characters."""
    if _stored(info):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            raise ValueError(f"contains a control character ({_control(ch)}); "
                             "only line breaks and tabs are allowed in this text")
    return text


Valid = AfterValidator(_unicode)
OneLine = AfterValidator(_one_line)
MultiLine = AfterValidator(_multi_line)
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Valid, OneLine]
NonEmptyShort = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Valid, OneLine
]
LongText = Annotated[str, StringConstraints(max_length=5000), Valid, MultiLine]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), Valid, OneLine]
Project = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Valid, MultiLine]

LanguageCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z]{2}$")
]
TEXT_LANGUAGE = Field(
    None,
    description="ISO 639-1 code of the language the free text is written in; set by the "
    "server from the text on every write (a value sent is replaced), null when unsure",
)

MAX_SKILLS = 100
MAX_PROJECTS = 30
MAX_LANGUAGES = 20


def _languages_field() -> Any:
    return Field(
        default_factory=dict, max_length=MAX_LANGUAGES, json_schema_extra=language_keys_schema,
        description="ISO 639 code (2 or 3 letters, any case; an unknown code such as \"esp\" is a 422) "
        "-> CEFR level, e.g. {\"es\": \"B2\"}",
    )


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("external_id", mode="after", check_fields=False)
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None  # "" is no id: two of them must not collide on uniqueness

    @field_validator("languages", mode="before", check_fields=False)
    @classmethod
    def _languages(cls, value: object, info: ValidationInfo) -> object:
        return validate_languages(value, known_only=not _stored(info))


class CandidateProfile(_Record):
    """What a graduate says about themselves."""

    name: NonEmptyShort
    headline: ShortText = ""
    summary: LongText = ""
    skills: list[Skill] = Field(min_length=1, max_length=MAX_SKILLS)
    projects: list[Project] = Field(default_factory=list, max_length=MAX_PROJECTS)
    languages: dict[LANGUAGE_KEY, CEFR] = _languages_field()
    location: ShortText = ""
    remote_ok: bool = True
    work_permit: bool = False
    kinds: list[Kind] = Field(default_factory=lambda: list(Kind), min_length=1, max_length=3)
    available_from: dt.date | None = None
    visible_to_companies: bool = False
    # Sensitive: stored for coordinators, never used in scoring.
    nationality: ShortText | None = None
    origin: ShortText | None = None
    status: ShortText | None = None
    external_id: ShortText | None = None
    text_language: LanguageCode | None = TEXT_LANGUAGE

    @field_validator("kinds")
    @classmethod
    def _unique_kinds(cls, kinds: list[Kind]) -> list[Kind]:
        return list(dict.fromkeys(kinds))


class PostingRecord(_Record):
    """What a company offers and asks for."""

    company: NonEmptyShort
    title: NonEmptyShort
    description: LongText = ""
    kind: Kind = Kind.job
    required_skills: list[Skill] = Field(min_length=1, max_length=MAX_SKILLS)
    nice_skills: list[Skill] = Field(default_factory=list, max_length=MAX_SKILLS)
    languages: dict[LANGUAGE_KEY, CEFR] = _languages_field()
    location: ShortText | None = None
    remote: bool = False
    seats: int = Field(default=1, ge=1, le=1000)
    starts_on: dt.date | None = None
    work_permit_required: bool = True
    external_id: ShortText | None = None
    text_language: LanguageCode | None = TEXT_LANGUAGE


SENSITIVE_FIELDS: tuple[str, ...] = ("nationality", "origin", "status")
# What a company sees of a consenting graduate (the blind view) and all that is scored of them.
# Languages are shown only where a posting asks for them: the full list (say `ti: C2`) hints at origin.
COMPANY_VISIBLE: tuple[str, ...] = ("headline", "skills", "projects", "location", "available_from", "kinds")
