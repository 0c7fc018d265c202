"""One side of the market held in memory: vectors, filter columns, BM25 and the records.

The ranker reads only this; where the records come from (a database, a scratch set for an
evaluation) is the caller's business. Every structure is keyed by the record's id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.filters.columns import CandidateTable, PostingTable
from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Record, Side, record_text
from matching.retrieval.index import VectorIndex
from matching.retrieval.lexical import LexicalShelf


def table_for(side: Side) -> CandidateTable | PostingTable:
    return CandidateTable() if side is Side.candidates else PostingTable()


@dataclass
class Shelf:
    index: VectorIndex
    table: CandidateTable | PostingTable
    lexical: LexicalShelf = field(default_factory=LexicalShelf)
    records: dict[int, Record] = field(default_factory=dict)
    owners: dict[int, Owner] = field(default_factory=dict)

    def put(self, rid: int, record: Record, owner: Owner) -> None:
        """Mirror one record into the filter table, BM25 and memory (not FAISS: vectors come
        in batches from whoever encoded them)."""
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
