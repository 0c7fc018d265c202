"""The running engine: database rows mirrored into FAISS, BM25 and memory.

Writes go to the database first, in one transaction; only after the commit
are the in-memory copies changed. If the process dies in between, the next
start-up finds the saved index disagreeing with the database (count and
checksum of (id, text hash) pairs) and rebuilds it from the embedding cache,
so no committed record is ever missing from matches. One process writes
(see README: single writer); reads are safe from many threads.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from matching.concepts import overlap
from matching.eligibility import CandidateTable, Exclusions, PostingTable
from matching.filters import Dates, exclusion_reasons
from matching.index import IndexMismatchError, VectorIndex
from matching.lexical import LexicalShelf
from matching.next_steps import LanguageStep, language_steps
from matching.profiles import CandidateProfile, PostingRecord
from matching.rank import RELEVANCE_FLOOR, Match, Weights, score_pairs, score_text_query
from matching.skills import SkillVocabulary
from matching.text import candidate_text, posting_text, with_text_language
from models.encoder import Encoder, text_hash
from service import store
from service.concept_signal import ConceptSignal
from service.lock import WriterLock
from service.pair_signals import PairSignals
from service.store import Owner, Record, Side

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
SAVE_EVERY_WRITE_UP_TO = 20_000


def record_text(record: Record) -> str:
    if isinstance(record, CandidateProfile):
        return candidate_text(record)
    return posting_text(record)


@dataclass
class SideState:
    index: VectorIndex
    table: CandidateTable | PostingTable
    lexical: LexicalShelf = field(default_factory=LexicalShelf)
    records: dict[int, Record] = field(default_factory=dict)
    owners: dict[int, Owner] = field(default_factory=dict)

    def put(self, rid: int, record: Record, owner: Owner) -> None:
        """Mirror one committed row into the filter table, BM25 and memory (not FAISS)."""
        self.records[rid] = record
        self.owners[rid] = owner
        self.table.upsert(rid, record, owner.org_id)  # type: ignore[arg-type]
        # Graduates are searched only where they agreed to be seen, so only those enter BM25.
        searchable = not isinstance(record, CandidateProfile) or record.visible_to_companies
        self.lexical.upsert(rid, record_text(record), owner.org_id, searchable=searchable)

    def drop(self, rid: int) -> None:
        self.index.remove([rid])
        self.lexical.remove(rid)
        self.table.remove(rid)
        self.records.pop(rid, None)
        self.owners.pop(rid, None)


@dataclass
class Found:
    """A free-text search's answer, and the cities it was limited to because the text names them."""

    matches: list[Match]
    places: list[str]


@dataclass(frozen=True)
class Ranking:
    """What a ranked list depends on besides the data: the blend, the clock, the relevance floor."""

    weights: Weights
    dates: Dates
    floor: float | None  # None: every eligible pair is a match (no floor, no shared-skill rule)


@dataclass
class Why:
    """Why a ranked list is as long as it is: each rule's count, and the near misses with the
    one rule each fails ("languages: needs es B1, has A2")."""

    exclusions: Exclusions
    near_misses: list[tuple[Match, str]]
    language_steps: list[LanguageStep] = field(default_factory=list)


# Rules a company may be told a graduate just misses: never the work permit (a status proxy).
COMPANY_NEAR_MISSES = ("kind", "location", "languages", "availability")


def _ids(near_misses: dict[int, str]) -> np.ndarray:
    return np.array(sorted(near_misses), dtype=np.int64)


