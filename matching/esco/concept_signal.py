"""The ESCO concept signal for ranking: each skill string mapped once, records' concepts cached.

Skill strings repeat a lot (a few hundred distinct ones across thousands of
profiles), so mappings are cached per string and computed in batches when
records arrive, and each distinct skill list's concepts (what a graduate
holds, what a posting asks for) once. `matching.skills.pair_signals` turns them into
feature rows and scores whole pools. Mappings never change once made, so
neither cache needs invalidating; both are bounded. With `persisted`, mappings made by
any process are kept on disk (`matching.esco.persisted_hits`), so a reader that finds
every skill there never encodes, hence never loads the model.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from matching.esco.mapper import MIN_CONFIDENCE, ConceptHit, ConceptMapper, Target, holdings, target
from matching.esco.persisted_hits import PersistedHits
from matching.esco.vocabulary import load_skill_vocabulary
from matching.records.profiles import CandidateProfile
from matching.records.sides import Record
from models.encoder import Encoder


@lru_cache(maxsize=4)
def skill_mapper(encoder: Encoder, cache_dir: Path) -> ConceptMapper:
    """ESCO's digital-skills collection (1,284 concepts): the skills coding-school graduates have.
    Its label embeddings are cached on disk, so only the very first start encodes them."""
    return ConceptMapper(load_skill_vocabulary(), encoder, cache_dir=cache_dir)


class ConceptSignal:
    """Skill strings → ESCO hits (at most `per_skill` each, at least `min_confidence`), cached."""

    def __init__(
        self, mapper: ConceptMapper, *, per_skill: int = 3, min_confidence: float = MIN_CONFIDENCE,
        persisted: PersistedHits | None = None,
    ) -> None:
        self.mapper = mapper
        self.persisted = persisted
        self.per_skill = per_skill
        self.min_confidence = min_confidence
        self._hits: dict[str, list[ConceptHit]] = {}
        self._holdings: dict[tuple[str, ...], dict[str, float]] = {}
        self._targets: dict[tuple[str, ...], Target] = {}
        self._lock = threading.Lock()

    @staticmethod
    def skills_of(record: Record) -> list[str]:
        if isinstance(record, CandidateProfile):
            return record.skills
        return record.required_skills + record.nice_skills

    def learn(self, records: list[Record]) -> None:
        """Map the skill strings not seen yet, in one batch: from the persisted mappings first."""
        fresh = sorted({s for r in records for s in self.skills_of(r)} - self._hits.keys())
        if fresh and self.persisted is not None:
            stored = self.persisted.read_new()
            with self._lock:
                for skill, hits in stored.items():
                    self._hits.setdefault(skill, hits)
            fresh = [s for s in fresh if s not in self._hits]
        if not fresh:
            return
        # Plain floats, as read back from disk: a writer and a reader then score with equal numbers.
        mapped = [[ConceptHit(h.uri, h.label, float(h.confidence)) for h in hits] for hits in self.map_skills(fresh)]
        with self._lock:
            self._hits.update(zip(fresh, mapped, strict=True))
        if self.persisted is not None:
            self.persisted.append(dict(zip(fresh, mapped, strict=True)))

    def forget_unused(self, records: list[Record]) -> None:
        """Drop every mapping of a skill string no record in `records` holds, in memory and on
        disk: after an erasure, a skill only the erased graduate typed is kept nowhere."""
        used = {s for r in records for s in self.skills_of(r)}
        with self._lock:
            for skill in self._hits.keys() - used:
                del self._hits[skill]
            for cache in (self._holdings, self._targets):
                for key in [k for k in cache if not used.issuperset(k)]:
                    del cache[key]
        if self.persisted is not None:
            self.persisted.keep_only(used)

    def map_skills(self, skills: list[str]) -> list[list[ConceptHit]]:
        """Each skill string's hits, uncached: the one call intake and ranking both go through."""
        return self.mapper.map_many(skills, k=self.per_skill, min_confidence=self.min_confidence)

    def named_in(self, text: str) -> Target:
        """The concepts a free text names by label or alias (exact layer only: a search is short,
        and the dense layer would read a whole sentence as some concept)."""
        concepts = self.mapper.vocabulary.concepts
        return target([ConceptHit(concepts[i].uri, concepts[i].label, round(weight, 4))
                       for i, weight in sorted(self.mapper.mentions(text).items())
                       if weight >= self.min_confidence])

    def hits(self, record: Record) -> list[ConceptHit]:
        skills = self.skills_of(record)
        if any(s not in self._hits for s in skills):
            self.learn([record])
        return [hit for s in skills for hit in self._hits[s]]

    def holding(self, record: Record) -> dict[str, float]:
        key = tuple(self.skills_of(record))
        found = self._holdings.get(key)
        if found is None:
            found = _bounded(self._holdings)[key] = holdings(self.hits(record))
        return found

    def target(self, record: Record) -> Target:
        key = tuple(self.skills_of(record))
        found = self._targets.get(key)
        if found is None:
            found = _bounded(self._targets)[key] = target(self.hits(record))
        return found


def _bounded(cache: dict, limit: int = 200_000) -> dict:
    """The cache, emptied first when full: distinct skill lists are few, so this rarely happens."""
    if len(cache) >= limit:
        cache.clear()
    return cache
