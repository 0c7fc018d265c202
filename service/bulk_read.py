"""Reading an import file's bytes into row dicts, with its size checked before rows are built.

A few kilobytes of Parquet can state millions of repeated rows, and one CSV line of commas
millions of columns; polars would build them all (gigabytes, a minute of CPU) before any
validation saw them. Here the Parquet footer and the CSV header are counted first, and a file
over a limit is refused (`TooLarge`, answered 413) unread.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("csv", "parquet", "json")
# A record has fewer than 30 fields, so no valid file is wider; a wider one is refused unread.
MAX_COLUMNS = 200
# The CSV header: up to the first line break outside double quotes.
_CSV_HEADER = re.compile(r'[^"\n]*(?:"[^"]*"[^"\n]*)*')
_QUOTED = re.compile(r'"[^"]*"')
_KINDS = {bool: "true or false", int: "a number", float: "a number", str: "a text string", list: "a list"}


class ImportRejected(ValueError):
    """The file was refused as a whole; `errors` lists each bad row."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:10]) + (f"; and {len(errors) - 10} more" if len(errors) > 10 else "")
        super().__init__(f"{len(errors)} row(s) rejected, nothing imported: {shown}")


class TooLarge(ValueError):
    """The file is over an import limit (rows, columns, unpacked size); the API answers 413."""


class ParquetSize(NamedTuple):
    rows: int
    columns: int
    values: int  # every leaf value, list items included


def detect_format(name: str, explicit: str | None = None) -> str:
    """Format from an explicit choice or the file name's extension (never from its path)."""
    fmt = (explicit or Path(name or "").suffix.lstrip(".")).lower()
    fmt = {"ndjson": "json", "jsonl": "json", "pq": "parquet"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise ValueError(f"unknown file format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def read_rows(data: bytes, fmt: str, *, max_rows: int, max_bytes: int | None = None) -> list[dict[str, Any]]:
    """Parse a file's bytes into row dicts, refusing it (`TooLarge`) before rows past a limit exist.

    `max_bytes` caps what a compressed Parquet file unpacks to; CSV and JSON are no larger than
    their bytes. Raises ValueError with the parser's complaint, ImportRejected naming each JSON
    row that is not an object.

    Example:
        >>> read_rows(b"name,skills\\nAna,JS\\n", "csv", max_rows=10)
        [{'name': 'Ana', 'skills': 'JS'}]
    """
    try:
        if fmt == "csv":
            frame = _read_csv(data.decode("utf-8-sig"), max_rows)
        elif fmt == "parquet":
            frame = _read_parquet(data, max_rows, max_bytes)
        else:
            return _read_json(data.decode("utf-8-sig"), max_rows)
    except UnicodeDecodeError as exc:
        raise ValueError(f"file is not valid UTF-8 (byte {exc.start})") from exc
    except (pl.exceptions.PolarsError, pa.ArrowException, OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"could not read the {fmt} file: {exc}") from exc
    except RecursionError as exc:
        raise ValueError(f"the {fmt} file is nested too deeply to be a table") from exc
    return frame.to_dicts()


def parquet_size(data: bytes) -> ParquetSize:
    """Rows, columns and values as the Parquet footer states them, without reading a data page.

    Why: compressed Parquet can describe millions of repeated rows in a few kilobytes; the
    footer tells before any of them is built in memory.

    Example:
        >>> buffer = io.BytesIO()
        >>> pl.DataFrame({"name": ["Ana", "Bo"]}).write_parquet(buffer)
        >>> parquet_size(buffer.getvalue())
        ParquetSize(rows=2, columns=1, values=2)
    """
    meta = pq.ParquetFile(io.BytesIO(data)).metadata
    values = sum(
        meta.row_group(g).column(c).num_values for g in range(meta.num_row_groups) for c in range(meta.num_columns)
    )
    return ParquetSize(meta.num_rows, meta.num_columns, values)


def _check_shape(rows: int, columns: int, max_rows: int, *, exact: bool = True) -> None:
    if columns > MAX_COLUMNS:
        raise TooLarge(f"the file has {columns:,} columns; at most {MAX_COLUMNS} are allowed. "
                       "Keep only the columns that are fields of the records.")
    if rows > max_rows:
        counted = f"{rows:,} rows" if exact else f"more than {max_rows:,} rows"
        raise TooLarge(f"the file has {counted}; at most {max_rows:,} can be imported at once. "
                       "Split it into smaller files.")


def _check_unpacked(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(f"the Parquet file is more than {max_bytes:,} bytes once unpacked; at most "
                       f"{max_bytes:,} bytes can be imported at once. Split it into smaller files.")


def _read_csv(text: str, max_rows: int) -> pl.DataFrame:
    header = _CSV_HEADER.match(text)
    assert header is not None  # the pattern matches the empty string
    line = header.group()
    _check_shape(0, (_QUOTED.sub("", line) if '"' in line else line).count(",") + 1, max_rows)
    frame = pl.read_csv(io.StringIO(text), infer_schema=False, n_rows=max_rows + 1)
    _check_shape(frame.height, frame.width, max_rows, exact=False)
    return frame


def _read_parquet(data: bytes, max_rows: int, max_bytes: int | None) -> pl.DataFrame:
    size = parquet_size(data)
    _check_shape(size.rows, size.columns, max_rows)
    _check_unpacked(size.values, max_bytes)  # each value takes a byte at least
    frame = pl.read_parquet(io.BytesIO(data))
    _check_shape(frame.height, frame.width, max_rows)  # in case the footer understated them
    _check_unpacked(frame.estimated_size(), max_bytes)  # before Python objects are made of it
    return frame


def _not_an_object(where: str, value: Any) -> str:
    kind = "null" if value is None else _KINDS.get(type(value), type(value).__name__)
    return f'{where}: {kind} is not an object; each row must look like {{"name": "Ana", "skills": ["JS"]}}'


def _read_json(text: str, max_rows: int) -> list[dict[str, Any]]:
    """An array of objects, or one object a line (JSON lines), read no further than one row past the cap."""
    text = text.strip()
    if text.startswith("["):
        rows = json.loads(text)
        _check_shape(len(rows), 0, max_rows)
        errors = [_not_an_object(f"row {n}", row) for n, row in enumerate(rows, start=1) if not isinstance(row, dict)]
    else:
        rows, errors = [], []
        # Universal newlines (\n, \r\n, \r) only: a U+2028 inside a JSON string does not end a line.
        for number, line in enumerate(io.StringIO(text, newline=None), start=1):
            if not line.strip():
                continue
            if len(rows) == max_rows:
                _check_shape(max_rows + 1, 0, max_rows, exact=False)
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"could not read the json file: line {number}: {exc.msg} "
                                 f"(column {exc.colno})") from exc
            if not isinstance(row, dict):
                errors.append(_not_an_object(f"line {number}", row))
            rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows
