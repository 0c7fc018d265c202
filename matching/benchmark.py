"""Three rankers over one `RankingTask`, scored with the same metrics: the evaluation harness.

* `bm25` — bm25s over the corpus texts, English stop words;
* `embedding` — cosine between the query and the corpus text under the chosen encoder;
* `bridgematch` — the hybrid the engine uses: the two above fused with the
  ESCO concept channel of `ConceptMapper` (a query is close to an item when
  it maps to the ESCO concept the item is, or names).

How the concept channel meets the corpus depends on what the corpus is:
ESCO occupations (titles set: the item *is* a concept), ESCO labels (skills
set, MELO: an item names a concept, found by exact label match), or free
titles (title similarity: an item is mapped to concepts like the query).

Example:
    >>> report = run_benchmark(load_trec_dir(path), kind="ranking", model="all-MiniLM-L6-v2")
    ... # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from matching.concepts import ConceptMapper
from matching.embedding_cache import DEFAULT_CACHE_DIR, cached_encode
from matching.esco import (
    DATA_DIR,
    ConceptVocabulary,
    fold_label,
    load_occupation_vocabulary,
    load_skill_vocabulary,
)
from matching.eval_data import RankingTask
from matching.evaluate import mean_metrics
from matching.hybrid import (
    Bm25Index,
    CharNgramIndex,
    cosine_scores,
    fuse,
    max_by_group,
    minmax_rows,
    reciprocal_rank_fusion,
    top_k,
)
from matching.language import detect_language
from models.encoder import DEFAULT_MODEL, Encoder, load_encoder

TaskKind = Literal["titles", "skills", "ranking"]
METHODS = ("bm25", "embedding", "bridgematch")
RANK_DEPTH = 1000


@dataclass(frozen=True)
class MethodResult:
    method: str
    metrics: dict[str, float]
    seconds: float


@dataclass
class BenchmarkReport:
    task: str
    model: str
    queries: int
    corpus: int
    results: list[MethodResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "task": self.task,
            "model": self.model,
            "queries": self.queries,
            "corpus": self.corpus,
            "results": [
                {"method": r.method, "seconds": round(r.seconds, 1), **r.metrics}
                for r in self.results
            ],
        }


def rank_ids(scores: np.ndarray, doc_ids: list[str], depth: int = RANK_DEPTH) -> list[list[str]]:
    """Corpus ids best first, `depth` deep, per score row."""
    return [[doc_ids[j] for j in row] for row in top_k(scores, depth)]


def run_benchmark(
    task: RankingTask,
    *,
    kind: TaskKind,
    model: str,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    data_dir: Path = DATA_DIR,
    ks: tuple[int, ...] = (1, 5, 10),
    methods: tuple[str, ...] = METHODS,
    encoder: Encoder | None = None,
) -> BenchmarkReport:
    """Rank `task` with each method and score every ranking with `mean_metrics`."""
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown method(s) {sorted(unknown)}; choose from {', '.join(METHODS)}")
    encoder = encoder or load_encoder(model)
    qids = task.judged()
    if not qids:
        raise ValueError(f"task {task.name} has no query with a relevant item")
    queries = [task.queries[q] for q in qids]
    doc_ids = list(task.corpus)
    docs = [task.corpus[d] for d in doc_ids]
    report = BenchmarkReport(task.name, encoder.name, len(qids), len(doc_ids))
    qrels = {q: task.qrels[q] for q in qids}
    shared = _Shared(encoder, cache_dir, queries, docs)
    rankers: dict[str, Callable[[], np.ndarray]] = {
        "bm25": shared.bm25,
        "embedding": shared.dense,
        "bridgematch": lambda: bridgematch_scores(
            task, qids, shared, kind=kind, data_dir=data_dir, cache_dir=cache_dir
        ),
    }
    for method in methods:
        start = time.perf_counter()
        scores = rankers[method]()
        rankings = dict(zip(qids, rank_ids(scores, doc_ids)))
        metrics = mean_metrics(rankings, qrels, ks=ks)
        report.results.append(MethodResult(method, metrics, time.perf_counter() - start))
    return report


class _Shared:
    """Score matrices the methods have in common, each computed once."""

    def __init__(
        self, encoder: Encoder, cache_dir: Path | None, queries: list[str], docs: list[str]
    ):
        self.encoder, self.cache_dir, self.queries, self.docs = encoder, cache_dir, queries, docs
        self._bm25: np.ndarray | None = None
        self._dense: np.ndarray | None = None
        self.query_vectors: np.ndarray | None = None
        self.doc_vectors: np.ndarray | None = None

    def bm25(self) -> np.ndarray:
        if self._bm25 is None:
            self._bm25 = Bm25Index(self.docs).scores(self.queries)
        return self._bm25

    def dense(self) -> np.ndarray:
        if self._dense is None:
            self.query_vectors = cached_encode(self.encoder, self.queries, cache_dir=self.cache_dir)
            self.doc_vectors = cached_encode(self.encoder, self.docs, cache_dir=self.cache_dir)
            self._dense = cosine_scores(self.query_vectors, self.doc_vectors)
        return self._dense


def bridgematch_scores(
    task: RankingTask,
    qids: list[str],
    shared: _Shared,
    *,
    kind: TaskKind,
    data_dir: Path,
    cache_dir: Path | None,
) -> np.ndarray:
    """The hybrid's (queries × corpus) scores for one task kind."""
    dense, lexical = shared.dense(), shared.bm25()
    assert shared.query_vectors is not None
    if kind == "titles":
        vocab = load_occupation_vocabulary(data_dir, languages=("en",))
        mapper = ConceptMapper(vocab, shared.encoder, cache_dir=cache_dir)
        concept = mapper.dense_scores(shared.query_vectors)
        label_text = _concept_documents(vocab)
        concept_lexical = Bm25Index(label_text).scores(shared.queries)
        item_concept = _item_concepts_by_uri(vocab, list(task.corpus))
        channels = [
            _project(concept, item_concept),
            _project(concept_lexical, item_concept),
            dense,
            lexical,
        ]
        scores = reciprocal_rank_fusion(channels, TITLES_RRF_WEIGHTS)
        # corpus entries that are not ESCO occupations (ISCO groups) go last
        scores[:, item_concept < 0] -= 1.0
        return scores
    if kind == "skills":
        # The chosen model maps the span to ESCO skills (exact, dense, lexical);
        # the other bundled model gives a second opinion, the sentence a little context.
        vocab = load_skill_vocabulary(data_dir, collection="all")
        mapper = ConceptMapper(vocab, shared.encoder, cache_dir=cache_dir)
        concept = mapper.concept_scores(shared.queries, shared.query_vectors)
        item_concept = _item_concepts_by_label(vocab, shared.docs)
        other = load_encoder(DEFAULT_MODEL if shared.encoder.name.startswith("use") else "use")
        second = ConceptMapper(vocab, other, cache_dir=cache_dir)
        second_vectors = cached_encode(other, shared.queries, cache_dir=cache_dir)
        contexts = [task.contexts.get(q, "") for q in qids]
        context_vectors = cached_encode(shared.encoder, contexts, cache_dir=cache_dir)
        context = cosine_scores(context_vectors, shared.doc_vectors)
        return (
            _project(concept, item_concept, fill=dense)
            + SKILLS_SECOND_MODEL_WEIGHT
            * _project(second.dense_scores(second_vectors), item_concept, fill=dense)
            + SKILLS_CONTEXT_WEIGHT * context
            + SKILLS_BM25_WEIGHT * minmax_rows(lexical)
        )
    return _ranking_scores(shared, data_dir=data_dir, cache_dir=cache_dir)