def _table(side: Side) -> CandidateTable | PostingTable:
    return CandidateTable() if side is Side.candidates else PostingTable()


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
        self.vocab = vocab
        self.index_dir = index_dir
        self.weights = weights
        self.pool = pool
        self.index_options = index_options or {}
        self.sides = {side: SideState(self._new_index(), _table(side)) for side in Side}
        self._dirty: set[Side] = set()
        # Repeated queries (a page reloaded, a fair re-planned) answered from memory; any write clears it.
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self.cache_size = cache_size
        self.concepts = concepts
        self.signals = PairSignals(vocab, concepts)
        self._write = threading.RLock()
        self.rebuilt: dict[Side, bool] = {}
        # A reader (CLI match/export beside a running server) never touches the saved files.
        self.read_only = read_only
        self.lock: WriterLock | None = None
        self.seen_change = 0
        self._checked = 0.0
        self.sync_seconds = sync_seconds
        self.start_slack_days = start_slack_days
        # The clock start dates are judged by; a test of fixed rankings sets its own day.
        self.today: Callable[[], dt.date] = dt.date.today

    def close(self) -> None:
        """Save indexes not yet on disk, release the writer lock and the database connections."""
        for side in list(self._dirty):
            self._save(side, force=True)
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.sessions.kw["bind"].dispose()

    def _save(self, side: Side, *, force: bool = False) -> None:
        """Save small indexes after every write; big ones at close (a crash rebuilds from the DB)."""
        self._cache.clear()
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
            with self.sessions() as session:
                self.seen_change = store.last_change(session)
            self._checked = time.monotonic()
            stale_any = False
            for side in Side:
                with self.sessions() as session:
                    rows = store.all_rows(session, side=side)
                rows, stale = self._rehashed(side, rows)
                stale_any |= stale
                state = SideState(self._new_index(), _table(side))
                self.sides[side] = state
                self.signals.reset(side)
                if self.concepts is not None:
                    self.concepts.learn([rec for _, rec, _, _ in rows])
                for rid, rec, _, owner in rows:
                    self._put(side, rid, rec, owner)
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
                    store.delete_unused_vectors(session)

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
                store.set_text_hashes(session, side=side, hashes=stale)
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
                store.put_vectors(session, vectors=fresh, model=self.encoder.name)
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
            known = store.cached_vectors(session, hashes=hashes, dim=self.encoder.dim)
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
    def catch_up(self, *, max_age: float = 0.0) -> int:
        """Apply other processes' committed writes from the change feed; returns how many.

        Called before reads at most every `max_age` seconds, which bounds how
        stale a reader can be (`BRIDGEMATCH_SYNC_SECONDS`). Re-applying one's
        own writes is harmless: rows are re-read and vectors come from the cache.
        """
        now = time.monotonic()
        if now - self._checked < max_age:
            return 0
        self._checked = now
        with self.sessions() as session:
            if store.last_change(session) <= self.seen_change:
                return 0
            changes = store.changes_since(session, seq=self.seen_change)
        with self._write:
            by_side: dict[Side, set[int]] = {}
            for _, side, rid in changes:
                by_side.setdefault(side, set()).add(rid)
            for side, ids in by_side.items():
                with self.sessions() as session:
                    rows = store.rows_by_id(session, side=side, ids=sorted(ids))
                state = self.sides[side]
                for rid in ids - rows.keys():
                    self._drop(side, rid)
                fresh = sorted(rows)
                if fresh:
                    vectors = self.embed([rows[rid][0] for rid in fresh])
                    state.index.upsert(fresh, vectors, [rows[rid][1] for rid in fresh])
                    if self.concepts is not None:
                        self.concepts.learn([rows[rid][0] for rid in fresh])
                    for rid in fresh:
                        self._put(side, rid, rows[rid][0], rows[rid][2])
                if not self.read_only:
                    self._dirty.add(side)  # saved at close; a crash before that rebuilds
            self.seen_change = max(self.seen_change, changes[-1][0])
            self._cache.clear()
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
                    store.check_external_ids(session, side=side, records=mine, org_id=org_id)
                ids = store.insert_rows(session, side=side, records=records, hashes=hashes, owners=owners)
                store.put_vectors(session, vectors=fresh, model=self.encoder.name)
                seqs = store.record_changes(session, side=side, ids=ids)
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
                owner = store.owner_of(store.get_row(session, side=side, rid=rid))
                store.check_external_ids(session, side=side, records=[record], org_id=owner.org_id, own=rid)
                previous = store.update_row(session, side=side, rid=rid, record=record, text_hash=digest)
                store.put_vectors(session, vectors=fresh, model=self.encoder.name)
                if previous != digest:
                    store.drop_unused_vector(session, text_hash=previous)
                seqs = store.record_changes(session, side=side, ids=[rid])
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
                digest = store.delete_row(session, side=side, rid=rid)
                seqs = store.record_changes(session, side=side, ids=[rid])
                if also:
                    also(session)
                store.drop_unused_vector(session, text_hash=digest)
            personal = side is Side.candidates
            if personal:
                with self.sessions() as session:
                    if not store.wipe_freed_pages(session):
                        log.warning("readers kept the WAL from being emptied after an erasure; "
                                    "the next checkpoint removes the erased pages")
            self._drop(side, rid)
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
        if self.concepts is not None:
            self.concepts.learn(records)
        for rid, record, owner in zip(ids, records, owners, strict=True):
            self._put(side, rid, record, owner)
        self._save(side)

    def _put(self, side: Side, rid: int, record: Record, owner: Owner) -> None:
        """Mirror one committed row into every in-memory structure but FAISS (upserted by the caller)."""
        self.sides[side].put(rid, record, owner)
        self.signals.put(side, rid, record)

    def _drop(self, side: Side, rid: int) -> None:
        self.signals.remove(side, rid)
        self.sides[side].drop(rid)

    # ---- reads ------------------------------------------------------------------
    def get(self, side: Side, rid: int) -> Record:
        record = self.sides[side].records.get(rid)
        if record is None:
            raise store.NotFoundError(f"no {side.value[:-1]} with id {rid}")
        return record

    def owner(self, side: Side, rid: int) -> Owner:
        owner = self.sides[side].owners.get(rid)
        if owner is None:
            raise store.NotFoundError(f"no {side.value[:-1]} with id {rid}")
        return owner

    def ids(self, side: Side, scope: Callable[[Owner], bool] | None = None) -> list[int]:
        """Ids in id order, limited to the owners `scope` accepts."""
        owners = self.sides[side].owners
        return sorted(rid for rid, owner in owners.items() if scope is None or scope(owner))

    def list(
        self, side: Side, *, offset: int = 0, limit: int = 50, scope: Callable[[Owner], bool] | None = None
    ) -> list[tuple[int, Record]]:
        records = self.sides[side].records
        return [(rid, records[rid]) for rid in self.ids(side, scope)[offset : offset + limit]]

    def _candidates(
        self, side: Side, query_vector: np.ndarray, query_text: str, allowed: np.ndarray, org_id: int
    ) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The pool worth full scoring (semantic and lexical nearest among the allowed), with
        its semantic and lexical signals (BM25 as a share of the query's self-score); BM25 runs once per query."""
        state = self.sides[side]
        lexical = state.lexical.query(query_text, org_id)
        if len(allowed) <= self.pool:
            ids = allowed.tolist()
        else:
            _, sem_ids = state.index.search(query_vector, self.pool, allowed=allowed)
            ids = sorted(set(sem_ids.tolist()) | set(lexical.top(self.pool, allowed)))
        # Reads take no lock: a record deleted between filtering and scoring is simply skipped.
        for _ in range(3):
            ids = [i for i in ids if i in state.index and i in state.records]
            try:
                semantic = state.index.vectors(ids) @ query_vector if ids else np.zeros(0)
                break
            except KeyError:
                continue
        else:
            ids, semantic = [], np.zeros(0)
        return ids, semantic, lexical.absolute(ids)

    def _vector(self, side: Side, rid: int) -> np.ndarray:
        try:
            return self.sides[side].index.vectors([rid])[0]
        except KeyError as exc:  # deleted meanwhile
            raise store.NotFoundError(f"no {side.value[:-1]} with id {rid}") from exc

    @staticmethod
    def _present(
        records: dict[int, Record], ids: list[int], semantic: np.ndarray, lexical: np.ndarray
    ) -> tuple[list[int], list[Record], np.ndarray, np.ndarray]:
        """Drop ids deleted since the pool was made, keeping the signal arrays aligned."""
        found = [records.get(i) for i in ids]
        keep = [k for k, rec in enumerate(found) if rec is not None]
        return [ids[k] for k in keep], [found[k] for k in keep], semantic[keep], lexical[keep]  # type: ignore[misc]

    def _cached(self, key: tuple, compute: Callable[[], list[Match]]) -> list[Match]:
        """LRU of ranked lists, kept pickled: one object an entry instead of ~15 a match, so the
        garbage collector's full passes stay short (a cache of live objects made them ~200 ms),
        and every caller gets fresh objects to decorate."""
        blob = self._cache.get(key)
        if blob is None:
            result = compute()
            if self.cache_size:
                self._cache[key] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            return result
        self._cache.move_to_end(key)
        return pickle.loads(blob)

    def dates(self) -> Dates:
        """Start dates as of today: a posting whose start has passed is open, with the slack."""
        return Dates(today=self.today(), slack_days=self.start_slack_days)

    def matches_for_candidate(
        self, rid: int, *, limit: int = 10, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR
    ) -> list[Match]:
        rank = Ranking(weights or self.weights, self.dates(), floor)
        return self._cached(("c", rid, limit, rank), lambda: self._matches_for_candidate(rid, limit, rank))

    def matches_for_posting(
        self, rid: int, *, limit: int = 10, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR
    ) -> list[Match]:
        rank = Ranking(weights or self.weights, self.dates(), floor)
        return self._cached(("p", rid, limit, rank), lambda: self._matches_for_posting(rid, limit, rank))

    def why_for_candidate(
        self, rid: int, *, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR, near: int = 3
    ) -> Why:
        """Which rules kept postings from a graduate's list, and the best postings they just miss."""
        rank = Ranking(weights or self.weights, self.dates(), floor)
        return self._cached(("wc", rid, near, rank), lambda: self._why_for_candidate(rid, near, rank))

    def why_for_posting(
        self, rid: int, *, weights: Weights | None = None, floor: float | None = RELEVANCE_FLOOR, near: int = 3
    ) -> Why:
        """The same for a posting's graduates (consenting ones only; a missing work permit is
        never named to a company: it would say something about a person's status)."""
        rank = Ranking(weights or self.weights, self.dates(), floor)
        return self._cached(("wp", rid, near, rank), lambda: self._why_for_posting(rid, near, rank))

    def _why_for_candidate(self, rid: int, near: int, rank: Ranking) -> Why:
        candidate = self.get(Side.candidates, rid)
        assert isinstance(candidate, CandidateProfile)
        table = self.sides[Side.postings].table
        found = table.exclusions(candidate, self.owner(Side.candidates, rid).org_id, rank.dates)  # type: ignore[arg-type]
        misses = self._matches_for_candidate(rid, near, rank, allowed=_ids(found.near_misses))
        reasons = {m.id: exclusion_reasons(candidate, self.get(Side.postings, m.id), rank.dates) for m in misses}  # type: ignore[arg-type]
        on_languages = _ids({i: r for i, r in found.near_misses.items() if r == "languages"})
        relevant = self._matches_for_candidate(rid, None, rank, allowed=on_languages)
        postings = [self.sides[Side.postings].records.get(m.id) for m in relevant]
        steps = language_steps(candidate, [p for p in postings if isinstance(p, PostingRecord)])
        return Why(found, [(m, reasons[m.id][0]) for m in misses if reasons[m.id]], steps)

    def _why_for_posting(self, rid: int, near: int, rank: Ranking) -> Why:
        posting = self.get(Side.postings, rid)
        assert isinstance(posting, PostingRecord)
        table = self.sides[Side.candidates].table
        found = table.exclusions(posting, self.owner(Side.postings, rid).org_id, rank.dates,  # type: ignore[arg-type]
                                 near=COMPANY_NEAR_MISSES)
        misses = self._matches_for_posting(rid, near, rank, allowed=_ids(found.near_misses))
        reasons = {m.id: exclusion_reasons(self.get(Side.candidates, m.id), posting, rank.dates) for m in misses}  # type: ignore[arg-type]
        return Why(found, [(m, reasons[m.id][0]) for m in misses if reasons[m.id]])

    def _matches_for_candidate(
        self, rid: int, limit: int | None, rank: Ranking, allowed: np.ndarray | None = None
    ) -> list[Match]:
        candidate = self.get(Side.candidates, rid)
        org = self.owner(Side.candidates, rid).org_id
        postings = self.sides[Side.postings].records
        assert isinstance(candidate, CandidateProfile)
        if allowed is None:
            allowed = self.sides[Side.postings].table.eligible_for(candidate, org, rank.dates)  # type: ignore[arg-type]
        vector = self._vector(Side.candidates, rid)
        text = record_text(candidate)
        ids, semantic, lexical = self._candidates(Side.postings, vector, text, allowed, org)
        ids, found, semantic, lexical = self._present(postings, ids, semantic, lexical)
        pairs = [(pid, candidate, post) for pid, post in zip(ids, found, strict=True)]
        skills, concepts = self.signals.for_candidate(candidate, ids, found)  # type: ignore[arg-type]
        ranked = score_pairs(pairs, semantic, lexical, self.vocab, rank.weights, limit, concepts, skills,
                             floor=rank.floor)
        return self._labelled(Side.postings, ranked)

    def _matches_for_posting(
        self, rid: int, limit: int | None, rank: Ranking, allowed: np.ndarray | None = None
    ) -> list[Match]:
        posting = self.get(Side.postings, rid)
        org = self.owner(Side.postings, rid).org_id
        candidates = self.sides[Side.candidates].records
        assert isinstance(posting, PostingRecord)
        if allowed is None:
            allowed = self.sides[Side.candidates].table.eligible_for(posting, org, rank.dates)  # type: ignore[arg-type]
        vector = self._vector(Side.postings, rid)
        text = record_text(posting)
        ids, semantic, lexical = self._candidates(Side.candidates, vector, text, allowed, org)
        ids, found, semantic, lexical = self._present(candidates, ids, semantic, lexical)
        pairs = [(cid, cand, posting) for cid, cand in zip(ids, found, strict=True)]
        skills, concepts = self.signals.for_posting(posting, ids, found)  # type: ignore[arg-type]
        ranked = score_pairs(pairs, semantic, lexical, self.vocab, rank.weights, limit, concepts, skills,
                             floor=rank.floor)
        return self._labelled(Side.candidates, ranked)

    def search(
        self, text: str, side: Side, *, org_id: int, company_id: int | None = None, limit: int = 10,
        weights: Weights | None = None,
    ) -> Found:
        """Free text against one side of an organisation; non-consenting candidates never appear,
        and with `company_id` only that company's postings are searched. A city the text names
        limits the search to that city and to remote work (`Found.places` says which)."""
        records = self.sides[side].records
        table = self.sides[side].table
        allowed = table.visible(org_id) if isinstance(table, CandidateTable) else table.in_org(org_id)
        if company_id is not None:
            owners = self.sides[side].owners
            allowed = np.array([i for i in allowed.tolist() if owners.get(i) is not None
                                and owners[i].company_id == company_id], dtype=np.int64)
        named = table.named_places(text, allowed)
        if named:
            allowed = table.in_places(allowed, named, "remote_ok" if side is Side.candidates else "remote")
        vector = self.encoder.encode([text])[0]
        ids, semantic, lexical = self._candidates(side, vector, text, allowed, org_id)
        ids, found, semantic, lexical = self._present(records, ids, semantic, lexical)
        skills_of = [
            rec.skills if isinstance(rec, CandidateProfile) else rec.required_skills + rec.nice_skills
            for rec in found
        ]
        query_skills = self.vocab.find_in_text(text)
        concepts = None
        if self.concepts is not None and (wanted := self.concepts.named_in(text))[0]:
            concepts = [overlap(self.concepts.holding(rec), wanted) for rec in found]
        ranked = score_text_query(
            ids, skills_of, query_skills, semantic, lexical, self.vocab, weights or self.weights, concepts
        )[:limit]
        # Named as the caller wrote them, title-cased: no scan of the records, and no spelling
        # borrowed from a record the caller cannot see.
        return Found(self._labelled(side, ranked), sorted(name.title() for name in named.values()))

    def pair_scores(
        self, cids: list[int], pids: list[int], *, weights: Weights | None = None
    ) -> np.ndarray:
        """Blended score of every (graduate, posting) pair, as the ranking would give it.

        Fairs and placements need all pairs of a small set, not a top-k, so this
        scores the full matrix.
        """
        out = np.zeros((len(cids), len(pids)), dtype=float)
        if not cids or not pids:
            return out
        post_side = self.sides[Side.postings]
        post_vectors = post_side.index.vectors(pids)
        cand_vectors = self.sides[Side.candidates].index.vectors(cids)
        semantic = cand_vectors @ post_vectors.T
        for row, cid in enumerate(cids):
            candidate = self.get(Side.candidates, cid)
            org = self.owner(Side.candidates, cid).org_id
            lexical = post_side.lexical.query(record_text(candidate), org).absolute(pids)
            postings = [self.get(Side.postings, pid) for pid in pids]
            pairs = [(pid, candidate, post) for pid, post in zip(pids, postings, strict=True)]
            skills, concepts = self.signals.for_candidate(candidate, pids, postings)  # type: ignore[arg-type]
            ranked = score_pairs(pairs, semantic[row], lexical, self.vocab, weights or self.weights, None,  # type: ignore[arg-type]
                                 concepts, skills)
            scored = {m.id: m.score for m in ranked}
            out[row] = [scored[pid] for pid in pids]
        return out

    def _labelled(self, side: Side, matches: list[Match]) -> list[Match]:
        """Name what was matched: a posting's title and company, a graduate's headline only."""
        records = self.sides[side].records
        for match in matches:
            record = records.get(match.id)
            if record is None:
                continue
            if isinstance(record, PostingRecord):
                match.extra = {"title": record.title, "company": record.company, "kind": record.kind.value}
            else:
                match.extra = {"headline": record.headline}
        return matches
