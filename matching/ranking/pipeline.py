"""The one ranking pipeline: eligibility → retrieval → signals → blend → explanation.

Every ranked answer anyone gets goes through here: a graduate's postings, a posting's
graduates, the reasons a list is short, free-text search, and the score matrix fairs and
placements optimise over; `bridgematch evaluate` measures this class on scratch data. The
ranker holds both sides in memory (`matching.records.shelf`) and is told of every record put or
dropped; loading, saving and catching up with other processes are the caller's.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matching.esco.concept_signal import ConceptSignal
from matching.filters.reference import Dates
from matching.ranking.answers import AnswerCache
from matching.ranking.blend import RELEVANCE_FLOOR, Match, Weights, ranked_rows, score_pairs
from matching.ranking.why import Why, explain, near_rules, oriented
from matching.records.profiles import PostingRecord
from matching.records.shelf import Shelf, table_for
from matching.records.sides import NotFoundError, Owner, Record, Side, record_text
from matching.retrieval.index import VectorIndex
from matching.skills.pair_signals import PairSignals, QuerySignals
from matching.skills.vocabulary import SkillVocabulary
from models.encoder import Encoder

if TYPE_CHECKING:
    from matching.ranking.free_text import Found


@dataclass(frozen=True)
class Ranking:
    """What a ranked list depends on besides the data: the blend, the clock, the relevance floor."""

    weights: Weights
    dates: Dates
    floor: float | None  # None: every eligible pair is a match (no floor, no shared-skill rule)


@dataclass(frozen=True)
class Query:
    """One record's question to the other side, worked out once: a page ranks it three times
    (the list, the near misses, the language steps) against different allow-lists."""

    side: Side
    rid: int
    record: Record
    org: int
    vector: np.ndarray
    text: str
    signals: QuerySignals


class Ranker:
    def __init__(
        self,
        *,
        encoder: Encoder,
        vocab: SkillVocabulary,
        weights: Weights,
        new_index: Callable[[], VectorIndex],
        pool: int = 150,
        concepts: ConceptSignal | None = None,
        start_slack_days: int = 14,
        cache_size: int = 2048,
    ) -> None:
        self.encoder = encoder
        self.vocab = vocab
        self.weights = weights
        # An organisation's own live blend (learned from its outcomes) where it has one.
        self.org_weights: dict[int, Weights] = {}
        self.pool = pool
        self.concepts = concepts
        self.signals = PairSignals(vocab, concepts)
        # Each stage of a ranking runs inside `stage(name)`: "rules", "retrieval", "signals", "blend",
        # "reasons". A no-op here; the service times them for /metrics without the engine knowing how.
        self.stage: Callable[[str], AbstractContextManager[object]] = _untimed
        # Told the side and the seconds of every list ranked from scratch (a cache miss), likewise.
        self.on_ranked: Callable[[Side, float], None] = lambda _side, _seconds: None
        self.start_slack_days = start_slack_days
        # The clock start dates are judged by; a test of fixed rankings sets its own day.
        self.today: Callable[[], dt.date] = dt.date.today
        self._new_index = new_index
        self.sides = {side: Shelf(new_index(), table_for(side)) for side in Side}
        # Repeated queries (a page reloaded, a fair re-planned) answered from memory; any change clears it.
        self.answers = AnswerCache(cache_size)

    # ---- what the ranker holds -----------------------------------------------------
    def reset(self, side: Side, records: list[Record]) -> None:
        """Start a side afresh (an empty index: the caller loads or builds the vectors)."""
        self.sides[side] = Shelf(self._new_index(), table_for(side))
        self.signals.reset(side)
        self.learn(records)
        self.forget()

    def learn(self, records: list[Record]) -> None:
        """Map the skill strings of records about to be put, in one batch (not one by one)."""
        if self.concepts is not None:
            self.concepts.learn(records)

    def put(self, side: Side, rid: int, record: Record, owner: Owner) -> None:
        """Mirror one record into every structure but FAISS (upserted in batches by the caller)."""
        self.sides[side].put(rid, record, owner)
        self.signals.put(side, rid, record)
        self.forget()

    def drop(self, side: Side, rid: int) -> None:
        self.signals.remove(side, rid)
        self.sides[side].drop(rid)
        self.forget()

    def forget(self) -> None:
        """Empty the result cache: called on every change, so no list outlives what it was made of."""
        self.answers.clear()

    def get(self, side: Side, rid: int) -> Record:
        record = self.sides[side].records.get(rid)
        if record is None:
            raise NotFoundError(f"no {side.noun} with id {rid}")
        return record

    def owner(self, side: Side, rid: int) -> Owner:
        owner = self.sides[side].owners.get(rid)
        if owner is None:
            raise NotFoundError(f"no {side.noun} with id {rid}")
        return owner

    def dates(self) -> Dates:
        """Start dates as of today: a posting whose start has passed is open, with the slack."""
        return Dates(today=self.today(), slack_days=self.start_slack_days)

    def weights_for(self, org_id: int) -> Weights:
        """The blend an organisation's lists are ranked with: its own learned one, else the configured one."""
        return self.org_weights.get(org_id, self.weights)

    def ranking(self, weights: Weights | None, floor: float | None, org_id: int | None = None) -> Ranking:
        live = self.weights if org_id is None else self.weights_for(org_id)
        return Ranking(weights or live, self.dates(), floor)

    # ---- ranked lists ----------------------------------------------------------------
    def matches(
        self, side: Side, rid: int, *, limit: int = 10, weights: Weights | None = None,
        floor: float | None = RELEVANCE_FLOOR,
    ) -> list[Match]:
        """The best records of the other side for record `rid` of `side`, explained."""
        rank = self.ranking(weights, floor, self.owner(side, rid).org_id)
        return self.answers.get_or(("m", side, rid, limit, rank), lambda: self._rank(side, rid, limit, rank))

    def why(
        self, side: Side, rid: int, *, weights: Weights | None = None,
        floor: float | None = RELEVANCE_FLOOR, near: int = 3,
    ) -> Why:
        """Which rules kept records from the list, and the best ones it just misses. A company
        hears of consenting graduates only, and never of a missing work permit (it would say
        something about a person's status); a graduate also learns which language steps help."""
        rank = self.ranking(weights, floor, self.owner(side, rid).org_id)
        return self.answers.get_or(("w", side, rid, near, rank), lambda: explain(self, side, rid, near, rank))

    def page(
        self, side: Side, rid: int, *, limit: int = 10, weights: Weights | None = None,
        floor: float | None = RELEVANCE_FLOOR, near: int = 3,
    ) -> tuple[list[Match], Why]:
        """`matches` and `why` of one record, as a page shows them, equal to asking each: one
        pass over the rules gives the list's allow-list and the reasons, and one query (vector,
        text, signal vectors) serves the page's three rankings. Each answer is cached as theirs."""
        rank = self.ranking(weights, floor, self.owner(side, rid).org_id)
        keys = ("m", side, rid, limit, rank), ("w", side, rid, near, rank)
        kept = [self.answers.get(key) for key in keys]
        if kept[0] is not None and kept[1] is not None:
            return kept[0], kept[1]
        query = self._query(side, rid)
        table = self.sides[side.other].table
        with self.stage("rules"):
            eligible, found = table.eligible_and_exclusions(query.record, query.org, rank.dates, near=near_rules(side))
        matches = self._rank(side, rid, limit, rank, eligible, query=query)
        why = explain(self, side, rid, near, rank, query=query, found=found)
        self.answers.put(keys[0], matches)
        self.answers.put(keys[1], why)
        return matches, why

    def _rank(self, side: Side, rid: int, limit: int | None, rank: Ranking,
              allowed: np.ndarray | None = None, *, query: Query | None = None) -> list[Match]:
        start = time.perf_counter()
        try:
            pairs, semantic, lexical, skills, concepts = self._signals(query or self._query(side, rid), rank, allowed)
            with self.stage("blend"):  # and the explanation of the shown
                ranked = score_pairs(pairs, semantic, lexical, self.vocab, rank.weights, limit, concepts,  # type: ignore[arg-type]
                                     skills, floor=rank.floor)
            return self._labelled(side.other, ranked)
        finally:
            self.on_ranked(side, time.perf_counter() - start)

    def _relevant(self, side: Side, rid: int, rank: Ranking, allowed: np.ndarray,
                  *, query: Query | None = None) -> list[Record]:
        """The records `_rank` would list (no limit) among `allowed`, best first, unexplained."""
        pairs, semantic, lexical, skills, concepts = self._signals(query or self._query(side, rid), rank, allowed)
        with self.stage("blend"):
            order = ranked_rows(pairs, semantic, lexical, self.vocab, rank.weights, concepts, skills,  # type: ignore[arg-type]
                                floor=rank.floor)
        return [pairs[row][2 if side is Side.candidates else 1] for row in order.tolist()]

    def _query(self, side: Side, rid: int) -> Query:
        record = self.get(side, rid)
        return Query(side, rid, record, self.owner(side, rid).org_id, self._vector(side, rid), record_text(record),
                     self.signals.query(record))

    def _signals(self, query: Query, rank: Ranking, allowed: np.ndarray | None) -> tuple:
        """Eligibility (unless `allowed` is given), retrieval and the per-pool signals of one query."""
        side, record, org = query.side, query.record, query.org
        other = self.sides[side.other]
        if allowed is None:
            with self.stage("rules"):
                allowed = other.table.eligible_for(record, org, rank.dates)
        with self.stage("retrieval"):
            ids, semantic, lexical = self._pool(side.other, query.vector, query.text, allowed, org)
            ids, found, semantic, lexical = present(other.records, ids, semantic, lexical)
        pairs = [(i, *oriented(side, record, rec)) for i, rec in zip(ids, found, strict=True)]
        with self.stage("signals"):
            if side is Side.candidates:
                skills, concepts = self.signals.for_candidate(record, ids, found, query.signals)  # type: ignore[arg-type]
            else:
                skills, concepts = self.signals.for_posting(record, ids, found, query.signals)  # type: ignore[arg-type]
        return pairs, semantic, lexical, skills, concepts

    def search(
        self, text: str, side: Side, *, org_id: int, company_id: int | None = None, limit: int = 10,
        weights: Weights | None = None,
    ) -> Found:
        """Free text against one side of an organisation (`matching.ranking.free_text.search`)."""
        from matching.ranking.free_text import search

        return search(self, text, side, org_id=org_id, company_id=company_id, limit=limit, weights=weights)

    def pair_scores(self, cids: list[int], pids: list[int], *, weights: Weights | None = None) -> np.ndarray:
        """Blended score of every (graduate, posting) pair (`matching.ranking.pair_scores`)."""
        from matching.ranking.pair_scores import pair_scores

        return pair_scores(self, cids, pids, weights=weights)

    # ---- the stages' helpers -------------------------------------------------------------
    def _pool(
        self, side: Side, query_vector: np.ndarray, query_text: str, allowed: np.ndarray, org_id: int
    ) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The pool worth full scoring (semantic and lexical nearest among the allowed), with
        its semantic and lexical signals (BM25 as a share of the query's self-score); BM25 runs once per query."""
        shelf = self.sides[side]
        lexical = shelf.lexical.query(query_text, org_id)
        if len(allowed) <= self.pool:
            ids = allowed.tolist()
        else:
            _, sem_ids = shelf.index.search(query_vector, self.pool, allowed=allowed)
            ids = sorted(set(sem_ids.tolist()) | set(lexical.top(self.pool, allowed)))
        # Reads take no lock: a record deleted between filtering and scoring is simply skipped
        # (here if its vector is gone, by `present` if its record is).
        for _ in range(3):
            pool = np.asarray(ids, dtype=np.int64)
            ids = pool[shelf.index.known(pool)].tolist()
            try:
                semantic = shelf.index.vectors(ids) @ query_vector if ids else np.zeros(0)
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
            raise NotFoundError(f"no {side.noun} with id {rid}") from exc

    def _labelled(self, side: Side, matches: list[Match]) -> list[Match]:
        """Name what was matched: a posting's title and company, a graduate's headline only."""
        records = self.sides[side].records
        for match in matches:
            record = records.get(match.id)
            if isinstance(record, PostingRecord):
                match.extra = {"title": record.title, "company": record.company, "kind": record.kind.value}
            elif record is not None:
                match.extra = {"headline": record.headline}
        return matches


def _untimed(_stage: str) -> AbstractContextManager[object]:
    return nullcontext()


def present(
    records: dict[int, Record], ids: list[int], semantic: np.ndarray, lexical: np.ndarray
) -> tuple[list[int], list[Record], np.ndarray, np.ndarray]:
    """Drop ids deleted since the pool was made, keeping the signal arrays aligned."""
    found = [records.get(i) for i in ids]
    keep = [k for k, rec in enumerate(found) if rec is not None]
    if len(keep) == len(found):  # nothing deleted meanwhile: the usual case, no copies
        return ids, found, semantic, lexical  # type: ignore[return-value]
    return [ids[k] for k in keep], [found[k] for k in keep], semantic[keep], lexical[keep]  # type: ignore[misc]
