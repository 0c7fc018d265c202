"""Free-text search through the one ranker: a coordinator's or a company's typed query against
one side of an organisation, scored with the same signals and blend as a record's matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matching.esco.mapper import overlap
from matching.filters.columns import CandidateTable
from matching.ranking.blend import Match, Weights, score_text_query
from matching.ranking.pipeline import present
from matching.records.profiles import CandidateProfile
from matching.records.sides import Side

if TYPE_CHECKING:
    from matching.ranking.pipeline import Ranker


@dataclass
class Found:
    """A free-text search's answer, and the cities it was limited to because the text names them."""

    matches: list[Match]
    places: list[str]


def search(ranker: Ranker, text: str, side: Side, *, org_id: int, company_id: int | None = None,
           limit: int = 10, weights: Weights | None = None) -> Found:
    """Free text against one side of an organisation; non-consenting candidates never appear,
    and with `company_id` only that company's postings are searched. A city the text names
    limits the search to that city and to remote work (`Found.places` says which)."""
    shelf = ranker.sides[side]
    table = shelf.table
    allowed = table.visible(org_id) if isinstance(table, CandidateTable) else table.in_org(org_id)
    if company_id is not None:
        allowed = np.array([i for i in allowed.tolist() if (o := shelf.owners.get(i)) is not None
                            and o.company_id == company_id], dtype=np.int64)
    named = table.named_places(text, allowed)
    if named:
        allowed = table.in_places(allowed, named, "remote_ok" if side is Side.candidates else "remote")
    vector = ranker.encoder.encode([text])[0]
    ids, semantic, lexical = ranker._pool(side, vector, text, allowed, org_id)
    ids, found, semantic, lexical = present(shelf.records, ids, semantic, lexical)
    skills_of = [
        rec.skills if isinstance(rec, CandidateProfile) else rec.required_skills + rec.nice_skills
        for rec in found
    ]
    concepts = None
    if ranker.concepts is not None and (wanted := ranker.concepts.named_in(text))[0]:
        concepts = [overlap(ranker.concepts.holding(rec), wanted) for rec in found]
    ranked = score_text_query(ids, skills_of, ranker.vocab.find_in_text(text), semantic, lexical,
                              ranker.vocab, weights or ranker.weights_for(org_id), concepts)[:limit]
    # Named as the caller wrote them, title-cased: no scan of the records, and no spelling
    # borrowed from a record the caller cannot see.
    return Found(ranker._labelled(side, ranked), sorted(name.title() for name in named.values()))