TITLES_RRF_WEIGHTS = (2.0, 1.0, 1.0, 1.0)
SKILLS_SECOND_MODEL_WEIGHT = 0.5
SKILLS_CONTEXT_WEIGHT = 0.1
SKILLS_BM25_WEIGHT = 0.05


RANKING_WEIGHTS = {"dense": 0.55, "concept": 0.3, "bm25": 0.15}
RANKING_ESCO_WEIGHTS = {"dense": 0.15, "concept": 0.85, "bm25": 0.0}
CHAR_WEIGHT = 0.2
FALLBACK_BM25_WEIGHT = 0.2
CONCEPT_TOP = 20
CONCEPT_TEMPERATURE = 0.1


def _ranking_scores(shared: _Shared, *, data_dir: Path, cache_dir: Path | None) -> np.ndarray:
    """Free-text corpora (title similarity) and corpora of ESCO labels (MELO).

    Query and items are mapped to ESCO occupations (labels in every language
    the encoder reads, plus character n-grams that let cognates meet across
    languages); an item that *is* an ESCO label stands for its concept, any
    other item for its own top concepts. When most of the corpus is ESCO
    labels the concept channel leads the blend, otherwise the direct cosine.
    """
    dense, lexical = shared.dense(), shared.bm25()
    assert shared.query_vectors is not None and shared.doc_vectors is not None
    multilingual = shared.encoder.name.startswith("use")
    if not multilingual and detect_language(" . ".join(shared.queries[:300])) not in ("en", None):
        # English-only model, other-language queries: ESCO's English labels would
        # only add noise, so fall back to the direct cosine plus BM25.
        return fuse([dense, lexical], [1.0 - FALLBACK_BM25_WEIGHT, FALLBACK_BM25_WEIGHT])
    languages = ("en", "es", "de") if multilingual else ("en",)
    vocab = load_occupation_vocabulary(data_dir, languages=languages)
    mapper = ConceptMapper(vocab, shared.encoder, cache_dir=cache_dir)
    chars = CharNgramIndex(vocab.labels)
    groups = np.asarray(vocab.label_concept)

    def concepts(texts: list[str], vectors: np.ndarray) -> np.ndarray:
        char = max_by_group(chars.scores(texts), groups, len(vocab))
        return mapper.dense_scores(vectors) + CHAR_WEIGHT * char

    query_concepts = sparse_distribution(
        concepts(shared.queries, shared.query_vectors), CONCEPT_TOP, CONCEPT_TEMPERATURE
    )
    item_concept = _item_concepts_by_label(vocab, shared.docs)
    named = item_concept >= 0
    if named.mean() >= 0.5:
        concept = _project(query_concepts, item_concept)
        weights = RANKING_ESCO_WEIGHTS
    else:
        item_concepts = sparse_distribution(
            concepts(shared.docs, shared.doc_vectors), CONCEPT_TOP, CONCEPT_TEMPERATURE
        )
        concept = query_concepts @ item_concepts.T
        weights = RANKING_WEIGHTS
    return fuse([dense, concept, lexical], [weights["dense"], weights["concept"], weights["bm25"]])


