"""Documents in, profile out: `POST /candidates:draft` from a CV, `POST /postings:draft` from a job ad.

The body is a file (multipart field `file`: PDF, DOCX or text) or the text
itself (form field `text`, or JSON `{"text": …}`). The answer is a draft in
the record's schema with, per field, where it was read and how surely; it is
not saved. Who may draft is who may create: coordinators for graduates,
coordinators and companies for postings (a company's draft names it). A graduate drafts
their own profile only, through `POST /candidates/{id}:draft` (403 for any other id).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from service.deps import MatcherDep, SettingsDep
from service.intake_schemas import DraftOut
from service.settings import Settings
from service.usecases import intake as cases
from service.usecases.rules import caller

router = APIRouter(tags=["intake"])
_JSON_BODY = {"requestBody": {"content": {"application/json": {"schema": {
    "type": "object", "required": ["text"], "additionalProperties": False,
    "properties": {"text": {"type": "string", "description": "the CV or job ad as plain text"}}}}}}}
FILE = File(description="the document: PDF (with a text layer), DOCX or plain text")
TEXT = Form(description="or the document's text, pasted")


async def _body(request: Request, file: UploadFile | None, text: str | None,
                settings: Settings) -> tuple[bytes | None, str | None, str]:
    if (request.headers.get("content-type") or "").split(";")[0].strip().lower() == "application/json":
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            raise HTTPException(422, "invalid input: the body is not JSON; send {\"text\": \"…\"}") from exc
        if not isinstance(body, dict) or set(body) != {"text"} or not isinstance(body["text"], str):
            raise HTTPException(422, "invalid input: text: send a JSON object with one string field, \"text\"")
        return None, body["text"], ""
    if file is not None and text is not None:
        raise HTTPException(422, "invalid input: send a file or a text, not both")
    if file is None:
        return None, text, ""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(413, f"file is larger than {settings.max_upload_bytes} bytes")
    return data, None, file.filename or ""


@router.post("/candidates:draft", response_model=DraftOut, openapi_extra=_JSON_BODY)
async def draft_candidate(
    request: Request, principal: caller(cases.candidate_draft), matcher: MatcherDep, settings: SettingsDep,
    file: Annotated[UploadFile | None, FILE] = None, text: Annotated[str | None, TEXT] = None,
) -> DraftOut:
    """A draft graduate profile from a CV (not saved): correct it, add the name if missing, POST /candidates."""
    return await cases.candidate_draft(matcher, principal, settings, *await _body(request, file, text, settings))


@router.post("/candidates/{rid}:draft", response_model=DraftOut, openapi_extra=_JSON_BODY)
async def draft_own_candidate(
    rid: int, request: Request, principal: caller(cases.own_candidate_draft), matcher: MatcherDep,
    settings: SettingsDep, file: Annotated[UploadFile | None, FILE] = None,
    text: Annotated[str | None, TEXT] = None,
) -> DraftOut:
    """"Start from my CV": a draft of graduate `rid`'s profile from their CV, not saved; review it and
    PUT /candidates/{rid}. Graduates for themselves only (403 otherwise), coordinators for their own."""
    return await cases.own_candidate_draft(matcher, principal, settings, rid,
                                           *await _body(request, file, text, settings))


@router.post("/postings:draft", response_model=DraftOut,
             openapi_extra=_JSON_BODY)
async def draft_posting(
    request: Request, principal: caller(cases.posting_draft), matcher: MatcherDep, settings: SettingsDep,
    file: Annotated[UploadFile | None, FILE] = None, text: Annotated[str | None, TEXT] = None,
) -> DraftOut:
    """A draft posting from a job ad (not saved); a company token's draft names its company."""
    return await cases.posting_draft(matcher, principal, settings, *await _body(request, file, text, settings))
