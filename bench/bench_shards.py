"""Sharded (Ray actors) vs single-index search at 1M vectors; writes bench/results/shards.txt.

Run from the repository root (needs `bridgematch[ray]`, ~6 GB of free memory):

    .venv/bin/python bench/bench_shards.py [--rows 1000000] [--shards 2] [--queries 200]

Rows are postings: random unit vectors (dim 384, as all-MiniLM-L6-v2) with filter
columns from the demo postings spread over 5 organisations. A query is a demo
graduate with a random vector; the search is the service's: hard filters to an
allow-list, then FAISS top-k among it (k = the candidate pool, 150 by default, and k = 10).
Figures: single-index latency at 100k…1M rows (the per-shard cost model of docs/scaling.md;
unfiltered scans on the first 20 queries only), sharded latency with N actors on this machine, the fan-out
overhead (sharded search over tiny shards), memory per row, and a check that
sharded and single answers agree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.filters.columns import PostingTable
from matching.records.profiles import CandidateProfile, PostingRecord
from matching.records.sides import Side
from matching.retrieval.index import VectorIndex
from matching.retrieval.shards import rank_like_merge
from service.settings import REPO_DATA, Settings

DIM = 384
ORGS = 5
SCANS = 20  # queries without filters scan every row: fewer of them
POOL = Settings.model_fields["candidate_pool"].default  # the k the service asks FAISS for
LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = rng.standard_normal((n, DIM), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def percentiles(seconds: list[float], cpu: list[float] | None = None) -> str:
    ms = np.array(seconds) * 1000
    text = f"p50 {np.percentile(ms, 50):7.1f} ms  p95 {np.percentile(ms, 95):7.1f} ms  mean {ms.mean():7.1f} ms"
    if cpu is not None:
        text += f"  | CPU p50 {np.percentile(np.array(cpu) * 1000, 50):7.1f} ms"
    return text


def time_queries(search, queries, cpu: list[float] | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    """Wall seconds per query; with `cpu`, also this process's CPU seconds per query (appended there),
    which a busy shared machine inflates far less than wall time."""
    out = []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        search(*query)
        out.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return out


def cpu_share(seconds: float = 1.0) -> float:
    """Share of one core this process gets in a short busy loop: 1.0 on an idle machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    while time.process_time() - cpu < seconds:
        pass
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def openmp_threads(rng: np.random.Generator) -> None:
    """One query at a time, FAISS's OpenMP threads cost more than they give: measure, then use one."""
    import faiss

    probe = unit_rows(rng, 200_000)
    for threads in (os.cpu_count() or 1, 1):
        faiss.omp_set_num_threads(threads)
        wall = time_queries(lambda v: faiss.knn(v.reshape(1, -1), probe, POOL, metric=faiss.METRIC_INNER_PRODUCT),
                            [(unit_rows(rng, 1)[0],) for _ in range(10)])
        say(f"one query, exact over 200,000 rows, FAISS with {threads} OpenMP thread(s): {percentiles(wall)}")
    say("so every search below runs with 1 OpenMP thread, as Ray's actors do (OMP_NUM_THREADS=1)")


