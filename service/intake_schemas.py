"""HTTP shapes of a draft: the record's fields as read, and where each was read and how surely."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Provenance(BaseModel):
    """Where a value was read: character offsets into `DraftOut.text`, 0-based line, section."""

    start: int
    end: int
    line: int = Field(description="0-based line of `text`; -1 when the value is a default, not read")
    section: str | None = Field(None, description='heading the line sits under, e.g. "skills", "required"')
    confidence: float = Field(ge=0, le=1)


class FieldOut(Provenance):
    value: Any


class ConceptOut(BaseModel):
    uri: str
    label: str
    confidence: float


class SkillOut(Provenance):
    name: str
    how: Literal["listed", "named"] = Field(description="listed under a skills heading, or named in running text")
    concept: ConceptOut | None = Field(None, description="the ESCO skill the engine's mapper gives it (ranking's)")
    required: bool | None = Field(None, description="postings: required (true) or nice to have (false)")


class LanguageOut(Provenance):
    code: str
    level: str | None = Field(description="CEFR level read beside the name; null when none was written")


class LinkOut(Provenance):
    url: str


class SourceOut(BaseModel):
    format: Literal["pdf", "docx", "txt", "text"]
    pages: int | None = None
    characters: int


class DraftOut(BaseModel):
    """Not saved: correct `draft`, add what is `missing`, then POST it to /candidates or /postings."""

    kind: Literal["candidate", "posting"]
    draft: dict[str, Any] = Field(description="fields of CandidateProfile or PostingRecord, as read")
    fields: dict[str, FieldOut] = Field(description="per field of `draft`: its value, where and how surely")
    skills: list[SkillOut]
    languages: list[LanguageOut]
    links: list[LinkOut]
    missing: list[str] = Field(description="required fields of the record that were not found")
    text_language: str | None = Field(None, description="ISO 639-1 code of the document's language")
    source: SourceOut
    text: str = Field(description="the document's text as read; every offset points into it")
