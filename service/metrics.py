"""Prometheus metrics at `/metrics`: how fast, how big, how often answered from memory.

Open like `/health` (no token) and, like it, about the service only: counts, sizes and
durations labelled by route *template* (`/candidates/{rid}/matches`, never an id), side
and status — nothing that names or counts a person. Exposed:

- `bridgematch_http_request_duration_seconds{method,route,status}` — every request;
- `bridgematch_rank_seconds{side}` — ranking one stored record from scratch (a cache miss);
- `bridgematch_rank_stage_seconds{stage}` — each stage of those rankings: `rules` (eligibility and
  the reasons' counts), `retrieval` (FAISS and BM25 pools), `signals` (skills, ESCO concepts),
  `blend` (scores and the shown matches' explanations), `reasons` (near-miss rules, language steps);
  a page ranks three times (list, near misses, language steps), so a stage is seen up to three
  times a page;
- `bridgematch_result_cache_total{outcome="hit|miss"}` — the ranker's result cache;
- `bridgematch_records{side}`, `bridgematch_index_vectors{side}`, `bridgematch_result_cache_entries`
  — read when scraped;
- `bridgematch_import_rows_total{side}` — rows imported through the API.

The ranker (`matching.ranking.pipeline`) knows nothing of Prometheus: `instrument` wraps its
scratch ranking and its result cache from outside, once, when the app starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from fastapi import FastAPI

    from service.matcher import Matcher

REQUEST_SECONDS = Histogram(
    "bridgematch_http_request_duration_seconds", "Time to answer a request, by route template.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RANK_SECONDS = Histogram(
    "bridgematch_rank_seconds", "Ranking one stored record's matches from scratch (eligibility, retrieval, "
    "signals, blend).", ["side"], buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
STAGES = ("rules", "retrieval", "signals", "blend", "reasons")  # `Ranker.stage` names
RANK_STAGE_SECONDS = Histogram(
    "bridgematch_rank_stage_seconds", "One stage of a scratch ranking.", ["stage"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
)
CACHE_LOOKUPS = Counter("bridgematch_result_cache", "Ranked-list cache lookups.", ["outcome"])
IMPORT_ROWS = Counter("bridgematch_import_rows", "Rows imported through the API.", ["side"])
UNMATCHED = "unmatched"  # a 404 for a path no route has: one label, whatever was asked


def instrument(matcher: Matcher) -> None:
    """Time scratch rankings and count cache lookups of this matcher's ranker (idempotent)."""
    ranker = matcher.ranker
    hits, misses = CACHE_LOOKUPS.labels("hit"), CACHE_LOOKUPS.labels("miss")
    ranker.answers.on_lookup = lambda hit: (hits if hit else misses).inc()
    timers = {stage: RANK_STAGE_SECONDS.labels(stage) for stage in STAGES}
    ranker.stage = lambda stage: timers[stage].time()
    ranker.on_ranked = lambda side, seconds: RANK_SECONDS.labels(side.value).observe(seconds)


class SizeCollector(Collector):
    """Sizes read from the live matcher when scraped (nothing to keep up to date on writes)."""

    def __init__(self, matcher: Callable[[], Matcher | None]) -> None:
        self._matcher = matcher

    def collect(self) -> Iterator[GaugeMetricFamily]:
        matcher = self._matcher()
        if matcher is None:
            return
        records = GaugeMetricFamily("bridgematch_records", "Records held, by side.", labels=["side"])
        vectors = GaugeMetricFamily("bridgematch_index_vectors", "Vectors in the FAISS index, by side.",
                                    labels=["side"])
        for side, shelf in matcher.sides.items():
            records.add_metric([side.value], len(shelf.records))
            vectors.add_metric([side.value], len(shelf.index))
        yield records
        yield vectors
        yield GaugeMetricFamily("bridgematch_result_cache_entries", "Ranked lists kept in memory.",
                                value=len(matcher.ranker.answers))


class TimingMiddleware:
    """Pure ASGI (no response buffering): the route template is read from the scope the
    router filled in (`scope["route"]`), after the answer, so a 404 for no route is one label."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = str(getattr(route, "path", UNMATCHED)) if route is not None else UNMATCHED
            REQUEST_SECONDS.labels(scope.get("method", ""), template, str(status)).observe(
                time.perf_counter() - start)


class _WithSizes:
    """The process's metrics and, read now, this app's sizes: one scrape's registry."""

    def __init__(self, sizes: SizeCollector) -> None:
        self.sizes = sizes

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()
        yield from self.sizes.collect()


def install(app: FastAPI) -> None:
    """`GET /metrics` and the request timing; sizes from `app.state.matcher` when scraped."""
    scrape = _WithSizes(SizeCollector(lambda: getattr(app.state, "matcher", None)))
    app.add_middleware(TimingMiddleware)

    # Outside the OpenAPI schema, like any scrape target; open like /health (tests/service/test_metrics.py).
    @app.get("/metrics", include_in_schema=False, response_class=Response)
    def metrics() -> Response:
        """Prometheus text format; no token needed, so nothing in it is about a person."""
        return Response(generate_latest(scrape), media_type=CONTENT_TYPE_LATEST)  # type: ignore[arg-type]
