"""Job titles → ESCO occupations: what a posting's title or a graduate's headline is, in ESCO.

Vacancy titles are written freely ("Junior Dev (m/f/d) – React", "Trainee Desarrollo Web");
ESCO names 3,039 occupations with about 33,000 English labels (and Spanish and German ones).
The normaliser scores every occupation by the cosine of the title to its closest label,
scaled by BM25 evidence over the same labels (`ConceptMapper.blended_scores`), and puts an
occupation whose label *is* the whole title first. Measured on the JobBERT vacancy titles
(`bridgematch evaluate titles`, bench/results/eval_titles.txt), this is the component the
harness reports; the service answers `GET /occupations?title=…` with it and the intake
drafts use it.

Word runs inside a title are not taken as mentions here, unlike skills: "developer" or
"assistant" alone is an ESCO label, and reading it out of "nursing assistant" would put
the generic occupation above the precise one (measured: MRR 0.370 → 0.331 on the titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from matching.esco.mapper import ConceptMapper
from matching.esco.vocabulary import DATA_DIR, load_occupation_vocabulary
from matching.retrieval.topk import best_first
from models.encoder import Encoder

# Below this a title is not said to be an occupation at all (a one-word title such as "Hola"
# scores about 0.3 against its nearest label under the default model).
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Occupation:
    uri: str
    label: str
    confidence: float


class OccupationNormaliser:
    def __init__(self, mapper: ConceptMapper) -> None:
        if not mapper.vocabulary.concepts or mapper.vocabulary.concepts[0].kind != "occupation":
            raise ValueError("the occupation normaliser needs a mapper over ESCO occupations")
        self.mapper = mapper

    @property
    def uris(self) -> list[str]:
        return [c.uri for c in self.mapper.vocabulary.concepts]

    def scores(self, titles: list[str]) -> np.ndarray:
        """(titles × occupations) confidence in [0, 1]; a title equal to a label scores that
        label's weight at least, so an exact title is never outranked by a near one."""
        if not titles:
            return np.zeros((0, len(self.mapper)), dtype=np.float32)
        scores = self.mapper.blended_scores(titles)
        for row, title in enumerate(titles):
            for concept, (weight, _) in self.mapper.exact.whole(title).items():
                scores[row, concept] = max(scores[row, concept], 1.0 + weight)  # above any blend
        return _squash(scores)

    def normalise(self, titles: list[str], *, k: int = 5,
                  min_confidence: float = MIN_CONFIDENCE) -> list[list[Occupation]]:
        """The `k` likeliest occupations per title, best first, none below `min_confidence`."""
        concepts = self.mapper.vocabulary.concepts
        out = []
        for row in self.scores(titles):
            order = best_first(row, k=k)
            out.append([Occupation(concepts[i].uri, concepts[i].label, round(float(row[i]), 4))
                        for i in order.tolist() if row[i] >= min_confidence])
        return out


def _squash(scores: np.ndarray) -> np.ndarray:
    """Exact titles (scored above 1) to 1, in order of their label's weight; the rest as blended."""
    exact = scores > 1.0
    out = np.clip(scores, 0.0, 0.99)
    out[exact] = 0.99 + 0.01 * np.minimum(scores[exact] - 1.0, 1.0)
    return out


@lru_cache(maxsize=4)
def occupation_normaliser(encoder: Encoder, cache_dir: Path, data_dir: Path = DATA_DIR) -> OccupationNormaliser:
    """The one normaliser of a process, over ESCO's English occupation labels: built on first
    use (encoding 33,307 labels takes about a minute, once; then read from `cache_dir`)."""
    return OccupationNormaliser(ConceptMapper(load_occupation_vocabulary(data_dir), encoder, cache_dir=cache_dir))
