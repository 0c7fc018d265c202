"""Three rankers over one `RankingTask`, scored with the same metrics: the evaluation harness.

* `bm25` — bm25s over the corpus texts, English stop words;
* `embedding` — cosine between the query and the corpus text under the chosen encoder;
* `bridgematch` — what the service itself does with such a query: a skill
  span goes through the service's skill mapper (`ConceptMapper`, exact labels
  first); a vacancy title through the service's occupation normaliser
  (`matching.esco.occupations`, what `GET /occupations` answers with); free
  text through the service's search (retrieval, signals and the blend of
  `Settings`), which lives in the service and is passed in
  (`service.search_eval`). No ranker here exists only for figures.

Example:
    >>> report = run_benchmark(load_skill_spans(path), kind="skills", model="all-MiniLM-L6-v2")
    ... # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from matching.esco.mapper import ConceptMapper
from matching.esco.occupations import occupation_normaliser
from matching.esco.vocabulary import DATA_DIR, ConceptVocabulary, fold_label, load_skill_vocabulary
from matching.evaluation.data import RankingTask
from matching.evaluation.metrics import mean_metrics
from matching.retrieval.bm25 import Bm25
from matching.retrieval.embedding_cache import DEFAULT_CACHE_DIR, cached_encode
from matching.retrieval.score_matrices import cosine_scores
from matching.retrieval.topk import best_first_rows
from models.encoder import Encoder, load_encoder

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
    return [[doc_ids[j] for j in row] for row in best_first_rows(scores, depth)]


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
    search: Callable[[RankingTask], dict[str, list[str]]] | None = None,
) -> BenchmarkReport:
    """Rank `task` with each method and score every ranking with `mean_metrics`.

    `bridgematch` is the service's own component: for skill spans the skill
    mapper (`skill_mapper_scores`), for titles the occupation normaliser
    (`occupation_scores`), for rankings the free-text search `search` runs
    (`service.search_eval.search_rankings`, the whole service path).
    """
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
        "bridgematch": lambda: (
            occupation_scores(task, shared, data_dir=data_dir, cache_dir=cache_dir) if kind == "titles"
            else skill_mapper_scores(task, shared, data_dir=data_dir, cache_dir=cache_dir)
        ),
    }
    if kind == "ranking" and "bridgematch" in methods and search is None:
        raise ValueError(f"{kind}: bridgematch is the service's search; pass `search`")
    for method in methods:
        start = time.perf_counter()
        if method == "bridgematch" and kind == "ranking":
            assert search is not None
            rankings = search(task)
        else:
            rankings = dict(zip(qids, rank_ids(rankers[method](), doc_ids)))
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
            self._bm25 = Bm25(self.docs).scores(self.queries)
        return self._bm25

    def dense(self) -> np.ndarray:
        if self._dense is None:
            self.query_vectors = cached_encode(self.encoder, self.queries, cache_dir=self.cache_dir)
            self.doc_vectors = cached_encode(self.encoder, self.docs, cache_dir=self.cache_dir)
            self._dense = cosine_scores(self.query_vectors, self.doc_vectors)
        return self._dense


def skill_mapper_scores(
    task: RankingTask, shared: _Shared, *, data_dir: Path, cache_dir: Path | None
) -> np.ndarray:
    """(spans × corpus) scores of the skill mapper the service maps every skill string with.

    The same `ConceptMapper` (exact labels and aliases first, then the dense
    cosine scaled by lexical evidence: `concept_scores`) over all of ESCO's
    skills, since the sets label spans with any ESCO skill; the service loads
    the digital collection. Each corpus item is the ESCO label it is.
    """
    dense = shared.dense()
    assert shared.query_vectors is not None
    vocab = load_skill_vocabulary(data_dir, collection="all")
    mapper = ConceptMapper(vocab, shared.encoder, cache_dir=cache_dir)
    concept = mapper.concept_scores(shared.queries, shared.query_vectors)
    return _project(concept, _item_concepts_by_label(vocab, shared.docs), fill=dense)


def occupation_scores(
    task: RankingTask, shared: _Shared, *, data_dir: Path, cache_dir: Path | None
) -> np.ndarray:
    """(titles × corpus) scores of the service's occupation normaliser (`GET /occupations`).

    Corpus items are ESCO occupations by URI; one the normaliser does not know (ESCO v1.1
    occupations retired in v1.2) ranks last.
    """
    normaliser = occupation_normaliser(shared.encoder, cache_dir or DEFAULT_CACHE_DIR, data_dir)
    scores = normaliser.scores(shared.queries)
    column = {uri: j for j, uri in enumerate(normaliser.uris)}
    known = np.array([column.get(d, -1) for d in task.corpus], dtype=np.int64)
    return _project(scores, known, fill=np.full((len(shared.queries), len(known)), -1.0, dtype=np.float32))


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


__all__ = ["BenchmarkReport", "MethodResult", "occupation_scores", "run_benchmark", "skill_mapper_scores"]
