"""Documents in, drafts out: the one path the API, the pages and the CLI take from a file to a draft.

A file is read in a child process killed after `Settings.intake_seconds`
(`service.extraction`: a PDF that takes longer is refused with a clear 422 and
leaves no reader running); the draft is built off the event loop with the
matcher's own skill vocabulary and ESCO mapper, its input bounded by
`Settings.intake_max_chars`.
Nothing is stored and nothing of the content is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from matching.esco.mapper import ConceptMapper
from matching.intake.drafts import Draft, draft_candidate, draft_posting
from matching.skills.vocabulary import SkillVocabulary
from matching.text.detect import detect_language
from service.documents import DocumentError, Extracted
from service.extraction import ReadTimeout, extract_in_child
from service.intake_schemas import (
    ConceptOut,
    DraftOut,
    FieldOut,
    LanguageOut,
    LinkOut,
    SkillOut,
    SourceOut,
)
from service.settings import Settings

DraftKind = Literal["candidate", "posting"]
REQUIRED = {"candidate": ("name", "skills"), "posting": ("company", "title", "required_skills")}


@dataclass(frozen=True)
class Engine:
    """What drafting needs of the engine: the ranking's skill vocabulary and ESCO mapper."""

    vocab: SkillVocabulary
    mapper: ConceptMapper


def read_text(data: bytes | None, text: str | None, filename: str, settings: Settings) -> Extracted:
    """Pasted text as it is, or the uploaded file's text; `DocumentError` when there is none."""
    if text is not None and data is None:
        if not text.strip():
            raise DocumentError("the text is empty; paste the CV or job ad, or upload a text PDF or DOCX")
        return Extracted(text, "text")
    if data is None:
        raise DocumentError("send a file (multipart field `file`) or the text (field `text`)")
    return extract_in_child(data, filename, seconds=settings.intake_seconds, max_pages=settings.intake_max_pages,
                            max_unpacked=settings.max_upload_bytes * 4)


def build_draft(extracted: Extracted, kind: DraftKind, engine: Engine, *, max_chars: int) -> DraftOut:
    """The draft of one document, in the service's shapes."""
    if len(extracted.text) > max_chars:
        raise DocumentError(f"the document holds {len(extracted.text)} characters; a CV or job ad is at most "
                            f"{max_chars}")
    make = draft_candidate if kind == "candidate" else draft_posting
    draft = make(extracted.text, engine.vocab, engine.mapper)
    return as_out(draft, kind, extracted)


def as_out(draft: Draft, kind: DraftKind, extracted: Extracted) -> DraftOut:
    def where(found) -> dict:  # type: ignore[no-untyped-def]
        return {"start": found.start, "end": found.end, "line": found.line, "section": found.section,
                "confidence": found.confidence}

    skills = [
        SkillOut(name=s.name, start=s.start, end=s.end, line=s.line, section=s.section, confidence=s.confidence,
                 how=s.how, required=None if kind == "candidate" else not s.nice,
                 concept=ConceptOut(uri=s.concept.uri, label=s.concept.label, confidence=s.concept.confidence)
                 if s.concept else None)
        for s in draft.skills
    ]
    return DraftOut(
        kind=kind,
        draft=draft.profile,
        fields={name: FieldOut(value=f.value, **where(f)) for name, f in draft.fields.items()},
        skills=skills,
        languages=[LanguageOut(code=f.code, level=f.level, start=f.start, end=f.end, line=f.line,
                               section="languages", confidence=f.confidence) for f in draft.languages],
        links=[LinkOut(url=f.value, **where(f)) for f in draft.links],
        missing=[name for name in REQUIRED[kind] if name not in draft.profile],
        text_language=detect_language(draft.text[:5000]),
        source=SourceOut(format=extracted.format, pages=extracted.pages, characters=len(draft.text)),
        text=draft.text,
    )


async def draft_from(data: bytes | None, text: str | None, filename: str, kind: DraftKind, engine: Engine,
                     settings: Settings) -> DraftOut:
    """Read (in a child process, within the time limit) and draft off the event loop; 422 for a document
    that cannot be read or takes too long to."""
    def work() -> DraftOut:
        extracted = read_text(data, text, filename, settings)
        return build_draft(extracted, kind, engine, max_chars=settings.intake_max_chars)

    try:
        return await run_in_threadpool(work)
    except ReadTimeout as exc:
        raise HTTPException(422, str(exc)) from exc
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from exc