def fanout(rng: np.random.Generator, queries: list, postings: list[PostingRecord], counts: list[int]) -> None:
    """Cost of the fan-out and merge alone: N actors holding 1,000 rows in all."""
    from service.scaleout.shards import ShardedIndex

    ids = np.arange(1, 1001, dtype=np.int64)
    records = [postings[int(i)] for i in rng.integers(0, len(postings), size=1000)]
    orgs = (rng.integers(0, ORGS, size=1000) + 1).tolist()
    for count in counts:
        tiny = ShardedIndex(Side.postings, DIM, count, cpus_per_shard=(os.cpu_count() or 1) / count)
        tiny.upsert(ids, unit_rows(rng, 1000), records, orgs)
        time_queries(lambda v, p, o: tiny.search(v, 10, query=p, org_id=o), queries[:10])  # noqa: B023
        overhead = time_queries(lambda v, p, o: tiny.search(v, 10, query=p, org_id=o), queries)  # noqa: B023
        say(f"fan-out and merge overhead, {count:>2} actors (1,000 rows in all): {percentiles(overhead)}")
        tiny.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "shards.txt")
    parser.add_argument("--fanout", type=str, default="",
                        help="only measure the fan-out overhead for these actor counts, e.g. 2,4,8,16")
    args = parser.parse_args()
    if args.fanout:
        from service.scaleout.embed import connect

        connect("local", num_cpus=os.cpu_count())
        rng = np.random.default_rng(7)
        people = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]
        postings = [PostingRecord.model_validate(p) for p in json.loads((REPO_DATA / "demo/postings.json").read_text())]
        queries = [(unit_rows(rng, 1)[0], people[int(rng.integers(0, len(people)))], int(rng.integers(1, ORGS + 1)))
                   for _ in range(args.queries)]
        say(f"$ .venv/bin/python bench/bench_shards.py --fanout {args.fanout} --queries {args.queries}")
        say(f"machine: {platform.platform()}; nproc {os.cpu_count()}; load average at start "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        fanout(rng, queries, postings, [int(x) for x in args.fanout.split(",")])
        args.out.write_text("\n".join(LINES) + "\n")
        print(f"wrote {args.out}")
        return

    rng = np.random.default_rng(2026)
    postings = [PostingRecord.model_validate(p) for p in json.loads((REPO_DATA / "demo/postings.json").read_text())]
    people = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]
    say(f"$ .venv/bin/python bench/bench_shards.py --rows {args.rows} --shards {args.shards} --queries {args.queries}")
    say(f"machine: {platform.platform()}; nproc {os.cpu_count()}; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: other jobs ran meanwhile)")
    import faiss

    say(f"faiss {faiss.__version__}, numpy {np.__version__}; dim {DIM}; matching.retrieval.index.VectorIndex "
        f"(exact, or IVF-Flat past its threshold); {ORGS} organisations")
    openmp_threads(rng)
    say()

    n = args.rows
    ids = np.arange(1, n + 1, dtype=np.int64)
    which = rng.integers(0, len(postings), size=n)
    orgs = (rng.integers(0, ORGS, size=n) + 1).tolist()
    queries = [(unit_rows(rng, 1)[0], people[int(rng.integers(0, len(people)))], int(rng.integers(1, ORGS + 1)))
               for _ in range(args.queries)]

    exact = {"ann_threshold": 10**12}  # VectorIndex options: never turn to IVF

    def measure(label: str, search, filters=None) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
        """Time the service's searches through `search(vector, k, person, org)`."""
        share = cpu_share()
        cpu: dict[str, list[float]] = {"filters": [], "scan": [], "pool": [], "ten": []}
        rows = {}
        if filters is not None:
            rows["filters only      "] = (time_queries(lambda v, p, o: filters(p, o), queries, cpu["filters"]), "filters")
        rows[f"no filter, k={POOL}   "] = (time_queries(lambda v, p, o: search(v, POOL, None, None), queries[:SCANS], cpu["scan"]), "scan")
        rows[f"filtered,  k={POOL}   "] = (time_queries(lambda v, p, o: search(v, POOL, p, o), queries, cpu["pool"]), "pool")
        rows["filtered,  k=10    "] = (time_queries(lambda v, p, o: search(v, 10, p, o), queries, cpu["ten"]), "ten")
        say(f"  {label}  (core share before: {share:.2f})")
        for name, (wall, key) in rows.items():
            say(f"      {name}{percentiles(wall, cpu[key] if filters is not None else None)}")
        return cpu

    def agreement(search, reference, count: int = 50) -> str:  # type: ignore[no-untyped-def]
        """Queries with the same ids in the same order, and the mean share of ids in common."""
        same, overlap, asked = 0, [], queries[:count]
        for vector, person, org in asked:
            got, want = search(vector, POOL, person, org)[1], reference(vector, POOL, person, org)[1]
            same += got.tolist() == want.tolist()
            if len(want):
                overlap.append(len(set(got.tolist()) & set(want.tolist())) / len(want))
        return (f"{same}/{len(asked)} answers identical; recall {100 * np.mean(overlap):.1f} % "
                f"(ids in common, over the {len(overlap)} non-empty answers, k={POOL})")

    # ---- single index, exact, grown step by step: the per-shard cost model ---------------------
    say("single index in this process, exact (FAISS brute force): hard filters to an allow-list, then top-k")
    before = rss()
    index, table = VectorIndex(DIM, **exact), PostingTable()

    def single(vector, k, person, org):  # type: ignore[no-untyped-def]
        allowed = None if person is None else table.eligible_for(person, org)
        return rank_like_merge(*index.search(vector, k, allowed=allowed))

    steps = [s for s in (100_000, 250_000, 500_000, 1_000_000, 2_000_000) if s < n] + [n]
    loaded, scan_ms = 0, {}
    for step in steps:
        start = time.perf_counter()
        for lo in range(loaded, step, 100_000):
            hi = min(step, lo + 100_000)
            index.upsert(ids[lo:hi].tolist(), unit_rows(rng, hi - lo), [""] * (hi - lo))
            for row in range(lo, hi):
                table.upsert(int(ids[row]), postings[which[row]], orgs[row])
        built = time.perf_counter() - start
        loaded = step
        allowed = np.mean([len(table.eligible_for(p, o)) for _, p, o in queries[:20]])
        cpu = measure(f"{step:>9,} rows (+{built:5.1f} s to add), allowed per query {allowed:,.0f}",
                      single, lambda p, o: table.eligible_for(p, o))
        scan_ms[step] = float(np.percentile(np.array(cpu["scan"]) * 1000, 50))
    grown = rss() - before
    say(f"  memory of index + filter table: {grown / 2**30:.2f} GiB = {grown / n:,.0f} bytes/row "
        f"(vectors alone {4 * DIM} bytes/row)")
    if len(scan_ms) >= 2:
        xs, ys = np.array(list(scan_ms)), np.array(list(scan_ms.values()))
        slope, intercept = np.polyfit(xs, ys, 1)
        say(f"  exact scan of every row (k={POOL}), CPU p50 fit: {intercept:.1f} ms + "
            f"{slope * 1e6:.1f} ms per million rows, on one core")
    say()

    # ---- single index, IVF (the service's default past 50,000 rows) ---------------------------
    vectors = index.vectors(ids.tolist())

    def with_ivf() -> None:  # a function, so the IVF copy is freed before the shards load
        ivf = VectorIndex(DIM)
        start = time.perf_counter()
        ivf.upsert(ids.tolist(), vectors, [""] * n)
        ivf.wait_until_built()
        say(f"single index, IVF as the service builds it past its threshold "
            f"(built in {time.perf_counter() - start:.1f} s, approximate: {ivf.approximate})")

        def single_ivf(vector, k, person, org):  # type: ignore[no-untyped-def]
            allowed = None if person is None else table.eligible_for(person, org)
            return rank_like_merge(*ivf.search(vector, k, allowed=allowed))

        measure(f"{n:>9,} rows", single_ivf, lambda p, o: table.eligible_for(p, o))
        say(f"  against exact: {agreement(single_ivf, single)}")
        say()

    with_ivf()

    # ---- sharded on Ray -----------------------------------------------------------------------
    import ray

    from service.scaleout.embed import connect
    from service.scaleout.shards import ShardedIndex

    connect("local", num_cpus=os.cpu_count())
    records = [postings[w] for w in which]
    for mode, options in (("exact", exact), ("IVF", None)):
        sharded = ShardedIndex(Side.postings, DIM, args.shards, cpus_per_shard=os.cpu_count() / args.shards,
                               index_options=options)
        start = time.perf_counter()
        step = 100_000 if mode == "exact" else n  # IVF: one load per shard, so each trains on all its rows
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            sharded.upsert(ids[lo:hi], vectors[lo:hi], records[lo:hi], orgs[lo:hi])
        approximate = sharded.settle()
        say(f"sharded, {mode}: {args.shards} Ray actors on this machine ({os.cpu_count()} cores), "
            f"{n // args.shards:,} rows each (loaded in {time.perf_counter() - start:.1f} s, "
            f"approximate: {approximate}); shard memory "
            f"{', '.join(f'{m / 2**30:.2f}' for m in sharded.memory())} GiB")

        def fan(vector, k, person, org, sharded=sharded):  # type: ignore[no-untyped-def]
            return sharded.search(vector, k, query=person, org_id=org)

        time_queries(lambda v, p, o: fan(v, 10, p, o), queries[:10])  # warm the actors
        measure(f"{n:>9,} rows", fan)
        say(f"  against the single exact index: {agreement(fan, single)}")
        sharded.close()
        say()

    fanout(rng, queries, postings, [args.shards])
    ray.shutdown()
    say(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(LINES) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
