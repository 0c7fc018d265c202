"""HTTP shapes: the engine's records plus ids, and match lists with explanations."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from matching.records.profiles import (
    STORED,
    CandidateProfile,
    NonEmptyShort,
    PostingRecord,
    ShortText,
)


def _as_stored(model: BaseModel, data: dict[str, Any]) -> None:
    """Validate an answer's record as storage does: text saved before a newer input rule (a
    control character in a name) is shown as it is, not a 500."""
    model.__pydantic_validator__.validate_python(data, self_instance=model, context=STORED)


class CandidateOut(CandidateProfile):
    id: int

    def __init__(self, **data: Any) -> None:
        _as_stored(self, data)


class PostingOut(PostingRecord):
    id: int

    def __init__(self, **data: Any) -> None:
        _as_stored(self, data)


class Page(BaseModel):
    total: int
    offset: int
    limit: int


class CandidateList(Page):
    items: list[CandidateOut]


class PostingList(Page):
    items: list[PostingOut]


class LanguageFitOut(BaseModel):
    code: str
    required: str
    have: str | None
    ok: bool


class ExplanationOut(BaseModel):
    matched_skills: list[str]
    missing_skills: list[str]
    missing_required_skills: list[str]
    languages_ok: bool | None
    languages: list[LanguageFitOut]
    signals: dict[str, float]
    matched_concepts: list[str] = Field(default_factory=list, description="ESCO skills both sides share")


class CandidateCard(BaseModel):
    """A graduate as a company sees them: the work, and the name only after an accepted interview.

    Everything a company's ranking of graduates is computed from is on this card.
    """

    headline: str
    skills: list[str]
    projects: list[str] = Field(default_factory=list)
    languages: dict[str, str] = Field(
        description="only the languages the posting asks for (none in free-text search)"
    )
    location: str
    available_from: str | None
    kinds: list[str]
    name: str | None = None


class MatchOut(BaseModel):
    id: int
    score: float
    explanation: ExplanationOut
    title: str | None = None
    company: str | None = None
    kind: str | None = None
    headline: str | None = None
    candidate: CandidateCard | None = None


class NearMissOut(MatchOut):
    reason: str = Field(description='the one rule this pair fails, e.g. "languages: needs es B1, has A2"')


class SkillStepOut(BaseModel):
    skill: str
    postings: int = Field(description="of these matches, how many ask for it")
    required: int = Field(description="of those, how many require it")


class LanguageStepOut(BaseModel):
    code: str
    level: str = Field(description="the CEFR level to reach")
    have: str | None
    postings: int = Field(description="relevant postings this step alone would open")


class LearnNext(BaseModel):
    skills: list[SkillStepOut]
    languages: list[LanguageStepOut]


class MatchList(BaseModel):
    items: list[MatchOut]
    considered: int | None = Field(None, description="records the list was chosen from")
    eligible: int | None = Field(None, description="of those, how many pass every rule")
    removed: dict[str, int] = Field(
        default_factory=dict, description="per rule, how many records it removed (one may fail several)"
    )
    near_misses: list[NearMissOut] = Field(
        default_factory=list, description="the best records that fail exactly one rule, and which"
    )
    message: str | None = Field(None, description="why the list is as long as it is, in plain words")
    learn_next: LearnNext | None = Field(
        None, description="a graduate's list: skills their matches ask for, language steps that open postings"
    )


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000)
    side: Literal["postings", "candidates"] = "postings"
    limit: int = Field(10, ge=1, le=100)


class Created(BaseModel):
    id: int


class ImportReport(BaseModel):
    imported: int
    ids: list[int]


class Health(BaseModel):
    status: str
    model: str
    # The serving process that answered, under `serve --workers N` (0 to N-1); null with one process.
    worker: int | None = None


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["coordinator", "company", "graduate"]
    company: NonEmptyShort | None = Field(None, description="company name (role company)")
    candidate_id: StrictInt | None = Field(None, description="the graduate's id, a JSON number (role graduate)")
    label: ShortText = ""


class CompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NonEmptyShort = Field(description="the company's name, unique in the organisation")


class CompanyOut(BaseModel):
    id: int
    name: str


class TokenCreated(BaseModel):
    id: int
    role: str
    token: str = Field(description="shown once; only its hash is stored")


class SignInLinkIn(BaseModel):
    """Who a one-time sign-in link is for: a graduate by id, or a company by name."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["company", "graduate"]
    company: NonEmptyShort | None = Field(None, description="company name (role company)")
    candidate_id: StrictInt | None = Field(None, description="the graduate's id, a JSON number (role graduate)")


class SignInLinkCreated(BaseModel):
    role: str
    path: str = Field(description="open once, before expires_at, to be signed in: /signin/{code}")
    expires_at: str
    minutes: int


class TokenInfo(BaseModel):
    id: int
    role: str
    company_id: int | None
    candidate_id: int | None
    label: str
    revoked: bool


class InterviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posting_id: int
    candidate_id: int


class InterviewOut(BaseModel):
    id: int
    posting_id: int
    candidate_id: int
    company_id: int
    status: str


class AuditEntry(BaseModel):
    at: str
    token_id: int | None
    role: str
    action: str
    candidate_id: int


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    """Every 4xx answer: a sentence a person can act on, and for 422 the failing fields."""

    detail: str
    errors: list[ErrorItem] | list[str] | None = None


ERROR_RESPONSES: dict[int | str, dict] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        400: "the body could not be parsed (not UTF-8, malformed or nested too deeply)",
        401: "missing, invalid or revoked token",
        403: "this role may not use this endpoint",
        404: "no such record (or not yours)",
        409: "conflicts with existing data",
        413: "request body too large, or an import file over the row, column or unpacked-size limit",
        422: "invalid input; `errors` names each field",
    }.items()
}
