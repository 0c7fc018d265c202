"""Bulk import and export of profiles and postings as CSV, Parquet or JSON (via polars).

Import is all-or-nothing per file: every row is validated first and a single
bad row refuses the file with a report naming each failing row and field,
so a coordinator fixes the sheet once instead of finding half of it loaded.
"""

from __future__ import annotations

import io
import json
from typing import Any

import polars as pl
from pydantic import ValidationError

from matching.cefr.levels import parse_languages
from matching.records.profiles import SENSITIVE_FIELDS, CandidateProfile
from matching.records.sides import Record, Side
from service.bulk_read import ImportRejected, read_rows
from service.storage.records import MODEL

LIST_FIELDS = {"skills", "projects", "kinds", "required_skills", "nice_skills"}
# Spreadsheet apps run cells starting with these as formulas (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("|", ";").split(";") if part.strip()]
    return value


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or value == "":
            continue  # empty cell: the field's default
        if key in LIST_FIELDS:
            value = _split(value)
        elif key == "languages" and isinstance(value, str):
            value = value.strip()
            value = json.loads(value) if value.startswith("{") else parse_languages(value)
        fields[key] = value
    return fields


def parse_records(rows: list[dict[str, Any]], side: Side) -> list[Record]:
    """Validate every row; raise ImportRejected listing all failures (1-based row numbers)."""
    model = MODEL[side]
    records: list[Record] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=1):
        try:
            records.append(model.model_validate(_clean(row)))
        except ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}" for err in exc.errors()
            )
            errors.append(f"row {number}: {detail}")
        except (ValueError, TypeError) as exc:
            errors.append(f"row {number}: {exc}")
    if errors:
        raise ImportRejected(errors)
    return records


def load_records(
    data: bytes, fmt: str, side: Side, *, max_rows: int, max_bytes: int | None = None
) -> list[Record]:
    """`read_rows` then `parse_records`: the one path every import (API, pages, CLI) takes."""
    return parse_records(read_rows(data, fmt, max_rows=max_rows, max_bytes=max_bytes), side)


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_frame(
    items: list[tuple[int, Record]], side: Side, *, include_sensitive: bool = False, csv_safe: bool = False
) -> pl.DataFrame:
    """One row per record; lists joined with ';' and languages as 'es:B2;en:C1' (the import form)."""
    rows = []
    for rid, record in items:
        data = record.model_dump(mode="json")
        if isinstance(record, CandidateProfile) and not include_sensitive:
            for key in SENSITIVE_FIELDS:
                data.pop(key, None)
        data["languages"] = ";".join(f"{k}:{v}" for k, v in sorted(data["languages"].items()))
        for key in LIST_FIELDS & data.keys():
            data[key] = ";".join(data[key])
        if csv_safe:
            data = {k: _safe_cell(v) for k, v in data.items()}
        rows.append({"id": rid, **data})
    if not rows:
        names = [k for k in MODEL[side].model_fields if include_sensitive or k not in SENSITIVE_FIELDS]
        return pl.DataFrame(schema={"id": pl.Int64, **{k: pl.String for k in names}})
    return pl.DataFrame(rows, infer_schema_length=None)


def write_frame(frame: pl.DataFrame, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "csv":
        frame.write_csv(buffer)
    elif fmt == "parquet":
        frame.write_parquet(buffer)
    else:
        buffer.write(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1, default=str).encode())
    return buffer.getvalue()


def export_bytes(
    items: list[tuple[int, Record]], fmt: str, *, side: Side, include_sensitive: bool = False
) -> bytes:
    frame = to_frame(items, side, include_sensitive=include_sensitive, csv_safe=fmt == "csv")
    return write_frame(frame, fmt)

