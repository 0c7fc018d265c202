"""The pages in the graduates' languages: which language a request gets, and its catalogue.

Catalogues live as `service/locale/<lang>/LC_MESSAGES/messages.po` under version control.
They are compiled in memory (babel's `write_mo`) the first time a language is used, so a
clean clone needs no build step and no generated `.mo` file can drift from its `.po`.

The language is the `bm_lang` cookie (set by the picker on every page, `/ui/lang/{code}`, and
at sign-in from the choice stored with the person), else the best match of the browser's Accept-Language, else English (the source language).
Each language has its own Jinja2 environment with `jinja2.ext.i18n` installed, so concurrent
requests in different languages never share a translation.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request
from starlette.responses import Response

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANG_COOKIE = "bm_lang"
SOURCE = "en"
UI_LANGUAGES: dict[str, str] = {
    "en": "English", "es": "Español", "ca": "Català", "ar": "العربية", "uk": "Українська",
    "hr": "Hrvatski", "fr": "Français",
}
"""Each language of the pages, named in itself (the picker shows these names)."""
RTL = frozenset({"ar"})


def N_(message: str) -> str:
    """Mark a Python string for extraction; it is translated where it is shown (`_()` in a template)."""
    return message


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (the source language and unknown ones translate to themselves)."""
    path = catalogue_path(lang)
    if lang == SOURCE or lang not in UI_LANGUAGES or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def _accepted(header: str) -> list[str]:
    """Accept-Language tags best first ("uk-UA,uk;q=0.9,en;q=0.5" → uk, uk, en); bad q counts 0."""
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            weighted.append((-q, i, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def set_language_cookie(response: Response, lang: str) -> None:
    """Remember the page language in this browser for a year (the person's choice is also
    stored with them when signed in: `service.usecases.page_language`)."""
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/ui", samesite="lax", httponly=True)


def language_of(request: Request) -> str:
    """The page language of this request: cookie, then Accept-Language, then English."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in UI_LANGUAGES:
        return chosen
    for tag in _accepted(request.headers.get("accept-language", "")):
        primary = tag.split("-", 1)[0]
        if primary in UI_LANGUAGES:
            return primary
    return SOURCE


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


REASONS = {
    "kind": N_("The kind of work does not fit"),
    "location": N_("The city does not fit"),
    "work permit": N_("The posting needs a work permit"),
    "languages": N_("A language level is too low"),
    "availability": N_("The start date does not fit"),
    "consent": N_("Not visible to companies"),
}
"""Near-miss reasons come from the engine as "rule: details"; the page names the rule in its
language and keeps the details (the data) as they are."""


def reason_rule(reason: str) -> str | None:
    """The English rule sentence for an engine reason, or None when the rule is not one we know."""
    rule = reason.split(":", 1)[0].strip().lower()
    return REASONS.get(rule)


COMMON_CODES = (
    "am", "ar", "bn", "ca", "de", "en", "es", "fa", "ff", "fr", "ha", "hr", "ig", "it", "ka", "ku", "pa",
    "pl", "ps", "pt", "ro", "ru", "so", "sq", "sw", "ti", "tr", "tt", "uk", "ur", "wo", "yo", "zh",
    "bs", "sr", "hi", "ln", "om", "ckb", "fil",
)
"""The languages the profile and posting forms offer (plus whatever a record already names)."""


@cache
def language_names(lang: str) -> dict[str, str]:
    """Language code → its name in the page language (babel's CLDR data), for every known code."""
    from babel import Locale

    from matching.cefr.codes import KNOWN_CODES

    names = Locale.parse(lang).languages
    return {code: names[code] for code in sorted(KNOWN_CODES) if code in names}


def language_choices(lang: str, extra: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, label) for the form's picker, by name in the page language; the language's own
    name follows when it differs ("árabe · العربية"), so a graduate finds it whatever the page."""
    from babel import Locale, UnknownLocaleError

    names, english = language_names(lang), language_names(SOURCE)
    out: dict[str, str] = {}
    for code in (*COMMON_CODES, *extra):
        label = names.get(code) or english.get(code) or code
        try:
            own = Locale.parse(code).language_name or ""
        except (UnknownLocaleError, ValueError):
            own = ""
        if own and own.casefold() != label.casefold():
            label = f"{label} · {own}"
        out[code] = label
    return sorted(out.items(), key=lambda item: item[1].casefold())
