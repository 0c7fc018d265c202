"""P1 ranking: top-20 latency and recall of the vector index at 10k, 100k and 1M postings.

Vectors are real all-MiniLM-L6-v2 embeddings of ESCO occupation labels (from
../shared) perturbed with Gaussian noise, so neighbourhoods look like real
text rather than uniform noise. The baseline, measured in the same run, is
exact FAISS search (IndexFlatIP) over the same vectors; recall@20 is against
exact search with the same filter. "Filtered" queries carry an allow-list
(30 % and 3 % of postings) made by the real filter table from random but
realistic posting attributes; its own cost is reported as well.

Run: .venv/bin/python bench/bench_ranking.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from pathlib import Path

import faiss
import numpy as np

from matching.filters.columns import PostingTable
from matching.records.profiles import CandidateProfile, Kind, PostingRecord
from matching.retrieval.index import VectorIndex, exact_search

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "var" / "cache" / "bench_base.npy"


def base_vectors() -> np.ndarray:
    if CACHE.exists():
        return np.load(CACHE)
    import polars as pl

    from models.encoder import load_encoder

    occupations = pl.read_csv(REPO.parent / "shared/data/esco/v1.2/occupations_en.csv")
    labels = occupations["preferredLabel"].drop_nulls().to_list()[:3000]
    vectors = load_encoder().encode(labels)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.save(CACHE, vectors)
    return vectors


def synthetic(base: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.35) -> np.ndarray:
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        v = base[rng.integers(0, len(base), m)] + noise * rng.normal(size=(m, base.shape[1])).astype(np.float32) / np.sqrt(base.shape[1]) * 4
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.array(samples) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def filter_table(n: int, rng: np.random.Generator) -> PostingTable:
    table = PostingTable()
    kinds, cities = list(Kind), ["Barcelona", "Madrid", "Zagreb", "Valencia", "Berlin", "Paris"]
    langs = [{}, {"es": "B1"}, {"en": "B2"}, {"es": "B2", "en": "B1"}, {"hr": "B1"}, {"ca": "C1"}]
    for rid in range(n):
        table.upsert(rid, PostingRecord.model_construct(
            kind=kinds[rid % 3], location=cities[int(rng.integers(0, 6))], remote=bool(rng.random() < 0.1),
            work_permit_required=bool(rng.random() < 0.8), starts_on=None,
            languages=langs[int(rng.integers(0, 6))]), 1)
    return table


def run(n: int, base: np.ndarray, queries: int, out: list[str], args_nprobe: int) -> None:
    rng = np.random.default_rng(n)
    vectors = synthetic(base, n, rng)
    ids = np.arange(n, dtype=np.int64)
    qs = synthetic(base, queries, np.random.default_rng(1))
    rss0 = rss_mb()

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    exact_times = []
    for q in qs[: max(20, queries // 4)]:
        t = time.perf_counter()
        flat.search(q.reshape(1, -1), 20)
        exact_times.append(time.perf_counter() - t)
    del flat

    index = VectorIndex(vectors.shape[1], nprobe=args_nprobe)
    t = time.perf_counter()
    index.upsert(ids.tolist(), vectors, ["h"] * n)
    index.wait_until_built()
    build = time.perf_counter() - t
    mode = "IVF" if index.approximate else "exact"

    table = filter_table(n, rng)
    cand = CandidateProfile.model_construct(kinds=[Kind.job, Kind.traineeship], location="Barcelona",
                                            remote_ok=True, work_permit=True, available_from=None,
                                            languages={"es": "B2", "en": "B1"})
    t = time.perf_counter()
    wide = table.eligible_for(cand, 1)
    filter_ms = (time.perf_counter() - t) * 1000
    narrow = np.sort(rng.choice(wide, size=max(20, len(wide) // 10), replace=False))

    for label, allowed in (("no filter", None), (f"filter {len(wide) / n:.0%}", wide), (f"filter {len(narrow) / n:.1%}", narrow)):
        times, answers = [], []
        for q in qs:  # timed alone: the reference below copies up to 1.5 GB a query, which
            t = time.perf_counter()  # would leave the allocator and caches cold for the next search
            _, got = index.search(q, 20, allowed=allowed)
            times.append(time.perf_counter() - t)
            answers.append(got)
        pool = ids if allowed is None else allowed
        reference = vectors if allowed is None else vectors[pool]
        recalls = []
        for q, got in zip(qs, answers, strict=True):
            _, ref = exact_search(reference, pool, q, 20)
            recalls.append(len(set(got.tolist()) & set(ref.tolist())) / len(ref))
        p50, p99 = percentiles(times)
        e50, _ = percentiles(exact_times)
        out.append(f"{n:>9,}  {mode:<5}  {label:<13} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  recall@20 {np.mean(recalls):.3f}"
                   f"  exact-FAISS p50 {e50:7.2f} ms  speed-up {e50 / p50:6.1f}x")
        print(out[-1], flush=True)
    out.append(f"{'':>9}  build {build:6.1f} s, filter table ({len(wide):,} eligible) {filter_ms:.1f} ms/query, "
               f"RSS {rss_mb():,.0f} MB (+{rss_mb() - rss0:,.0f} MB for this size)")
    print(out[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--nprobe", type=int, default=24)
    parser.add_argument("--out", type=Path, default=REPO / "bench/results/ranking.txt")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)  # as the service runs (settings.faiss_threads)
    lines = [
        f"$ .venv/bin/python bench/bench_ranking.py --sizes {' '.join(map(str, args.sizes))} --nprobe {args.nprobe}",
        (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.uname().system} {platform.uname().release} "
        f"{platform.machine()}; nproc {os.cpu_count()}; faiss {faiss.__version__}; numpy {np.__version__}"),
        "top-20, single query; baseline = exact FAISS IndexFlatIP on the same vectors in the same run",
    ]
    print("\n".join(lines), flush=True)
    base = base_vectors()
    for n in args.sizes:
        run(n, base, args.queries, lines, args.nprobe)
    args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
