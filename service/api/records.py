"""CRUD and bulk import for both sides; candidates and postings share one shape of routes."""

# No `from __future__ import annotations` here: routes are built with runtime types.

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile, status

from matching.profiles import CandidateProfile, PostingRecord
from service.bulk import detect_format, parse_records, read_rows
from service.deps import MatcherDep, SettingsDep
from service.schemas import (
    CandidateList,
    CandidateOut,
    Created,
    ImportReport,
    PostingList,
    PostingOut,
)
from service.store import Side


def _router(side: Side, model: type, out: type, page: type) -> APIRouter:
    router = APIRouter(prefix=f"/{side.value}", tags=[side.value])
    noun = side.value[:-1]

    @router.post("", status_code=status.HTTP_201_CREATED, response_model=Created, summary=f"Create a {noun}")
    def create(body: model, matcher: MatcherDep) -> Created:  # type: ignore[valid-type]
        return Created(id=matcher.create(side, [body])[0])

    @router.get("", response_model=page, summary=f"List {side.value}")
    def list_(
        matcher: MatcherDep,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> object:
        items = [out(id=rid, **rec.model_dump()) for rid, rec in matcher.list(side, offset=offset, limit=limit)]
        return page(total=len(matcher.sides[side].records), offset=offset, limit=limit, items=items)

    @router.get("/{rid}", response_model=out, summary=f"Read a {noun}")
    def read(rid: int, matcher: MatcherDep) -> object:
        return out(id=rid, **matcher.get(side, rid).model_dump())

    @router.put("/{rid}", response_model=out, summary=f"Replace a {noun}")
    def replace(rid: int, body: model, matcher: MatcherDep) -> object:  # type: ignore[valid-type]
        matcher.update(side, rid, body)
        return out(id=rid, **body.model_dump())

    @router.delete("/{rid}", status_code=status.HTTP_204_NO_CONTENT, summary=f"Delete a {noun} everywhere")
    def remove(rid: int, matcher: MatcherDep) -> Response:
        matcher.delete(side, rid)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def _import_router(side: Side) -> APIRouter:
    router = APIRouter(tags=[side.value])

    @router.post(
        f"/{side.value}:import",
        response_model=ImportReport,
        status_code=status.HTTP_201_CREATED,
        summary=f"Import {side.value} from CSV, Parquet or JSON (all or nothing)",
    )
    async def import_file(
        matcher: MatcherDep,
        settings: SettingsDep,
        file: Annotated[UploadFile, File(description="CSV, Parquet or JSON file")],
        format: Annotated[str | None, Query(pattern="^(csv|parquet|json)$")] = None,
    ) -> ImportReport:
        try:
            fmt = detect_format(file.filename or "", format)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        data = await file.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise HTTPException(413, f"file is larger than {settings.max_upload_bytes} bytes")
        try:
            records = parse_records(read_rows(data, fmt), side)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        if not records:
            raise HTTPException(422, "the file holds no rows")
        from starlette.concurrency import run_in_threadpool

        ids = await run_in_threadpool(matcher.create, side, records)
        return ImportReport(imported=len(ids), ids=ids)

    return router


candidates = _router(Side.candidates, CandidateProfile, CandidateOut, CandidateList)
postings = _router(Side.postings, PostingRecord, PostingOut, PostingList)
imports = [_import_router(Side.candidates), _import_router(Side.postings)]
