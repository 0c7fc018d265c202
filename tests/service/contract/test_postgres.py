"""Storage on PostgreSQL as on SQLite: migrations, the change feed under concurrent writers, the cache.

Tests taking `settings` or marked `both_backends` run once per backend (tests/conftest.py);
those taking `pg_cluster` need PostgreSQL itself: a throw-away cluster (tests/pg.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.orm import Session

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from service import migrate
from service.db import (
    Base,
    CandidateRow,
    ChangeRow,
    EmbeddingRow,
    OrganisationRow,
    make_engine,
    make_sessions,
)
from service.settings import Settings
from service.storage import changes, embeddings, records
from tests.pg import Cluster

pytestmark = pytest.mark.both_backends

_numbers = itertools.count(1)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database of the test's backend."""
    if backend != "postgresql":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"empty_{next(_numbers)}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


def _schema_diff(engine: Engine) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)


def test_head_is_read_as_alembic_reads_it() -> None:
    from alembic.script import ScriptDirectory

    assert migrate.head() == ScriptDirectory.from_config(migrate._config()).get_current_head()


@pytest.mark.both_backends
def test_a_new_database_is_migrated_to_exactly_the_models(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            assert migrate.current(connection) == migrate.head()
        assert _schema_diff(engine) == []  # the migrations create what service/db.py declares
        assert migrate.BASELINE_TABLES <= set(inspect(engine).get_table_names())
        assert migrate.upgrade(engine) == migrate.head()  # and a second run changes nothing
    finally:
        engine.dispose()


def test_the_baseline_revision_is_the_first_migration() -> None:
    from alembic.script import ScriptDirectory

    base = ScriptDirectory.from_config(migrate._config()).get_revision(migrate.BASELINE)
    assert base.down_revision is None
    assert migrate.BASELINE_TABLES <= set(Base.metadata.tables)


@pytest.mark.both_backends
def test_a_database_from_before_migrations_is_stamped_and_keeps_its_rows(empty_url: str) -> None:
    old = create_engine(empty_url)
    # what make_engine did before migrations, by a version older than the change feed
    # (only tables of the baseline revision: later ones, such as outcomes, came with migrations)
    Base.metadata.create_all(old, tables=[t for name, t in Base.metadata.tables.items()
                                          if name in migrate.BASELINE_TABLES and name != "changes"])
    with old.begin() as connection:
        connection.execute(OrganisationRow.__table__.insert().values(name="Migracode"))
    old.dispose()
    engine = make_engine(empty_url)
    try:
        with engine.connect() as connection:
            assert migrate.current(connection) == migrate.head()
            assert connection.execute(select(OrganisationRow.name)).scalars().all() == ["Migracode"]
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


@pytest.mark.both_backends
def test_cli_db_upgrade(empty_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from service.cli import app
    from service.settings import get_settings

    monkeypatch.setenv("BRIDGEMATCH_DATABASE_URL", empty_url)
    get_settings.cache_clear()
    try:
        for _ in range(2):  # idempotent
            result = CliRunner().invoke(app, ["db", "upgrade"])
            assert result.exit_code == 0, result.output
            assert f"revision {migrate.head()}" in result.output
    finally:
        get_settings.cache_clear()


def test_storage_round_trip_and_change_feed(settings: Settings, encoder) -> None:  # type: ignore[no-untyped-def]
    """Rows, JSON documents, vectors and the feed come back as written, on either backend."""
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    try:
        person = CandidateProfile(
            name="Zoë Ñandú 李", skills=["Python", "SQL"], languages={"ar": "C2", "es": "B2"},
            summary="Aprendí Django en Barcelona — «pruebas» primero", nationality="Syrian",
            external_id="round-trip-1",
        )
        with sessions.begin() as session:
            start = changes.last_change(session)
            (rid,) = records.insert_rows(session, side=Side.candidates, records=[person], hashes=["h" * 64],
                                       owners=[Owner(1)])
            first = changes.record_changes(session, side=Side.candidates, ids=[rid])
        with sessions.begin() as session:
            second = changes.record_changes(session, side=Side.candidates, ids=[rid])
            vector = encoder.encode(["Zoë"])[0]
            embeddings.put_vectors(session, vectors={"v" * 64: vector}, model=encoder.name)
        with sessions.begin() as session:  # caching a known text again is a no-op, not a conflict
            embeddings.put_vectors(session, vectors={"v" * 64: vector}, model=encoder.name)
        with sessions() as session:
            assert records.from_row(Side.candidates, records.get_row(session, side=Side.candidates, rid=rid)) == person
            assert second[0] > first[0] > start
            assert changes.changes_since(session, seq=start)[-2:] == [(first[0], Side.candidates, rid),
                                                                   (second[0], Side.candidates, rid)]
            cached = embeddings.cached_vectors(session, hashes=["v" * 64], dim=encoder.dim)
            assert np.array_equal(cached["v" * 64], vector)
            assert session.scalar(select(func.count()).select_from(EmbeddingRow)
                                  .where(EmbeddingRow.text_hash == "v" * 64)) == 1
    finally:
        engine.dispose()


def test_ids_beyond_the_integer_columns_are_404(client: TestClient) -> None:
    """PostgreSQL's INTEGER stops at 2**31 - 1 (SQLite's at 2**63 - 1): either way, no such row."""
    for rid in (2**31, 2**40, 2**64):
        for path in (f"/fairs/{rid}", f"/fairs/{rid}/schedule", f"/candidates/{rid}"):
            assert client.get(path).status_code == 404, path
        assert client.get("/audit", params={"candidate_id": rid}).status_code in (200, 404)


def test_text_with_nul_characters_is_refused_on_every_backend(client: TestClient) -> None:
    """PostgreSQL text columns cannot hold NUL (0x00): refused as input (422), never a 500."""
    body = {"name": "N", "skills": ["JS"], "location": "Barcelona", "external_id": "nul\x00id"}
    response = client.post("/candidates", json=body)
    assert response.status_code == 422 and "NUL" in response.json()["detail"]
    token = client.post("/tokens", json={"role": "company", "company": "Sol\x00 SL"})
    assert token.status_code == 422, token.text  # a company name goes to a text column too
    assert client.get("/candidates", params={"limit": 500}).json()["total"] == 42


# ---- PostgreSQL only: several processes writing one database --------------------------------
@pytest.fixture
def pg_engine(pg_cluster: Cluster) -> Iterator[Engine]:
    name = f"feed_{next(_numbers)}"
    engine = make_engine(pg_cluster.create_database(name))
    yield engine
    engine.dispose()
    pg_cluster.drop_database(name)


def test_servers_starting_together_create_the_schema_once(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database(f"race_{next(_numbers)}")
    barrier, engines, failures = threading.Barrier(4), [], []

    def start() -> None:
        barrier.wait()
        try:
            engines.append(make_engine(url))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == [] and len(engines) == 4
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        for engine in engines:
            engine.dispose()


def test_change_feed_numbers_become_visible_in_commit_order(pg_engine: Engine) -> None:
    """A follower reads the feed by number; a later number must never commit before an earlier one.

    Writer A draws a number and has not committed; writer B must wait for A's
    commit before drawing its own, else a follower could see B's row, move past
    A's number, and never apply A's write.
    """
    done: dict[str, object] = {}
    with Session(pg_engine) as first:
        (seq_a,) = changes.record_changes(first, side=Side.postings, ids=[1])

        def second_writer() -> None:
            with Session(pg_engine) as second, second.begin():
                done["seq"] = changes.record_changes(second, side=Side.postings, ids=[2])[0]
                done["at"] = time.monotonic()

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.5)
        assert "seq" not in done, "the second writer drew a number while the first had not committed"
        committed = time.monotonic()
        first.commit()
    thread.join(10)
    assert done["seq"] > seq_a and done["at"] >= committed  # type: ignore[operator]
    with Session(pg_engine) as session:
        assert [rid for _, _, rid in changes.changes_since(session, seq=0)] == [1, 2]
        assert session.scalar(select(func.max(ChangeRow.seq))) == done["seq"]


def test_two_writers_caching_the_same_new_text(pg_engine: Engine) -> None:
    """Two servers encoding the same new text at once: both commit, one row is kept."""
    vector = np.ones(4, dtype=np.float32) / 2
    errors: list[Exception] = []
    with Session(pg_engine) as first:
        embeddings.put_vectors(first, vectors={"same": vector}, model="m")
        first.flush()

        def second_writer() -> None:
            try:
                with Session(pg_engine) as second, second.begin():
                    embeddings.put_vectors(second, vectors={"same": vector}, model="m")
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.3)  # the second insert now waits on the first's uncommitted key
        first.commit()
    thread.join(10)
    assert errors == []
    with Session(pg_engine) as session:
        assert session.scalar(select(func.count()).select_from(EmbeddingRow)) == 1
        assert session.scalar(select(func.count()).select_from(CandidateRow)) == 0


@pytest.mark.both_backends
def test_the_language_migration_fills_in_rows_written_before_it(empty_url: str) -> None:
    from alembic import command

    from service.db import CandidateRow

    engine = create_engine(empty_url)
    with engine.begin() as connection:  # the database as the previous version left it
        command.upgrade(migrate._config(connection), "0001")
        connection.execute(OrganisationRow.__table__.insert().values(name="Migracode"))
        for summary in ("Soy desarrolladora web y busco prácticas.", "I build web apps with React.", ""):
            profile = {"name": "Ana", "summary": summary, "skills": ["React", "CSS", "Docker"]}
            connection.execute(CandidateRow.__table__.insert().values(
                org_id=1, profile=profile, sensitive={}, text_hash="h" + summary[:5],
                created_at=dt.datetime.now(dt.UTC), updated_at=dt.datetime.now(dt.UTC),
            ))
    engine.dispose()
    engine = make_engine(empty_url)  # every process migrates on start
    try:
        with engine.connect() as connection:
            profiles = connection.execute(select(CandidateRow.profile).order_by(CandidateRow.id)).scalars().all()
        assert [p["text_language"] for p in profiles] == ["es", "en", None]
        assert profiles[0]["summary"] == "Soy desarrolladora web y busco prácticas."  # nothing else moved
    finally:
        engine.dispose()


@pytest.mark.both_backends
def test_the_per_organisation_migration_frees_external_ids_across_schools(empty_url: str) -> None:
    from alembic import command
    from sqlalchemy.exc import IntegrityError

    now = dt.datetime.now(dt.UTC)

    def graduate(org_id: int, external_id: str) -> dict:
        return {"org_id": org_id, "external_id": external_id, "profile": {"name": "Ana"}, "sensitive": {},
                "text_hash": f"h{org_id}{external_id}", "created_at": now, "updated_at": now}

    engine = create_engine(empty_url)
    with engine.begin() as connection:  # the database as the previous version left it
        command.upgrade(migrate._config(connection), "0002")
        connection.execute(OrganisationRow.__table__.insert(), [{"name": "Migracode"}, {"name": "Another"}])
        connection.execute(CandidateRow.__table__.insert().values(graduate(1, "g001")))
    engine.dispose()
    engine = make_engine(empty_url)  # every process migrates on start
    try:
        with engine.begin() as connection:
            connection.execute(CandidateRow.__table__.insert().values(graduate(2, "g001")))  # another school
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(CandidateRow.__table__.insert().values(graduate(1, "g001")))  # the same one
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(CandidateRow)).scalar() == 2
        assert _schema_diff(engine) == []
        assert "ix_candidates_org_id" in {ix["name"] for ix in inspect(engine).get_indexes("candidates")}
    finally:
        engine.dispose()
