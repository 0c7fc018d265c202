"""HTML forms to the API's own input models, and validation errors back to form fields.

Repeated inputs carry lists: one `skill` input per skill, `lang_code`/`lang_level` pairs
per language. Empty rows are ignored, so the blank rows a form offers cost nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from matching.records.profiles import SENSITIVE_FIELDS, CandidateProfile, Kind, PostingRecord
from service.web.page import PageError, form_list

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LANGUAGES = {
    "ar": "Arabic", "am": "Amharic", "bn": "Bengali", "ca": "Catalan", "de": "German", "en": "English",
    "es": "Spanish", "fa": "Persian (Farsi/Dari)", "fr": "French", "hr": "Croatian", "it": "Italian",
    "ka": "Georgian", "ku": "Kurdish", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "so": "Somali", "sq": "Albanian", "sw": "Swahili", "ti": "Tigrinya", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "wo": "Wolof", "yo": "Yoruba",
}
KINDS = [k.value for k in Kind]


def field_errors(exc: ValidationError) -> dict[str, str]:
    """First message per top-level field, worded for a person."""
    out: dict[str, str] = {}
    for err in exc.errors():
        key = str(err["loc"][0]) if err["loc"] else "form"
        message = str(err["msg"]).removeprefix("Value error, ")
        out.setdefault(key, message)
    return out


def _languages(form: FormData) -> dict[str, str]:
    codes, levels = form.getlist("lang_code"), form.getlist("lang_level")
    out: dict[str, str] = {}
    for code, level in zip(codes, levels, strict=False):
        if isinstance(code, str) and code.strip():
            out[code.strip().lower()] = str(level).strip()
    return out


def _date(value: object) -> dt.date | None | str:
    return value.strip() or None if isinstance(value, str) else None


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def candidate_from_form(form: FormData, current: CandidateProfile) -> CandidateProfile:
    """The edited profile; what the form does not show (sensitive fields, external id) is kept.

    Raises:
        ValidationError: with the API's own messages, per field.
    """
    kept = {k: getattr(current, k) for k in (*SENSITIVE_FIELDS, "external_id")}
    data: dict[str, Any] = {
        "name": _text(form, "name"),
        "headline": _text(form, "headline"),
        "summary": _text(form, "summary"),
        "skills": form_list(form, "skill"),
        "projects": [line.strip() for line in _text(form, "projects").splitlines() if line.strip()],
        "languages": _languages(form),
        "location": _text(form, "location"),
        "remote_ok": form.get("remote_ok") == "on",
        "work_permit": form.get("work_permit") == "on",
        "kinds": form_list(form, "kinds"),
        "available_from": _date(form.get("available_from")),
        "visible_to_companies": form.get("visible_to_companies") == "on",
        **kept,
    }
    return CandidateProfile.model_validate(data)


def posting_from_form(form: FormData, *, company: str) -> PostingRecord:
    """A posting from the form; a company's own name is forced by the API whatever is sent."""
    seats = _text(form, "seats") or "1"
    data: dict[str, Any] = {
        "company": _text(form, "company") or company,
        "title": _text(form, "title"),
        "description": _text(form, "description"),
        "kind": _text(form, "kind") or "job",
        "required_skills": form_list(form, "required_skill"),
        "nice_skills": form_list(form, "nice_skill"),
        "languages": _languages(form),
        "location": _text(form, "location") or None,
        "remote": form.get("remote") == "on",
        "seats": seats,
        "starts_on": _date(form.get("starts_on")),
        "work_permit_required": form.get("work_permit_required") == "on",
    }
    external = _text(form, "external_id")
    if external:
        data["external_id"] = external
    return PostingRecord.model_validate(data)


def as_form_values(record: CandidateProfile | PostingRecord | None) -> dict[str, Any]:
    """A record as the template's field values (lists stay lists)."""
    if record is None:
        return {}
    return record.model_dump(mode="json")


def submitted_values(form: FormData) -> dict[str, Any]:
    """What the person typed, to show again next to the errors (nothing they typed is lost)."""
    languages = _languages(form)
    return {
        **{k: v for k, v in form.items() if isinstance(v, str)},
        "skills": form_list(form, "skill"),
        "required_skills": form_list(form, "required_skill"),
        "nice_skills": form_list(form, "nice_skill"),
        "kinds": form_list(form, "kinds"),
        "languages": languages,
        "projects": [line for line in _text(form, "projects").splitlines() if line.strip()],
        "remote_ok": form.get("remote_ok") == "on",
        "work_permit": form.get("work_permit") == "on",
        "visible_to_companies": form.get("visible_to_companies") == "on",
        "remote": form.get("remote") == "on",
        "work_permit_required": form.get("work_permit_required") == "on",
    }


async def uploaded_document(form: FormData, max_bytes: int, missing: str) -> tuple[bytes | None, str | None, str]:
    """(file bytes, pasted text, file name) of a "Start from a document" form: the file wins,
    larger than `max_bytes` is refused (413); with neither, `missing` says what to send (422)."""
    upload, text = form.get("file"), form.get("text")
    data, name = None, ""
    if isinstance(upload, UploadFile) and upload.filename:
        data, name = await upload.read(max_bytes + 1), upload.filename
        if len(data) > max_bytes:
            raise PageError(413, f"The file is larger than {max_bytes} bytes.")
    pasted = text if isinstance(text, str) and text.strip() and data is None else None
    if data is None and pasted is None:
        raise PageError(422, missing)
    return data, pasted, name
