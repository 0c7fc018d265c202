"""Free text → ESCO concepts with a confidence: the meeting point of graduates and postings.

A graduate writes "built REST APIs with Express", a posting "Node.js
backend"; neither string contains the other, but both map to ESCO concepts
(`JavaScript Framework`, `web programming`, …) and meet there.

`ConceptMapper.map` works in two layers:

1. exact (`matching.esco.exact_labels`) — the whole text, folded, is a label of a
   concept (preferred, alternative, or a curated alias from `aliases.csv`):
   `postgres` is `PostgreSQL`, `JS` is `JavaScript`. Those concepts win
   outright and nothing else is added. Failing that, the longest labels named
   inside the text count as hits, and for a short text (`SHORT_TEXT_WORDS`
   words or fewer: "Tailwind CSS") they are all there is;
2. dense + lexical — for everything else, each concept's cosine to the text
   under the `Encoder` (against its closest label; label embeddings cached on
   disk, see `embedding_cache`), scaled by BM25 against its labels:
   `cosine · (w + (1 − w) · bm25)`, `w = dense_weight`. Only concepts at or
   above `MIN_CONFIDENCE` are kept.

An exact hit's confidence is its label's weight (1.0, 0.8 for an alias that
only implies the concept). `concept_overlap` then compares two lists of hits.

Example:
    >>> mapper = ConceptMapper(load_skill_vocabulary(), load_encoder())
    >>> mapper.map("JS", k=1)[0].label
    'JavaScript'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.esco.exact_labels import SOURCE_RANK, ExactLabels, Named, word_count
from matching.esco.label_vectors import SHIPPED_DIR
from matching.esco.vocabulary import ConceptVocabulary
from matching.retrieval.bm25 import Bm25
from matching.retrieval.embedding_cache import DEFAULT_CACHE_DIR, cached_encode
from matching.retrieval.score_matrices import cosine_scores, max_by_group
from models.encoder import Encoder

MIN_CONFIDENCE = 0.7
"""Least confidence of a hit; the service's threshold (`ConceptSignal`), in one place.

Calibrated on `data/esco/skill_labels_checked.csv` with `per_skill=3` and the
default encoder. Precision is over strings given a hit (the top hit must be
the expected concept, a hit for a "none" string is wrong), recall over the
374 strings that have a concept:

    threshold   first 336 rows (tuned on)   last 90 rows (not tuned on)   all 426
    0.60        0.983 / 0.990               0.875 / 0.747                  0.964 / 0.941
    0.65        0.997 / 0.990               0.902 / 0.733                  0.980 / 0.939
    0.70        1.000 / 0.980               0.948 / 0.733                  0.991 / 0.930
    0.80        1.000 / 0.957               0.946 / 0.707                  0.991 / 0.906

