"""The composition root: every part of the running engine built from `Settings`, once.

The app (`service.app.create_app`), the CLI and the evaluation harness's scratch catalogue all
start here, so they run the same encoder, vocabulary, weights, ESCO mapper and index options.
"""

from __future__ import annotations

import logging

import faiss

from matching.esco.concept_signal import ConceptSignal, skill_mapper
from matching.esco.mapper import MIN_CONFIDENCE
from matching.esco.persisted_hits import PersistedHits
from matching.ranking.blend import Weights
from matching.ranking.model_advice import model_advice
from matching.records.sides import Side
from matching.skills.vocabulary import SkillVocabulary
from models.lazy import LazyEncoder, lazy_encoder
from service.db import make_engine, make_sessions
from service.lock import WriterLock
from service.matcher import Matcher
from service.settings import Settings
from service.storage.watch import CommitWatch

log = logging.getLogger(__name__)
PER_SKILL = 3  # ESCO hits kept per skill string (`ConceptSignal`'s default)


def _concepts(settings: Settings, encoder: LazyEncoder, *, writer: bool) -> ConceptSignal:
    """The ESCO signal, its skill mappings kept in the cache folder: written by writers (at start-up
    and on every write), read by readers, so `bridgematch match` finds them and encodes nothing."""
    mapper = skill_mapper(encoder, settings.cache_dir.resolve())
    persisted = PersistedHits.for_mapper(mapper, settings.cache_dir.resolve(), per_skill=PER_SKILL,
                                         min_confidence=MIN_CONFIDENCE, writable=writer)
    return ConceptSignal(mapper, per_skill=PER_SKILL, min_confidence=MIN_CONFIDENCE, persisted=persisted)


def build_matcher(settings: Settings, *, writer: bool = True) -> Matcher:
    """Everything the engine needs, from settings; shared by the app and the CLI.

    A writer holds the index folder's lock until `close()`; a reader (CLI
    match) may run beside a serving process and never writes files. The encoder is
    lazy (`models.lazy`): vectors of stored records and ESCO labels come from caches,
    so the model is loaded only when some text really has to be encoded.
    """
    # One query at a time is what the service runs: FAISS's OpenMP threads only add overhead there
    # (measured: 2 threads were 2-5x slower per query on this 2-core machine under load).
    faiss.omp_set_num_threads(settings.faiss_threads)
    lock = WriterLock(settings.index_dir) if writer else None
    engine = make_engine(settings.database_url)
    encoder = lazy_encoder(settings.model, settings.cache_dir.resolve() / "onnx")
    matcher = Matcher(
        sessions=make_sessions(engine),
        encoder=encoder,
        vocab=SkillVocabulary.from_csv(settings.data_dir / "skill_aliases.csv"),
        index_dir=settings.index_dir,
        weights=Weights(settings.weight_semantic, settings.weight_skills, settings.weight_lexical,
                        settings.weight_concepts if settings.concepts else 0.0),
        pool=settings.candidate_pool,
        read_only=not writer,
        sync_seconds=settings.sync_seconds,
        index_options={"ann_threshold": settings.ann_threshold, "nprobe": settings.ann_nprobe},
        cache_size=settings.cache_size,
        start_slack_days=settings.start_slack_days,
        concepts=_concepts(settings, encoder, writer=writer) if settings.concepts else None,
    )
    matcher.lock = lock
    matcher.watch = CommitWatch(settings.sqlite_path)
    try:
        matcher.start()
    except BaseException:
        matcher.close()
        raise
    if writer:
        languages = [matcher.get(side, rid).text_language for side in Side for rid in matcher.ids(side)]
        advice = model_advice(languages, encoder.name)
        if advice:
            log.warning("%s", advice)
    return matcher
