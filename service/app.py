"""The FastAPI application: model and indexes loaded once, in the lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import Scope

from service import logs, metrics, web
from service.api.routers import ROUTERS
from service.auth import PrincipalCache, note_roles
from service.composition import build_matcher
from service.errors import STATUS, refusal
from service.limits import BodyLimitMiddleware
from service.matcher import Matcher
from service.schemas import ERROR_RESPONSES, Health
from service.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route answers at this request's path, for a 405's Allow header.

    Starlette's own 405 names only the first route it tried (GET for /candidates, although
    POST is there too). Each method is tried through the routes' public `matches`; paths under
    a mount (static files) are left to the mount's own answer.
    """
    allowed = []
    for method in HTTP_METHODS:
        probe = {"type": "http", "method": method, "path": scope["path"], "root_path": scope.get("root_path", ""),
                 "headers": scope.get("headers", [])}
        if any(route.matches(probe)[0] is Match.FULL for route in app.router.routes if not isinstance(route, Mount)):
            allowed.append(method)
    return allowed


def create_app(settings: Settings | None = None, matcher: Matcher | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.principals = PrincipalCache(ttl=settings.sync_seconds)
        app.state.matcher = matcher or build_matcher(settings)
        metrics.instrument(app.state.matcher)
        # The records, indexes and caches just loaded live as long as the process: moved out of
        # the collector's reach, a full collection no longer walks millions of them (pauses of
        # ~0.8 s every few seconds at 100k postings, seen as the P4 benchmark's p99).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if matcher is None:  # built here, so closed here
                app.state.matcher.close()

    app = FastAPI(
        title="bridgematch",
        version="0.1.0",
        description="Job matching for graduates of coding schools for refugees and migrants.",
        lifespan=lifespan,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    metrics.install(app)  # outermost: a refused body is timed too; GET /metrics

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405 and (methods := allowed_methods(request.app, request.scope)):
            exc = StarletteHTTPException(405, exc.detail, headers={**(exc.headers or {}), "Allow": ", ".join(methods)})
        return await http_exception_handler(request, exc)

    async def _refused(request: Request, exc: Exception) -> Response:
        if web.is_page(request.url.path):  # a page ran the use case: the same status and sentence, as a page
            return await web.refused_page(request, exc)
        status, body = refusal(exc)  # type: ignore[misc]  # registered for the table's types only
        return JSONResponse(body, status_code=status)

    for kind in STATUS:
        app.add_exception_handler(kind, _refused)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
             "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        named = "; ".join(  # a dict key is part of `loc`: a 5,000-character one is cut in the sentence
            f"{'.'.join(_cut(str(p)) for p in e['loc'][1:] or e['loc'])}: {e['msg']}" for e in errors[:10]
        )
        return JSONResponse({"detail": f"invalid input: {named}", "errors": errors}, status_code=422)

    @app.get("/health", response_model=Health, tags=["service"])
    def health(request: Request) -> Health:
        """Liveness for load balancers: no token needed, so it says nothing about people."""
        m: Matcher = request.app.state.matcher
        return Health(status="ok", model=m.encoder.name, worker=settings.worker)

    for router in ROUTERS:
        note_roles(router.routes)
        app.include_router(router, responses=ERROR_RESPONSES)
    web.install(app)  # server-rendered pages under /ui (service/web)
    return app