Below 0.7 the dense layer starts giving soft skills a digital concept
("presentation skills" → use presentation software at 0.68, "time
management" → use personal organization software at 0.63); above it, it
loses right answers only. The former mapper at the former 0.5 scored 0.768 / 0.663
on all 426.
"""
SHORT_TEXT_WORDS = 2
"""A text of this many words or fewer that names a label gets no dense-only concept."""
# Spelled like everyday words: inside longer text these only count in this exact case.
_CASE_SENSITIVE = frozenset(
    {
        "express",
        "react",
        "node",
        "rest",
        "swift",
        "ruby",
        "spring",
        "rails",
        "flask",
        "go",
        "r",
        "c",
        "ts",
        "ml",
        "ux",
        "jest",
        "mongo",
        "api",
        "apis",
        "java",
        "python",
        "django",
        "vue",
        "windows",
        "rust",
        "dart",
        "bootstrap",
        "cypress",
        "tableau",
    }
)


# Labels with a second, everyday sense no case tells apart ("professional networking",
# "redes sociales"): they name their concept only as the whole text.
_WHOLE_ONLY = frozenset({"networking", "redes"})


@dataclass(frozen=True)
class ConceptHit:
    """An ESCO concept found for a text, with how sure the mapper is (0–1)."""

    uri: str
    label: str
    confidence: float


class ConceptMapper:
    """Maps texts to the concepts of one vocabulary (ESCO skills, or ESCO occupations).

    Building it encodes every label once (or reads them from `shipped_dir`, the vectors
    shipped for the bundled model, see `label_vectors`, or from `cache_dir`);
    mapping a text costs one encoder call and a matrix product.
    """

    def __init__(
        self,
        vocabulary: ConceptVocabulary,
        encoder: Encoder,
        *,
        cache_dir: Path | None = DEFAULT_CACHE_DIR,
        dense_weight: float = 0.85,
        shipped_dir: Path | None = SHIPPED_DIR,
    ) -> None:
        if not vocabulary.labels:
            raise ValueError(f"vocabulary {vocabulary.name!r} has no labels to map to")
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError(f"dense_weight must lie in [0, 1], got {dense_weight}")
        self.vocabulary = vocabulary
        self.encoder = encoder
        self.dense_weight = dense_weight
        self._groups = np.asarray(vocabulary.label_concept, dtype=np.int64)
        # Curated aliases are spellings, matched by the exact layer only; the dense
        # layer reads ESCO's own labels. An alias's embedding under a small model
        # pulls in any text sharing its word ("express yourself" → Express.js,
        # "professional networking" → `networking`), and the default model cannot
        # read the Arabic or Ukrainian ones at all.
        self._label_weight = np.asarray(
            [
                0.0 if source == "alias" else weight
                for source, weight in zip(vocabulary.label_source, vocabulary.label_weight)
            ],
            dtype=np.float32,
        )
        self.label_vectors = cached_encode(encoder, vocabulary.labels, cache_dir=cache_dir,
                                           shipped_dir=shipped_dir)
        self._bm25 = Bm25(vocabulary.labels)
        self.exact = ExactLabels(vocabulary, case_sensitive=_CASE_SENSITIVE, whole_only=_WHOLE_ONLY)

    def __len__(self) -> int:
        return len(self.vocabulary)

    # -- scores over every concept -------------------------------------------------------
    def dense_scores(self, vectors: np.ndarray) -> np.ndarray:
        """(texts × concepts) cosine of each text to each concept's closest label."""
        sims = cosine_scores(vectors, self.label_vectors) * self._label_weight
        return max_by_group(sims, self._groups, len(self.vocabulary))

    def lexical_scores(self, texts: list[str]) -> np.ndarray:
        """(texts × concepts) BM25 against each concept's best label, divided by the row's best."""
        scores = max_by_group(self._bm25.scores(texts), self._groups, len(self.vocabulary))
        scores = np.maximum(scores, 0.0)
        top = scores.max(axis=1, keepdims=True)
        top[top <= 0] = 1.0
        return scores / top

    def exact_scores(self, texts: list[str]) -> np.ndarray:
        """(texts × concepts) label weight where the text, or a word n-gram in it, is a label."""
        out = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(texts):
            for concept, weight in self.mentions(text).items():
                out[row, concept] = max(out[row, concept], weight)
        return out

    def blended_scores(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(texts × concepts) dense cosine scaled by lexical evidence, in [0, 1]."""
        if vectors is None:
            vectors = self.encoder.encode(texts)
        dense = np.clip(self.dense_scores(vectors), 0.0, 1.0)
        # lexical evidence scales the cosine rather than adding to it, so a shared
        # common word cannot lift an unrelated concept on its own.
        lexical = self.lexical_scores(texts)
        return dense * (self.dense_weight + (1.0 - self.dense_weight) * lexical)

    def concept_scores(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(texts × concepts) confidence in [0, 1]: the blend, or a mention's weight where higher.

        A score for every concept, for ranking concepts (the benchmarks); `map`
        picks hits with the layered rules instead. Pass `vectors` when already encoded.
        """
        return np.maximum(self.blended_scores(texts, vectors), self.exact_scores(texts))

    # -- hits ------------------------------------------------------------------------------
    def map(
        self, text: str, *, k: int = 5, min_confidence: float = MIN_CONFIDENCE
    ) -> list[ConceptHit]:
        """The `k` most likely concepts for one text, best first, at least `min_confidence`.

        Example:
            >>> [h.label for h in mapper.map("postgres", k=1)]
            ['PostgreSQL']
        """
        return self.map_many([text], k=k, min_confidence=min_confidence)[0]

    def map_many(
        self, texts: list[str], *, k: int = 5, min_confidence: float = MIN_CONFIDENCE
    ) -> list[list[ConceptHit]]:
        """`map` for many texts with one encoder call.

        Example:
            >>> [[h.label for h in hits] for hits in mapper.map_many(["Git", "Sass"], k=3)]
            [['tools for software configuration management'], ['Sass']]
        """
        if not texts:
            return []
        blended = self.blended_scores(texts)
        return [self._hits(text, row, k, min_confidence) for text, row in zip(texts, blended)]

    def _hits(
        self, text: str, blended: np.ndarray, k: int, min_confidence: float
    ) -> list[ConceptHit]:
        named = self.exact.whole(text)
        dense_too = not named
        if dense_too:
            named = self.exact.spans(text)
            dense_too = not named or word_count(text) > SHORT_TEXT_WORDS
        ranked: Named = dict(named)
        if dense_too:
            for i in np.flatnonzero(blended >= min_confidence).tolist():
                weight, rank = ranked.get(i, (0.0, len(SOURCE_RANK)))
                ranked[i] = (max(weight, float(blended[i])), rank)
        order = sorted(ranked.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
        concepts = self.vocabulary.concepts
        return [
            ConceptHit(concepts[i].uri, concepts[i].label, round(confidence, 4))
            for i, (confidence, _) in order[:k]
            if confidence >= min_confidence
        ]

    def mentions(self, text: str, *, max_words: int = 5) -> dict[int, float]:
        """Concepts named by the whole text or by any run of up to `max_words` words in it.

        Labels spelled like everyday words (`Express`, `React`, `REST`) only count
        inside longer text when written in the label's own case.
        """
        return self.exact.mentions(text, max_words=max_words)


def concept_overlap(a: list[ConceptHit], b: list[ConceptHit]) -> tuple[float, list[str]]:
    """How much of `b`'s concepts `a` also has, weighted by confidence; and the shared labels.

    Score is Σ over shared concepts of min(confidence in a, in b), divided by
    the total confidence of `b`: 1.0 when `a` holds every concept of `b` at
    least as surely, 0.0 when they share none (or `b` is empty). Use it as
    `concept_overlap(candidate_hits, posting_hits)`: extra concepts of the
    candidate do not lower the score. Labels come best contribution first.

    Example:
        >>> js = ConceptHit("u:js", "JavaScript", 0.9)
        >>> sql = ConceptHit("u:sql", "SQL", 0.5)
        >>> concept_overlap([js], [js, sql])
        (0.6429, ['JavaScript'])
    """
    return overlap(holdings(a), target(b))


Target = tuple[dict[str, tuple[float, str]], float]  # uri → (confidence ≥ 0, label); their total


def holdings(hits: list[ConceptHit]) -> dict[str, float]:
    """One side's concepts at their best confidence (never below 0).

    Split out of `concept_overlap` so ranking can compute it once per record
    (or per distinct skill list) instead of once per pair.
    """
    have: dict[str, float] = {}
    for hit in hits:
        have[hit.uri] = max(hit.confidence, have.get(hit.uri, 0.0))
    return have


def target(hits: list[ConceptHit]) -> Target:
    """The concepts a posting asks for, each with its most confident label, and their total."""
    best: dict[str, ConceptHit] = {}
    for hit in hits:
        if hit.uri not in best or hit.confidence > best[hit.uri].confidence:
            best[hit.uri] = hit
    want = {uri: (max(hit.confidence, 0.0), hit.label) for uri, hit in best.items()}
    return want, sum(confidence for confidence, _ in want.values())


def overlap(have: dict[str, float], wanted: Target) -> tuple[float, list[str]]:
    """`concept_overlap` from precomputed `holdings` and `target`."""
    score = overlap_score(have, wanted)
    if not score:
        return 0.0, []
    shared = [
        (min(have[uri], confidence), label)
        for uri, (confidence, label) in wanted[0].items()
        if uri in have
    ]
    shared.sort(key=lambda item: (-item[0], item[1]))
    return score, [label for value, label in shared if value > 0]


def overlap_score(have: dict[str, float], wanted: Target) -> float:
    """The score of `overlap` alone: ranking scores a whole pool and explains only its top."""
    want, total = wanted
    if total <= 0:
        return 0.0
    held = sum(min(have[uri], confidence) for uri, (confidence, _) in want.items() if uri in have)
    return round(min(1.0, held / total), 4)
