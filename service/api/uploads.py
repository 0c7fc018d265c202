"""Reading an uploaded file into validated records, with HTTP errors a person can act on."""

from __future__ import annotations

from fastapi import HTTPException, UploadFile

from service.bulk import detect_format, parse_records, read_rows
from service.store import Record, Side


async def read_upload(file: UploadFile, fmt: str | None, side: Side, max_bytes: int) -> list[Record]:
    """The file's extension (never its path) picks the parser; a bad row refuses the whole file."""
    try:
        fmt = detect_format(file.filename or "", fmt)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    data = await file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise HTTPException(413, f"file is larger than {max_bytes} bytes")
    try:
        records = parse_records(read_rows(data, fmt), side)
    except ValueError as exc:  # ImportRejected included: handled as 422 with its row list
        if hasattr(exc, "errors"):
            raise
        raise HTTPException(422, str(exc)) from exc
    if not records:
        raise HTTPException(422, "the file holds no rows")
    return records
