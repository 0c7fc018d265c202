"""Reading an uploaded file into validated records, with HTTP errors a person can act on."""

from __future__ import annotations

from fastapi import HTTPException, UploadFile
from starlette.concurrency import run_in_threadpool

from matching.records.sides import Record, Side
from service.bulk import load_records
from service.bulk_read import ImportRejected, TooLarge, detect_format
from service.settings import Settings


async def read_upload(file: UploadFile, fmt: str | None, side: Side, settings: Settings) -> list[Record]:
    """The file's extension (never its path) picks the parser; a bad row refuses the whole file.

    Parsing and validation run in a worker thread: a large file must not hold the event loop,
    or every other request (/health included) waits for it. The API and the pages both call
    this, so both keep the same limits (`max_upload_bytes`, `max_import_rows`).
    """
    try:
        fmt = detect_format(file.filename or "", fmt)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    max_bytes = settings.max_upload_bytes
    data = await file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise HTTPException(413, f"file is larger than {max_bytes} bytes")
    try:
        records = await run_in_threadpool(
            load_records, data, fmt, side, max_rows=settings.max_import_rows, max_bytes=max_bytes
        )
    except TooLarge as exc:
        raise HTTPException(413, str(exc)) from exc
    except ImportRejected:
        raise  # answered 422 with its list of rows (service.app)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    if not records:
        raise HTTPException(422, "the file holds no rows")
    return records
