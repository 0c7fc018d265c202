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

from matching.eligibility import PostingTable
from matching.index import VectorIndex
from matching.profiles import CandidateProfile, PostingRecord
from matching.shards import rank_like_merge
from service.settings import REPO_DATA, Settings
from service.store import Side

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "shards.txt")
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    postings = [PostingRecord.model_validate(p) for p in json.loads((REPO_DATA / "demo/postings.json").read_text())]
    people = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]
    say(f"$ .venv/bin/python bench/bench_shards.py --rows {args.rows} --shards {args.shards} --queries {args.queries}")
    say(f"machine: {platform.platform()}; nproc {os.cpu_count()}; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: other jobs ran meanwhile)")
    import faiss

    say(f"faiss {faiss.__version__}, numpy {np.__version__}; dim {DIM}, IndexFlatIP in IndexIDMap2 (exact)")
    say()

    n = args.rows
    ids = np.arange(1, n + 1, dtype=np.int64)
    which = rng.integers(0, len(postings), size=n)
    orgs = (rng.integers(0, ORGS, size=n) + 1).tolist()
    queries = [(unit_rows(rng, 1)[0], people[int(rng.integers(0, len(people)))], int(rng.integers(1, ORGS + 1)))
               for _ in range(args.queries)]

    # ---- single index, grown step by step: the per-shard cost model --------------------------
    say("single index in this process (filters + FAISS top-k among the allowed rows)")
    before = rss()
    index, table = VectorIndex(DIM), PostingTable()
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

        def filtered(vector, person, org, k):  # type: ignore[no-untyped-def]
            return index.search(vector, k, allowed=table.eligible_for(person, org).tolist())

        share = cpu_share()
        cpu_plain: list[float] = []
        cpu_pool: list[float] = []
        cpu_10: list[float] = []
        cpu_filter: list[float] = []
        only_filter = time_queries(lambda v, p, o: table.eligible_for(p, o), queries, cpu_filter)
        plain = time_queries(lambda v, p, o: index.search(v, POOL), queries[:SCANS], cpu_plain)
        kpool = time_queries(lambda v, p, o: filtered(v, p, o, POOL), queries, cpu_pool)
        k10 = time_queries(lambda v, p, o: filtered(v, p, o, 10), queries, cpu_10)
        scan_ms[step] = float(np.percentile(np.array(cpu_plain) * 1000, 50))
        say(f"  {step:>9,} rows (+{built:5.1f} s to add)  allowed per query {allowed:9,.0f}  "
            f"core share before: {share:.2f}")
        say(f"      filters only      {percentiles(only_filter, cpu_filter)}")
        say(f"      no filter, k={POOL}   {percentiles(plain, cpu_plain)}")
        say(f"      filtered,  k={POOL}   {percentiles(kpool, cpu_pool)}")
        say(f"      filtered,  k=10    {percentiles(k10, cpu_10)}")
    grown = rss() - before
    say(f"  memory of index + filter table: {grown / 2**30:.2f} GiB = {grown / n:,.0f} bytes/row "
        f"(vectors alone {4 * DIM} bytes/row)")
    if len(scan_ms) >= 2:
        xs, ys = np.array(list(scan_ms)), np.array(list(scan_ms.values()))
        slope, intercept = np.polyfit(xs, ys, 1)
        say(f"  fit of the unfiltered scan (k=pool), CPU p50: {intercept:.1f} ms + {slope * 1e6:.1f} ms per million rows")
    say()

    # ---- sharded on Ray -----------------------------------------------------------------------
    import ray

    from service.ray_embed import connect
    from service.ray_shards import ShardedIndex

    connect("local", num_cpus=os.cpu_count())
    say(f"sharded: {args.shards} Ray actors on this machine ({os.cpu_count()} cores), "
        f"{n // args.shards:,} rows each; the driver fans out, merges top-k")
    sharded = ShardedIndex(Side.postings, DIM, args.shards, cpus_per_shard=os.cpu_count() / args.shards)
    start = time.perf_counter()
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        chunk = ids[lo:hi]
        sharded.upsert(chunk, index.vectors(chunk.tolist()), [postings[w] for w in which[lo:hi]], orgs[lo:hi])
    say(f"  loaded in {time.perf_counter() - start:.1f} s; shard memory "
        f"{', '.join(f'{m / 2**30:.2f}' for m in sharded.memory())} GiB")

    def fan(vector, person, org, k):  # type: ignore[no-untyped-def]
        return sharded.search(vector, k, query=person, org_id=org)

    time_queries(lambda v, p, o: fan(v, p, o, 10), queries[:10])  # warm the actors
    say(f"  core share before: {cpu_share():.2f}")
    scan = time_queries(lambda v, p, o: sharded.search(v, POOL), queries[:SCANS])
    spool = time_queries(lambda v, p, o: fan(v, p, o, POOL), queries)
    s10 = time_queries(lambda v, p, o: fan(v, p, o, 10), queries)
    say(f"      no filter, k={POOL}   {percentiles(scan)}")
    say(f"      filtered,  k={POOL}   {percentiles(spool)}")
    say(f"      filtered,  k=10    {percentiles(s10)}")
    same = 0
    for vector, person, org in queries[:50]:
        want = rank_like_merge(*index.search(vector, POOL, allowed=table.eligible_for(person, org).tolist()))
        got = fan(vector, person, org, POOL)
        same += got[1].tolist() == want[1].tolist()
    say(f"  sharded answer == single answer for {same}/50 queries (k={POOL})")
    sharded.close()

    tiny = ShardedIndex(Side.postings, DIM, args.shards, cpus_per_shard=os.cpu_count() / args.shards)
    tiny.upsert(ids[:1000], index.vectors(ids[:1000].tolist()), [postings[w] for w in which[:1000]], orgs[:1000])
    overhead = time_queries(lambda v, p, o: tiny.search(v, 10, query=p, org_id=o), queries)
    say(f"  fan-out overhead (same actors, 1,000 rows in all): {percentiles(overhead)}")
    tiny.close()
    ray.shutdown()
    say(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(LINES) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