def sparse_distribution(scores: np.ndarray, k: int, temperature: float) -> np.ndarray:
    """Keep each row's `k` best concepts, softmax them at `temperature`, scale rows to unit length."""
    out = np.zeros_like(scores, dtype=np.float32)
    idx = top_k(scores, k)
    values = np.take_along_axis(scores, idx, axis=1)
    values = np.exp((values - values[:, :1]) / temperature)
    np.put_along_axis(out, idx, values.astype(np.float32), axis=1)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def _concept_documents(vocab: ConceptVocabulary) -> list[str]:
    """All labels of each concept joined into one text, for BM25 per concept."""
    parts: list[list[str]] = [[] for _ in vocab.concepts]
    for label, concept in zip(vocab.labels, vocab.label_concept):
        parts[concept].append(label)
    return [" ; ".join(p) for p in parts]


def _item_concepts_by_uri(vocab: ConceptVocabulary, uris: list[str]) -> np.ndarray:
    return np.array([(-1 if (i := vocab.index_of(u)) is None else i) for u in uris], dtype=np.int64)


def _item_concepts_by_label(vocab: ConceptVocabulary, texts: list[str]) -> np.ndarray:
    """The concept each text names: by preferred label first, then any exact (folded) label."""
    preferred = {c.label: i for i, c in reversed(list(enumerate(vocab.concepts)))}
    exact = vocab.exact_index()
    out = np.full(len(texts), -1, dtype=np.int64)
    for j, text in enumerate(texts):
        if text in preferred:
            out[j] = preferred[text]
            continue
        hits = exact.get(fold_label(text))
        if hits:
            out[j] = max(hits.items(), key=lambda item: (item[1], -item[0]))[0]
    return out


def _project(
    concept_scores: np.ndarray, item_concept: np.ndarray, *, fill: np.ndarray | None = None
) -> np.ndarray:
    """Per item, the score of the concept it is (or names); `fill` (or the row minimum) elsewhere."""
    known = item_concept >= 0
    out = np.empty((concept_scores.shape[0], item_concept.shape[0]), dtype=np.float32)
    if fill is not None:
        out[:] = fill
    else:
        finite = np.where(np.isfinite(concept_scores), concept_scores, np.nan)
        out[:] = np.nan_to_num(np.nanmin(finite, axis=1, keepdims=True), nan=0.0)
    out[:, known] = concept_scores[:, item_concept[known]]
    return out


__all__ = ["BenchmarkReport", "MethodResult", "bridgematch_scores", "run_benchmark"]
