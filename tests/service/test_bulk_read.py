"""service.bulk_read's limits, as plain functions: each refusal happens before the rows exist."""

from __future__ import annotations

import io

import polars as pl
import pytest

from service.bulk_read import ParquetSize, TooLarge, parquet_size, read_rows
from tests.service.api.test_uploads import tiny_parquet


def _without_data_pages(data: bytes) -> bytes:
    """The same file with every byte between the magic header and the footer zeroed:
    the footer (schema, row counts) still reads, any data page would not."""
    footer = int.from_bytes(data[-8:-4], "little")
    end = len(data) - 8 - footer
    return data[:4] + bytes(end - 4) + data[end:]


def test_parquet_size_comes_from_the_footer() -> None:
    data = tiny_parquet(2_000_000)
    assert parquet_size(data) == ParquetSize(rows=2_000_000, columns=1, values=2_000_000)
    assert parquet_size(_without_data_pages(data)) == parquet_size(data)


def test_an_over_cap_parquet_is_refused_without_reading_a_data_page() -> None:
    broken = _without_data_pages(tiny_parquet(2_000_000))
    with pytest.raises(ValueError, match="could not read"):
        read_rows(broken, "parquet", max_rows=2_000_000)  # reading the data fails: the pages are gone
    with pytest.raises(TooLarge, match="2,000,000 rows; at most 50,000"):
        read_rows(broken, "parquet", max_rows=50_000)  # so this refusal never read them


def test_a_parquet_that_unpacks_past_the_byte_limit_is_refused() -> None:
    buffer = io.BytesIO()
    pl.select(summary=pl.repeat("x" * 10_000, 1_000, eager=True)).write_parquet(buffer, compression="zstd")
    data = buffer.getvalue()
    assert len(data) < 20_000  # 10 MB of text once unpacked
    with pytest.raises(TooLarge, match="more than 5,000,000 bytes"):
        read_rows(data, "parquet", max_rows=50_000, max_bytes=5_000_000)
    assert len(read_rows(data, "parquet", max_rows=50_000)) == 1_000  # no byte limit (the CLI)


def test_a_parquet_list_of_millions_of_items_is_refused_from_its_footer() -> None:
    buffer = io.BytesIO()
    pl.select(skills=pl.repeat(["JS"] * 2_000_000, 1, eager=True)).write_parquet(buffer, compression="zstd")
    broken = _without_data_pages(buffer.getvalue())
    with pytest.raises(TooLarge, match="more than 1,000,000 bytes"):
        read_rows(broken, "parquet", max_rows=50_000, max_bytes=1_000_000)


def test_json_lines_stop_at_the_cap() -> None:
    data = b'{"name": "Ana"}\n' * 4 + b"{never read\n" * 1_000
    with pytest.raises(TooLarge, match="more than 4 rows"):
        read_rows(data, "json", max_rows=4)
