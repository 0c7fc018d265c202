"""The fair's and the placements' score matrix: every (graduate, posting) pair of a small set,
blended as the ranking would score it (`Ranker.pair_scores`).

Fairs and placements need all pairs of a small set, not a top-k, so this scores the full
matrix, with no floor: they decide eligibility themselves (`matching.filters.columns`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matching.ranking.blend import Weights, score_pairs
from matching.records.sides import Side, record_text

if TYPE_CHECKING:
    from matching.ranking.pipeline import Ranker


def pair_scores(ranker: Ranker, cids: list[int], pids: list[int], *, weights: Weights | None = None) -> np.ndarray:
    """Blended score of every pair, graduates by row and postings by column."""
    out = np.zeros((len(cids), len(pids)), dtype=float)
    if not cids or not pids:
        return out
    posts = ranker.sides[Side.postings]
    semantic = ranker.sides[Side.candidates].index.vectors(cids) @ posts.index.vectors(pids).T
    postings = [ranker.get(Side.postings, pid) for pid in pids]
    for row, cid in enumerate(cids):
        candidate = ranker.get(Side.candidates, cid)
        org = ranker.owner(Side.candidates, cid).org_id
        lexical = posts.lexical.query(record_text(candidate), org)
        pairs = [(pid, candidate, post) for pid, post in zip(pids, postings, strict=True)]
        skills, concepts = ranker.signals.for_candidate(candidate, pids, postings)  # type: ignore[arg-type]
        ranked = score_pairs(pairs, semantic[row], lexical.absolute(pids), ranker.vocab,  # type: ignore[arg-type]
                             weights or ranker.weights_for(org), None, concepts, skills)
        scored = {m.id: m.score for m in ranked}
        out[row] = [scored[pid] for pid in pids]
    return out
