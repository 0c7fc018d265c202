"""The catalogue: database rows mirrored into the engine's ranker (FAISS, BM25, memory).

Writes go to the database first, in one transaction; only after the commit
is the ranker told (`matching.ranking.pipeline.Ranker.put`/`drop`). If the process dies in between, the
next start-up finds the saved index disagreeing with the database (count and
checksum of (id, text hash) pairs) and rebuilds it from the embedding cache,
so no committed record is ever missing from matches. One process writes
(see README: single writer); reads are safe from many threads. Ranked answers are the
ranker's; the methods below only pass them on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from matching.esco.concept_signal import ConceptSignal
from matching.filters.reference import Dates
from matching.ranking.blend import RELEVANCE_FLOOR, Match, Weights
from matching.ranking.free_text import Found
from matching.ranking.pipeline import Ranker
from matching.ranking.why import Why
from matching.records.shelf import Shelf
from matching.records.sides import Owner, Record, Side, record_text
from matching.retrieval.index import IndexMismatchError, VectorIndex
from matching.skills.vocabulary import SkillVocabulary
from matching.text.recipe import with_text_language
from models.encoder import Encoder, text_hash
from service.lock import WriterLock
from service.storage import blend_models, embeddings
from service.storage import changes as feed
from service.storage import records as record_rows
from service.storage.watch import CommitWatch

__all__ = ["Found", "Matcher", "Progress", "Why", "record_text"]

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
SAVE_EVERY_WRITE_UP_TO = 20_000


class Matcher:
    """Holds the warm model and indexes; every HTTP route and CLI command goes through it."""

    def __init__(
        self,
        *,
        sessions: sessionmaker,
        encoder: Encoder,
        vocab: SkillVocabulary,
        index_dir: Path,
        weights: Weights,
        pool: int = 150,
        read_only: bool = False,
        sync_seconds: float = 1.0,
        index_options: dict[str, int] | None = None,
        cache_size: int = 2048,
        concepts: ConceptSignal | None = None,
        start_slack_days: int = 14,
    ) -> None:
        self.sessions = sessions
        self.encoder = encoder
        self.index_dir = index_dir
        self.index_options = index_options or {}
        self.ranker = Ranker(
            encoder=encoder, vocab=vocab, weights=weights, new_index=self._new_index, pool=pool,
            concepts=concepts, start_slack_days=start_slack_days, cache_size=cache_size,
        )
        self._dirty: set[Side] = set()
        self._write = threading.RLock()
        self.rebuilt: dict[Side, bool] = {}
        # A reader (CLI match/export beside a running server) never touches the saved files.
        self.read_only = read_only
        self.lock: WriterLock | None = None
        self.seen_change = 0
        self._checked = 0.0
        self.sync_seconds = sync_seconds
        # What the database's commit counter was when the feed was last read (service/storage/watch.py;
        # the composition gives SQLite's): the feed is read again only once it moved.
        self.watch = CommitWatch(None)
        self._seen_version: int | None = None

    @property
    def sides(self) -> dict[Side, Shelf]:
        """Both sides as the ranker holds them (records, owners, index): read, never written here."""
        return self.ranker.sides

    @property
    def weights(self) -> Weights:
        return self.ranker.weights

    @weights.setter
    def weights(self, weights: Weights) -> None:
        """The live blend (a learned one, `service.ranking_model`); lists made with the old one go."""
        self.ranker.weights = weights
        self.ranker.forget()

    def sync_blends(self, session: Session) -> bool:
        """Rank each organisation with its stored live blend, as every process and every restart must;
        True when that changed (cached lists made with the old blends are dropped)."""
        stored = {org: Weights(**w) for org, w in blend_models.live_blends(session).items()}
        if stored == self.ranker.org_weights:
            return False
        self.ranker.org_weights = stored
        self.ranker.forget()
        return True

    @property
    def vocab(self) -> SkillVocabulary:
        return self.ranker.vocab

    @property
    def concepts(self) -> ConceptSignal | None:
        return self.ranker.concepts

    def close(self) -> None:
        """Save indexes not yet on disk, release the writer lock and the database connections."""
        for side in list(self._dirty):
            self._save(side, force=True)
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.watch.close()
        self.sessions.kw["bind"].dispose()

    def _save(self, side: Side, *, force: bool = False) -> None:
        """Save small indexes after every write; big ones at close (a crash rebuilds from the DB)."""
        if self.read_only:
            return
        if force or len(self.sides[side].index) <= SAVE_EVERY_WRITE_UP_TO:
            self.sides[side].index.save(self._folder(side), model=self.encoder.name)
            self._dirty.discard(side)
        else:
            self._dirty.add(side)

    def _new_index(self) -> VectorIndex:
        return VectorIndex(self.encoder.dim, **self.index_options)

    # ---- start-up and rebuild -------------------------------------------------
    def start(self) -> None:
        """Load records, and the saved index where it agrees with the database; else rebuild."""
        with self._write:
            self._seen_version = self.watch.version()  # before reading: a commit meanwhile is read later
            with self.sessions() as session:
                self.seen_change = feed.last_change(session)
                self.sync_blends(session)
            self._checked = time.monotonic()
            stale_any = False
            for side in Side:
                with self.sessions() as session:
                    rows = record_rows.all_rows(session, side=side)
                rows, stale = self._rehashed(side, rows)
                stale_any |= stale
                self.ranker.reset(side, [rec for _, rec, _, _ in rows])
                state = self.sides[side]
                for rid, rec, _, owner in rows:
                    self.ranker.put(side, rid, rec, owner)
                expected = {rid: h for rid, _, h, _ in rows}
                self.rebuilt[side] = False
                try:
                    loaded = VectorIndex.load(
                        self._folder(side), model=self.encoder.name, dim=self.encoder.dim,
                        **self.index_options,
                    )
                    if loaded.entries != expected:
                        raise IndexMismatchError("saved index disagrees with the database")
                    state.index = loaded
                except IndexMismatchError as exc:
                    log.warning("rebuilding %s index: %s", side.value, exc)
                    state.index = self._build(rows)
                    self._save(side)
                    self.rebuilt[side] = True
            if stale_any and not self.read_only:
                with self.sessions.begin() as session:
                    embeddings.delete_unused_vectors(session)

    def _rehashed(
        self, side: Side, rows: list[tuple[int, Record, str, Owner]]
    ) -> tuple[list[tuple[int, Record, str, Owner]], bool]:
        """Rows with the hash of the text as it is built now, stored where it changed.

        A row's hash is of the text that was scored when it was written; when the
        recipe changes (the summary left the scored text so that companies are
        ranked only on what they see) or the model does, the saved index would
        otherwise keep serving vectors of the old text. A changed hash makes the
        index disagree with the database, so it is rebuilt from the new text.
        """
        fresh = [(rid, rec, self.hash_of(rec), owner) for rid, rec, _, owner in rows]
        stale = {rid: digest for (rid, _, old, _), (_, _, digest, _) in zip(rows, fresh, strict=True)
                 if digest != old}
        if stale and not self.read_only:
            with self.sessions.begin() as session:
                record_rows.set_text_hashes(session, side=side, hashes=stale)
        return fresh, bool(stale)

    def reindex(self) -> dict[str, int]:
        """Rebuild both indexes from the database (cached embeddings are reused)."""
        self._writable()
        with self._write:
            for side in Side:
                self._remove_saved(side)
            self.start()
            return {side.value: len(self.sides[side].index) for side in Side}

    def _folder(self, side: Side) -> Path:
        return self.index_dir / side.value

    def _remove_saved(self, side: Side) -> None:
        for name in ("vectors.npz", "ivf.faiss", "meta.json"):
            (self._folder(side) / name).unlink(missing_ok=True)

    def _build(self, rows: list[tuple[int, Record, str, Owner]]) -> VectorIndex:
        index = self._new_index()
        if rows:
            vectors = self.embed([rec for _, rec, _, _ in rows])
            index.upsert([rid for rid, *_ in rows], vectors, [h for _, _, h, _ in rows])
        return index

    # ---- embeddings -------------------------------------------------------------
    def hash_of(self, record: Record) -> str:
        return text_hash(record_text(record), self.encoder.name)

    def embed(self, records: list[Record], progress: Progress | None = None) -> np.ndarray:
        """Vectors for records, from the cache where the text was seen, encoding (and caching) the rest.

        For records already stored (rebuild, catch-up): the new cache rows commit on
        their own. Writes of new records use `vectors_for` and store the fresh
        vectors in the record's transaction instead.
        """
        vectors, fresh = self.vectors_for(records, progress)
        if fresh:
            with self.sessions.begin() as session:
                embeddings.put_vectors(session, vectors=fresh, model=self.encoder.name)
        return vectors

    def vectors_for(
        self, records: list[Record], progress: Progress | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Vectors for records and, by text hash, those just encoded, which the caller must store.

        Nothing is written here: the caller puts the fresh vectors in the cache in
        the same transaction as the rows using them, so a refused write leaves
        no cache row behind.
        """
        texts = [record_text(r) for r in records]
        hashes = [text_hash(t, self.encoder.name) for t in texts]
        with self.sessions() as session:
            known = embeddings.cached_vectors(session, hashes=hashes, dim=self.encoder.dim)
        missing = list(dict.fromkeys(h for h in hashes if h not in known))
        fresh: dict[str, np.ndarray] = {}
        if missing:
            by_hash = dict(zip(hashes, texts, strict=True))
            # Length-sorted batches waste less padding.
            order = sorted(missing, key=lambda h: len(by_hash[h]))
            step = 64
            for start in range(0, len(order), step):
                chunk = order[start : start + step]
                vectors = self.encoder.encode([by_hash[h] for h in chunk])
                fresh.update(zip(chunk, vectors, strict=True))
                if progress:
                    progress(min(start + step, len(order)), len(order))
            known.update(fresh)
        if not records:
            return np.zeros((0, self.encoder.dim), dtype=np.float32), fresh
        return np.stack([known[h] for h in hashes]).astype(np.float32), fresh

    # ---- writes -----------------------------------------------------------------
    def due(self, *, max_age: float) -> bool:
        """Whether `catch_up(max_age=max_age)` would read the change feed now (no reading here):
        `max_age` seconds since the last reading, and something committed since (when the database
        can tell: `CommitWatch`)."""
        return self._pending(max_age)[0]

    def _pending(self, max_age: float) -> tuple[bool, int | None]:
        """(whether to read the feed, the commit counter now): read before the feed, so a commit
        landing while it is read is seen next time."""
        if time.monotonic() - self._checked < max_age:
            return False, None
        version = self.watch.version()
        return version is None or version != self._seen_version, version

    def catch_up(self, *, max_age: float = 0.0) -> int:
        """Apply other processes' committed writes from the change feed; returns how many.

        Called before reads at most every `max_age` seconds, which bounds how
        stale a reader can be (`BRIDGEMATCH_SYNC_SECONDS`). Re-applying one's
        own writes is harmless: rows are re-read and vectors come from the cache.
        """
        pending, version = self._pending(max_age)
        if not pending:
            return 0
        self._checked, self._seen_version = time.monotonic(), version
        with self.sessions() as session:
            self.sync_blends(session)
            if feed.last_change(session) <= self.seen_change:
                return 0
            changes = feed.changes_since(session, seq=self.seen_change)
        with self._write:
            by_side: dict[Side, set[int]] = {}
            for _, side, rid in changes:
                by_side.setdefault(side, set()).add(rid)
            for side, ids in by_side.items():
                with self.sessions() as session:
                    rows = record_rows.rows_by_id(session, side=side, ids=sorted(ids))
                state = self.sides[side]
                for rid in ids - rows.keys():
                    self.ranker.drop(side, rid)
                fresh = sorted(rows)
                if fresh:
                    vectors = self.embed([rows[rid][0] for rid in fresh])
                    state.index.upsert(fresh, vectors, [rows[rid][1] for rid in fresh])
                    self.ranker.learn([rows[rid][0] for rid in fresh])
                    for rid in fresh:
                        self.ranker.put(side, rid, rows[rid][0], rows[rid][2])
                if not self.read_only:
                    self._dirty.add(side)  # saved at close; a crash before that rebuilds
            self.seen_change = max(self.seen_change, changes[-1][0])
        return len(changes)

    def _seen(self, seqs: list[int]) -> None:
        """Skip our own writes in the feed when nothing from elsewhere came between."""
        if seqs and min(seqs) == self.seen_change + 1:
            self.seen_change = max(seqs)

    def _writable(self) -> None:
        if self.read_only:
            raise RuntimeError("this matcher was opened read-only")

    def create(
        self,
        side: Side,
        records: list[Record],
        owners: list[Owner] | Callable[[Session], list[Owner]],
        progress: Progress | None = None,
    ) -> list[int]:
        """Insert records all-or-nothing; returns their ids.

        `owners` may be a function of the open transaction, so rows it needs
        (a posting's company) are created in the same commit as the records;
        so are the embeddings of texts not cached yet (a refused write leaves none).
        """
        self._writable()
        records = [with_text_language(r) for r in records]
        vectors, fresh = self.vectors_for(records, progress)
        hashes = [self.hash_of(r) for r in records]
        with self._write:
            with self.sessions.begin() as session:
                if callable(owners):
                    owners = owners(session)
                for org_id in dict.fromkeys(o.org_id for o in owners):
                    mine = [r for r, o in zip(records, owners, strict=True) if o.org_id == org_id]
                    record_rows.check_external_ids(session, side=side, records=mine, org_id=org_id)
                ids = record_rows.insert_rows(session, side=side, records=records, hashes=hashes, owners=owners)
                embeddings.put_vectors(session, vectors=fresh, model=self.encoder.name)
                seqs = feed.record_changes(session, side=side, ids=ids)
            self._apply(side, ids, records, vectors, hashes, owners)
            self._seen(seqs)
        return ids

    def update(self, side: Side, rid: int, record: Record) -> Record:
        """Replace a record; returns it as stored (with its detected `text_language`).

        The new text's embedding is cached, and the old text's dropped when no
        row uses it any more, in the transaction that replaces the row.
        """
        self._writable()
        record = with_text_language(record)
        vectors, fresh = self.vectors_for([record])
        digest = self.hash_of(record)
        with self._write:
            with self.sessions.begin() as session:
                owner = record_rows.owner_of(record_rows.get_row(session, side=side, rid=rid))
                record_rows.check_external_ids(session, side=side, records=[record], org_id=owner.org_id, own=rid)
                previous = record_rows.update_row(session, side=side, rid=rid, record=record, text_hash=digest)
                embeddings.put_vectors(session, vectors=fresh, model=self.encoder.name)
                if previous != digest:
                    embeddings.drop_unused_vector(session, text_hash=previous)
                seqs = feed.record_changes(session, side=side, ids=[rid])
            self._apply(side, [rid], [record], vectors, [digest], [owner])
            self._seen(seqs)
        return record

    def delete(self, side: Side, rid: int, also: Callable[[Session], None] | None = None) -> None:
        """Remove the row, its vector, its lexical entry and its cached embedding.

        `also` runs inside the same transaction, for rows that refer to this one
        (tokens, shortlists, fair meetings) so an erasure is all or nothing.
        A graduate's erasure also leaves nothing of them on disk: SQLite's WAL is
        checkpointed (the deleted bytes are zeroed by `secure_delete`) and the
        saved index is rewritten at once, however big.
        """
        self._writable()
        with self._write:
            with self.sessions.begin() as session:
                digest = record_rows.delete_row(session, side=side, rid=rid)
                seqs = feed.record_changes(session, side=side, ids=[rid])
                if also:
                    also(session)
                embeddings.drop_unused_vector(session, text_hash=digest)
            personal = side is Side.candidates
            if personal:
                with self.sessions() as session:
                    if not record_rows.wipe_freed_pages(session):
                        log.warning("readers kept the WAL from being emptied after an erasure; "
                                    "the next checkpoint removes the erased pages")
            self.ranker.drop(side, rid)
            if personal and self.concepts is not None:  # their own skill strings, mapped on disk too
                self.concepts.forget_unused([r for shelf in self.sides.values() for r in shelf.records.values()])
            self._seen(seqs)
            self._save(side, force=personal)

    def _apply(
        self,
        side: Side,
        ids: list[int],
        records: list[Record],
        vectors: np.ndarray,
        hashes: list[str],
        owners: list[Owner],
    ) -> None:
        self.sides[side].index.upsert(ids, vectors, hashes)
        self.ranker.learn(records)
        for rid, record, owner in zip(ids, records, owners, strict=True):
            self.ranker.put(side, rid, record, owner)
        self._save(side)

    # ---- reads: records, and ranked answers from the engine's ranker ---------------------
    def get(self, side: Side, rid: int) -> Record:
        return self.ranker.get(side, rid)

    def owner(self, side: Side, rid: int) -> Owner:
        return self.ranker.owner(side, rid)

    def ids(self, side: Side, scope: Callable[[Owner], bool] | None = None) -> list[int]:
        """Ids in id order, limited to the owners `scope` accepts."""
        owners = self.sides[side].owners
        return sorted(rid for rid, owner in owners.items() if scope is None or scope(owner))

    def list(
        self, side: Side, *, offset: int = 0, limit: int = 50, scope: Callable[[Owner], bool] | None = None
    ) -> list[tuple[int, Record]]:
        records = self.sides[side].records
        return [(rid, records[rid]) for rid in self.ids(side, scope)[offset : offset + limit]]

    def dates(self) -> Dates:
        return self.ranker.dates()

    def matches_for_candidate(
        self, rid: int, *, limit: int = 10, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR
    ) -> list[Match]:
        return self.ranker.matches(Side.candidates, rid, limit=limit, weights=weights, floor=floor)  # type: ignore[return-value]

    def matches_for_posting(
        self, rid: int, *, limit: int = 10, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR
    ) -> list[Match]:
        return self.ranker.matches(Side.postings, rid, limit=limit, weights=weights, floor=floor)  # type: ignore[return-value]

    def why_for_candidate(
        self, rid: int, *, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR, near: int = 3
    ) -> Why:
        return self.ranker.why(Side.candidates, rid, weights=weights, floor=floor, near=near)  # type: ignore[return-value]

    def why_for_posting(
        self, rid: int, *, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR, near: int = 3
    ) -> Why:
        return self.ranker.why(Side.postings, rid, weights=weights, floor=floor, near=near)  # type: ignore[return-value]

    def page(
        self, side: Side, rid: int, *, limit: int = 10, weights: Weights | None = None,
        floor: float | None = RELEVANCE_FLOOR, near: int = 3,
    ) -> tuple[list[Match], Why]:
        """A record's matches and why the list is as long as it is, worked out together."""
        return self.ranker.page(side, rid, limit=limit, weights=weights, floor=floor, near=near)

    def search(
        self, text: str, side: Side, *, org_id: int, company_id: int | None = None, limit: int = 10,
        weights: Weights | None = None,
    ) -> Found:
        return self.ranker.search(text, side, org_id=org_id, company_id=company_id, limit=limit, weights=weights)

    def pair_scores(self, cids: list[int], pids: list[int], *, weights: Weights | None = None) -> np.ndarray:
        return self.ranker.pair_scores(cids, pids, weights=weights)
