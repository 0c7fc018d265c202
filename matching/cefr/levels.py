"""Languages with CEFR levels, and whether a candidate's meet a posting's.

CEFR levels are ordered A1 < A2 < B1 < B2 < C1 < C2; a posting asking for
`es: B2` is met by B2, C1 or C2 and not by A2. Codes are ISO 639-1/-3 in
lower case so `ES` and `es` are the same language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated

from pydantic import StringConstraints

from matching.cefr.codes import is_known


class CEFR(str, Enum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return _ORDER[self.value]


_ORDER = {level: i for i, level in enumerate(["A1", "A2", "B1", "B2", "C1", "C2"])}
_CODE = re.compile(r"[A-Za-z]{2,3}")
LANGUAGE_KEY = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$")]
"""A language dict's key as the schema documents it: 2 or 3 ASCII letters, any case (stored lower-case)."""


def language_keys_schema(schema: dict) -> None:
    """JSON schema of a language dict: keys by `propertyNames`, which refuses other keys, where
    pydantic's `patternProperties` alone would let any key through (use as `json_schema_extra`)."""
    patterns = schema.pop("patternProperties", None)
    if patterns:
        ((pattern, value),) = patterns.items()
        schema["propertyNames"] = {"pattern": pattern}
        schema["additionalProperties"] = value


def parse_languages(text: str) -> dict[str, str]:
    """Read `es:B2; en:C1` (the CSV form) into a mapping; raises ValueError with the bad part."""
    result: dict[str, str] = {}
    for part in re.split(r"[;,|]", text):
        part = part.strip()
        if not part:
            continue
        code, sep, level = part.partition(":")
        if not sep:
            code, sep, level = part.partition("=")
        if not sep:
            raise ValueError(f"language {part!r} should look like 'es:B2'")
        result[code.strip()] = level.strip()
    return result


def validate_languages(value: object, *, known_only: bool = True) -> object:
    """Normalise codes and levels so `{'ES': 'b2'}` means `{'es': 'B2'}`; unknown levels fail.

    With `known_only` (every new write) a code must also be a language code we know
    (`matching.cefr.codes`): `esp` is refused instead of becoming a language nobody asks for.
    Rows read back from storage pass `known_only=False`, so older data still loads.
    """
    if isinstance(value, str):
        value = parse_languages(value)
    if not isinstance(value, dict):
        return value  # pydantic reports the type error
    out: dict[str, str] = {}
    for code, level in value.items():
        if not isinstance(code, str) or not _CODE.fullmatch(code.strip()):
            raise ValueError(f"language code {code!r} must be 2 or 3 letters (ISO 639), e.g. 'es'")
        if known_only and not is_known(code):
            raise ValueError(f"language code {code.strip()!r} is not a language code we know; "
                             "use the ISO 639-1 code, e.g. 'es' for Spanish, 'ar' for Arabic")
        if not isinstance(level, str) or level.strip().upper() not in _ORDER:
            raise ValueError(
                f"level {level!r} for {code!r} is not a CEFR level (A1, A2, B1, B2, C1, C2)"
            )
        out[code.strip().lower()] = level.strip().upper()
    return out


@dataclass(frozen=True)
class LanguageFit:
    code: str
    required: str
    have: str | None
    ok: bool


def language_fit(have: dict[str, CEFR], need: dict[str, CEFR]) -> list[LanguageFit]:
    """Per required language: the level asked, the level held, and whether it suffices."""
    fits = []
    for code, level in sorted(need.items()):
        held = have.get(code)
        ok = held is not None and CEFR(held).rank >= CEFR(level).rank
        fits.append(LanguageFit(code, CEFR(level).value, CEFR(held).value if held else None, ok))
    return fits


def languages_ok(have: dict[str, CEFR], need: dict[str, CEFR]) -> bool:
    return all(f.ok for f in language_fit(have, need))
