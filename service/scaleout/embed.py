"""Embed a large corpus ahead of import, in process or with Ray Data, into Parquet.

Rows are graduates or postings in the import format (`service.bulk`: CSV cells
as text, lists as "a;b", languages as "es:B2;en:C1"; or Parquet). Each row
is validated exactly as an import would, turned into the text the service
embeds, and keyed by the row's id and by the hash of (model, text): the
service's embedding-cache key. `load_embeddings` puts the vectors into the
database's cache, so a later `bridgematch import` of the same rows encodes
nothing.

With Ray, `map_batches` streams the rows through a fixed pool of actors, each
holding one encoder (loaded once per actor). Ray is imported only here and
only when asked for (`pip install 'bridgematch[ray]'`).

Example:
    report = embed_corpus(Path("people.csv"), Path("people-vectors"), side=Side.candidates,
                          ray_address="local", workers=2)
    load_embeddings(sessions, Path("people-vectors"), model=report.model)
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy.orm import sessionmaker

from matching.records.sides import Side
from models.encoder import DEFAULT_MODEL, load_encoder, text_hash
from service.bulk import ImportRejected, parse_records
from service.storage import embeddings
from service.storage.records import MODEL

LOCAL = "local"  # `--ray` without an address: start a Ray instance on this machine


class CorpusError(ValueError):
    """The corpus cannot be embedded as given (bad rows, no id column, output folder in use)."""


@dataclass(frozen=True)
class EmbedReport:
    rows: int
    seconds: float
    model: str
    out: Path

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def connect(address: str | None = None, *, num_cpus: int | None = None) -> bool:
    """Join the Ray cluster at `address`, or start a local Ray when it is None or "local".

    Returns True when this call started (or joined) Ray, so the caller knows to shut it down;
    False when Ray was already initialised in this process.
    """
    try:
        import ray
        import ray.data
    except ModuleNotFoundError as exc:
        raise RuntimeError("Ray is not installed: pip install 'bridgematch[ray]'") from exc
    if ray.is_initialized():
        return False
    if address in (None, LOCAL):
        # One logical CPU more than the machine has: Ray Data's small file-listing task
        # needs a CPU slot while the encoder actors hold one each.
        cpus = (num_cpus or os.cpu_count() or 1) + 1
        ray.init(num_cpus=cpus, include_dashboard=False, logging_level=logging.WARNING)
    else:
        ray.init(address=address, logging_level=logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return True


class EncodeBatch:
    """Rows in, (id, text_hash, model, vector) out; Ray Data's callable class, one per actor.

    Also called directly, in process, so both paths build texts and hashes the same way.
    """

    def __init__(self, *, model: str, side: str, id_column: str, threads: int | None = None) -> None:
        if threads:
            import torch

            torch.set_num_threads(threads)
        from matching.records.sides import record_text

        self._text = record_text
        self.encoder = load_encoder(model)
        self.side = Side(side)
        self.id_column = id_column
        self._fields = set(MODEL[self.side].model_fields)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        if rows and self.id_column not in rows[0]:
            raise CorpusError(f"the corpus has no {self.id_column!r} column to key its rows by")
        ids = [str(row[self.id_column]) for row in rows]
        texts, errors = [], []
        for rid, row in zip(ids, rows, strict=True):
            fields = {k: v for k, v in row.items() if k in self._fields or k != self.id_column}
            try:
                texts.append(self._text(parse_records([fields], self.side)[0]))
            except ImportRejected as exc:
                errors.append(f"id {rid}: {exc.errors[0].removeprefix('row 1: ')}")
        if errors:
            raise CorpusError(f"{len(errors)} bad row(s): {'; '.join(errors[:10])}")
        vectors = self.encoder.encode(texts, batch_size=64)
        dim = self.encoder.dim
        return pa.table({
            "id": pa.array(ids, pa.string()),
            "text_hash": pa.array([text_hash(t, self.encoder.name) for t in texts], pa.string()),
            "model": pa.array([self.encoder.name] * len(ids), pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(np.asarray(vectors, dtype=np.float32).reshape(-1), pa.float32()), dim
            ),
        })


def _csv_as_text(path: Path):  # type: ignore[no-untyped-def]
    """Read every CSV cell as text, as `bridgematch import` does (no type guessing)."""
    import pyarrow.csv as pacsv

    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    return {"convert_options": pacsv.ConvertOptions(column_types={name: pa.string() for name in header})}


def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise CorpusError(f"{out} is not empty: write the embeddings to a new folder")
    out.mkdir(parents=True, exist_ok=True)


def _count(out: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(out.glob("*.parquet")))


def embed_corpus(
    source: Path,
    out: Path,
    *,
    side: Side,
    ray_address: str | None = None,
    workers: int = 1,
    threads: int | None = None,
    batch_size: int = 256,
    model: str = DEFAULT_MODEL,
    id_column: str = "external_id",
) -> EmbedReport:
    """Embed the rows of a CSV or Parquet file into Parquet files in the folder `out`.

    `ray_address` None encodes in this process; "local" starts a Ray instance here;
    anything else joins that cluster. `workers` is the size of Ray's actor pool,
    `threads` the torch threads of each worker (default: this machine's CPUs / workers).
    """
    kind = source.suffix.lower().lstrip(".")
    if kind not in ("csv", "parquet", "pq"):
        raise CorpusError(f"{source.name}: embed reads CSV or Parquet files")
    _check_out(out)
    encoder_kwargs = {"model": model, "side": side.value, "id_column": id_column}
    start = time.perf_counter()
    try:
        if ray_address is None:
            _embed_here(source, out, kind, EncodeBatch(**encoder_kwargs, threads=threads), batch_size)
        else:
            threads = threads or max(1, (os.cpu_count() or 1) // workers)
            _embed_with_ray(source, out, kind, ray_address, encoder_kwargs | {"threads": threads},
                            workers=workers, batch_size=batch_size)
    except BaseException:
        for part in out.iterdir():  # the folder was empty: all or nothing, as an import
            shutil.rmtree(part) if part.is_dir() else part.unlink()
        raise
    return EmbedReport(_count(out), time.perf_counter() - start, load_encoder(model).name, out)


def _embed_here(source: Path, out: Path, kind: str, encode: EncodeBatch, batch_size: int) -> None:
    if kind == "csv":
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(source, **_csv_as_text(source))
    else:
        table = pq.read_table(source)
    parts = [encode(table.slice(start, batch_size)) for start in range(0, table.num_rows, batch_size)]
    if parts:
        pq.write_table(pa.concat_tables(parts), out / "part-00000.parquet")


def _embed_with_ray(
    source: Path, out: Path, kind: str, address: str, encoder_kwargs: dict, *, workers: int, batch_size: int
) -> None:
    started = connect(address)
    import ray

    # Reading and writing files is light: those tasks reserve no CPU, so they never wait
    # behind the encoder actors (which would then wait for them).
    try:
        if kind == "csv":
            dataset = ray.data.read_csv(str(source), num_cpus=0, **_csv_as_text(source))
        else:
            dataset = ray.data.read_parquet(str(source), num_cpus=0)
        dataset.map_batches(
            EncodeBatch,
            fn_constructor_kwargs=encoder_kwargs,
            batch_size=batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=encoder_kwargs["threads"],
        ).write_parquet(str(out), ray_remote_args={"num_cpus": 0})
    finally:
        if started:
            ray.shutdown()


def load_embeddings(sessions: sessionmaker, path: Path, *, model: str, chunk: int = 5_000) -> int:
    """Put vectors written by `embed_corpus` into the database's embedding cache; returns rows read.

    Refuses vectors made by another model than the service's (`model`): their
    hashes would never match, and mixing models would spoil every score.
    """
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"no Parquet files in {path}")
    seen = 0
    for file in files:
        for batch in pq.ParquetFile(file).iter_batches(batch_size=chunk, columns=["text_hash", "model", "vector"]):
            models = set(batch.column("model").to_pylist())
            if models - {model}:
                raise CorpusError(f"{file.name} holds vectors of {sorted(models)}, this service uses {model!r}")
            column = batch.column("vector")
            dim = column.type.list_size
            vectors = column.flatten().to_numpy(zero_copy_only=False).astype(np.float32).reshape(-1, dim)
            hashes = batch.column("text_hash").to_pylist()
            with sessions.begin() as session:
                embeddings.put_vectors(session, vectors=dict(zip(hashes, vectors, strict=True)), model=model)
            seen += len(hashes)
    return seen
