"""Tables and the engine: the database is the source of truth, the FAISS index a copy.

Profiles are stored as validated JSON documents next to the few columns we
look up by; sensitive fields live in their own column so exports and
company views can leave them out without touching the profile.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class OrganisationRow(Base):
    """A coding school: its coordinators see its graduates and companies."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class CompanyRow(Base):
    __tablename__ = "companies"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))


class CandidateRow(Base):
    # An external id names a graduate within one school: another school may use the same one.
    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("org_id", "external_id", name="uq_candidates_org_external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    profile: Mapped[dict] = mapped_column(JSON)
    sensitive: Mapped[dict] = mapped_column(JSON, default=dict)
    text_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class PostingRow(Base):
    __tablename__ = "postings"
    __table_args__ = (UniqueConstraint("org_id", "external_id", name="uq_postings_org_external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    profile: Mapped[dict] = mapped_column(JSON)
    text_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class EmbeddingRow(Base):
    """Embedding cache keyed by a hash of (model, text): the same text is never encoded twice."""

    __tablename__ = "embeddings"

    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class TokenRow(Base):
    """An API key: only its SHA-256 is stored, the secret is shown once at creation."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), nullable=True)
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class PageLanguageRow(Base):
    """The page language a person chose, so it follows them to another phone or browser.
    `person` is "graduate:<candidate id>", "company:<company id>" or "token:<token id>"
    (coordinators are their token)."""

    __tablename__ = "page_languages"

    person: Mapped[str] = mapped_column(String(40), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))


class SignInLinkRow(Base):
    """A one-time sign-in link for a graduate or a company: only the code's SHA-256 is stored;
    `used_at` is set by the one exchange that may happen before `expires_at`."""

    __tablename__ = "signin_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), nullable=True, index=True)
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class InterviewRow(Base):
    """A company's shortlist entry for a graduate; accepting it lifts the blind view."""

    __tablename__ = "interviews"
    __table_args__ = (UniqueConstraint("posting_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    posting_id: Mapped[int] = mapped_column(Integer, index=True)
    candidate_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default="invited")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditRow(Base):
    """Who read which profile, when: ids and action only, never the profile's content."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_candidate", "candidate_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    candidate_id: Mapped[int] = mapped_column(Integer)


class FairRow(Base):
    """A job fair: what the coordinator asked for, and the latest plan."""

    __tablename__ = "fairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict] = mapped_column(JSON)
    schedule: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class OutcomeRow(Base):
    """What happened after a match (shortlisted … hired, declined, no-show): the evidence the
    fairness audit and the learned blend read. Ids only; erased with the graduate."""

    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_org_date", "org_id", "happened_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    candidate_id: Mapped[int] = mapped_column(Integer, index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    fair_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    event: Mapped[str] = mapped_column(String(30))
    happened_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class BlendModelRow(Base):
    """An organisation's last trained blend: its weights (when it went live) and the training report,
    so every process and every restart ranks that organisation's lists with the same blend."""

    __tablename__ = "blend_models"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    live: Mapped[bool] = mapped_column(Boolean)
    weights: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # None: the configured blend ranks
    report: Mapped[dict] = mapped_column(JSON)
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ChangeRow(Base):
    """The change feed: every committed write, in order, so other processes can follow it."""

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    side: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


def make_engine(url: str) -> Engine:
    """Create the engine and bring the schema to the newest migration.

    SQLite gets WAL and a busy timeout so readers never block the writer, and
    `secure_delete` so a deleted row's bytes are zeroed, not left in free space;
    a new database file (and the folder made for it) is the owner's only: 0600
    in 0700, and SQLite gives its -wal and -shm files the database file's mode.
    PostgreSQL (`postgresql+psycopg://…`, extra `bridgematch[postgres]`) a pre-ping pool.
    """
    from service.migrate import normalise_url, upgrade

    url = normalise_url(url)
    if url.startswith("sqlite:///"):
        _create_private_file(url[len("sqlite:///") :])
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise RuntimeError(
                f"{url.split('://')[0]} needs its driver: pip install 'bridgematch[postgres]'"
            ) from exc

        @event.listens_for(engine, "handle_error")
        def _out_of_range(context):  # type: ignore[no-untyped-def]
            # An id beyond an INTEGER column names no row: report it as SQLite's driver does
            # (OverflowError, which the API answers with 404), not as a server error.
            if getattr(context.original_exception, "sqlstate", None) == "22003":
                return OverflowError(f"integer out of range: {context.original_exception}")
            return None

    upgrade(engine)
    return engine


def _create_private_file(name: str) -> None:
    """Create a missing SQLite file as 0600 (and its missing folders as 0700) before SQLite opens it,
    which would otherwise create it readable by everyone (0644 under the usual umask).

    An existing file keeps its mode: the operator may have chosen it. `:memory:` and
    URI file names (`file:…`) are left to SQLite.
    """
    import os
    from pathlib import Path

    from matching.retrieval.private_dirs import make_private_dir

    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name).expanduser()
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # the umask may have narrowed it


def make_sessions(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
