"""Free text → ESCO concepts with a confidence: the meeting point of graduates and postings.

A graduate writes "built REST APIs with Express", a posting "Node.js
backend"; neither string contains the other, but both map to ESCO concepts
(`JavaScript Framework`, `web programming`, …) and meet there.

`ConceptMapper` scores every concept of a `ConceptVocabulary` for a text by
three signals:

* exact — the whole text, or a word n-gram inside it, is one of the concept's
  labels (preferred, alternative, or a curated alias) after folding case and
  punctuation: `postgres` is `PostgreSQL`, `JS` is `JavaScript`;
* dense — cosine between the text and the concept's closest label, under the
  `Encoder` (the label embeddings are cached on disk, see `embedding_cache`);
* lexical — BM25 of the text against the concept's labels, scaled to [0, 1].

A concept's confidence is `max(exact weight, cosine · (w + (1 − w) · bm25))`, `w = dense_weight`.
`concept_overlap` then compares two lists of hits.

Example:
    >>> mapper = ConceptMapper(load_skill_vocabulary(), load_encoder())
    >>> mapper.map("JS", k=1)[0].label
    'JavaScript'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.embedding_cache import DEFAULT_CACHE_DIR, cached_encode
from matching.esco import ConceptVocabulary, fold_label
from matching.hybrid import Bm25Index, cosine_scores, max_by_group
from models.encoder import Encoder

_WORD = re.compile(r"[\w#+]+(?:[.\-][\w#+]+)*|\.[A-Za-z]+")
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
    }
)


@dataclass(frozen=True)
class ConceptHit:
    """An ESCO concept found for a text, with how sure the mapper is (0–1)."""

    uri: str
    label: str
    confidence: float


class ConceptMapper:
    """Maps texts to the concepts of one vocabulary (ESCO skills, or ESCO occupations).

    Building it encodes every label once (or reads them from `cache_dir`);
    mapping a text costs one encoder call and a matrix product.
    """

    def __init__(
        self,
        vocabulary: ConceptVocabulary,
        encoder: Encoder,
        *,
        cache_dir: Path | None = DEFAULT_CACHE_DIR,
        dense_weight: float = 0.85,
    ) -> None:
        if not vocabulary.labels:
            raise ValueError(f"vocabulary {vocabulary.name!r} has no labels to map to")
        if not 0.0 <= dense_weight <= 1.0:
            raise ValueError(f"dense_weight must lie in [0, 1], got {dense_weight}")
        self.vocabulary = vocabulary
        self.encoder = encoder
        self.dense_weight = dense_weight
        self._groups = np.asarray(vocabulary.label_concept, dtype=np.int64)
        # Aliases spelled like everyday words (`Express`) count only as exact
        # mentions: their embedding would pull "express yourself" to Express.js.
        self._label_weight = np.asarray(
            [
                0.0 if source == "alias" and fold_label(label) in _CASE_SENSITIVE else weight
                for label, source, weight in zip(
                    vocabulary.labels, vocabulary.label_source, vocabulary.label_weight
                )
            ],
            dtype=np.float32,
        )
        self.label_vectors = cached_encode(encoder, vocabulary.labels, cache_dir=cache_dir)
        self._bm25 = Bm25Index(vocabulary.labels)
        self._exact = vocabulary.exact_index()
        self._surface: dict[str, dict[int, float]] = {}
        for label, concept, weight in zip(
            vocabulary.labels, vocabulary.label_concept, vocabulary.label_weight
        ):
            bucket = self._surface.setdefault(label.strip(), {})
            bucket[concept] = max(weight, bucket.get(concept, 0.0))

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

    def concept_scores(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(texts × concepts) confidence in [0, 1]; pass `vectors` when already encoded."""
        if vectors is None:
            vectors = self.encoder.encode(texts)
        dense = np.clip(self.dense_scores(vectors), 0.0, 1.0)
        # lexical evidence scales the cosine rather than adding to it, so a shared
        # common word cannot lift an unrelated concept on its own.
        lexical = self.lexical_scores(texts)
        blended = dense * (self.dense_weight + (1.0 - self.dense_weight) * lexical)
        return np.maximum(blended, self.exact_scores(texts))

    # -- hits ------------------------------------------------------------------------------
    def map(self, text: str, *, k: int = 5, min_confidence: float = 0.35) -> list[ConceptHit]:
        """The `k` most likely concepts for one text, best first, at least `min_confidence`.

        Example:
            >>> [h.label for h in mapper.map("postgres", k=1)]
            ['PostgreSQL']
        """
        return self.map_many([text], k=k, min_confidence=min_confidence)[0]

    def map_many(
        self, texts: list[str], *, k: int = 5, min_confidence: float = 0.35
    ) -> list[list[ConceptHit]]:
        """`map` for many texts with one encoder call."""
        if not texts:
            return []
        scores = self.concept_scores(texts)
        out = []
        for row in scores:
            order = np.argsort(-row, kind="stable")[:k]
            out.append(
                [
                    ConceptHit(
                        self.vocabulary.concepts[i].uri,
                        self.vocabulary.concepts[i].label,
                        round(float(row[i]), 4),
                    )
                    for i in order
                    if row[i] >= min_confidence
                ]
            )
        return out

    def mentions(self, text: str, *, max_words: int = 5) -> dict[int, float]:
        """Concepts named by the whole text or by a run of up to `max_words` words in it.

        Labels spelled like everyday words (`Express`, `React`, `REST`) only count
        inside longer text when written in the label's own case.
        """
        found: dict[int, float] = {}
        whole = self._exact.get(fold_label(text))
        if whole:
            found.update(whole)
        words = _WORD.findall(text)
        for n in range(min(max_words, len(words)), 0, -1):
            for start in range(len(words) - n + 1):
                surface = " ".join(words[start : start + n])
                key = fold_label(surface)
                hits = self._exact.get(key)
                if not hits:
                    continue
                if n == 1 and (key in _CASE_SENSITIVE or len(key) <= 2):
                    hits = self._surface.get(surface, {})
                for concept, weight in hits.items():
                    found[concept] = max(weight, found.get(concept, 0.0))
        return found


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
    shared = [(min(have[uri], confidence), label) for uri, (confidence, label) in wanted[0].items() if uri in have]
    shared.sort(key=lambda item: (-item[0], item[1]))
    return score, [label for value, label in shared if value > 0]


def overlap_score(have: dict[str, float], wanted: Target) -> float:
    """The score of `overlap` alone: ranking scores a whole pool and explains only its top."""
    want, total = wanted
    if total <= 0:
        return 0.0
    held = sum(min(have[uri], confidence) for uri, (confidence, _) in want.items() if uri in have)
    return round(min(1.0, held / total), 4)
