"""The pages' message catalogue: what is extracted from the templates and the page code.

`python -m service.web.catalogue` re-extracts every msgid (templates through Jinja2's babel
extractor, `_()`; page modules through babel's Python extractor, `N_()`) and merges it into
each `service/locale/<lang>/LC_MESSAGES/messages.po`, keeping the translations that exist and
adding new msgids with an empty msgstr for a translator to fill in. The test suite checks that
no msgid is left untranslated (`tests/service/web/test_i18n.py`).
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po
from jinja2.ext import babel_extract

from service.web.i18n import SOURCE, UI_LANGUAGES, catalogue_path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
PAGE_CODE = ROOT / "web"
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true",
                 "newstyle_gettext": "true"}


def extract_messages() -> dict[str, list[str]]:
    """Every msgid of the pages → where it is used ("graduate/matches.html:12")."""
    found: dict[str, list[str]] = {}

    def add(messages: object, where: str) -> None:
        for line, message, _comments, _context in messages:  # type: ignore[attr-defined]
            texts = message if isinstance(message, tuple) else (message,)
            for text in texts:
                if text:
                    found.setdefault(text, []).append(f"{where}:{line}")

    for path in sorted(TEMPLATES.rglob("*.html")):
        with path.open("rb") as handle:
            add(extract(babel_extract, handle, keywords={"_": None, "gettext": None},  # type: ignore[arg-type]
                        options=JINJA_OPTIONS), str(path.relative_to(TEMPLATES)))
    for path in sorted(PAGE_CODE.glob("*.py")):
        with path.open("rb") as handle:
            add(extract("python", handle, keywords={"N_": None}), str(path.relative_to(ROOT.parent)))
    return found


def update_catalogues() -> dict[str, int]:
    """Merge the extracted msgids into every language's .po; returns msgids left to translate."""
    messages = extract_messages()
    missing: dict[str, int] = {}
    for lang in UI_LANGUAGES:
        if lang == SOURCE:
            continue
        path = catalogue_path(lang)
        old: Catalog | None = None
        if path.exists():
            with path.open("rb") as handle:
                old = read_po(handle, locale=lang)
        catalog = Catalog(locale=lang, project="bridgematch", fuzzy=False)
        for msgid, places in sorted(messages.items()):
            kept = old.get(msgid) if old is not None else None
            catalog.add(msgid, kept.string if kept is not None else "",
                        locations=[(f, int(n)) for f, n in (p.rsplit(":", 1) for p in places[:3])])
        missing[lang] = sum(1 for m in catalog if m.id and not m.string)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, sort_output=True, omit_header=False)
        path.write_bytes(buffer.getvalue())
    return missing


if __name__ == "__main__":
    for language, count in update_catalogues().items():
        print(f"{language}: {count} msgids to translate")
