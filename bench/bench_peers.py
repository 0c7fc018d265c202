"""Peers side by side (#17): the same filtered top-20 over the same postings, five ways.

bridgematch's own index (`matching.retrieval.index.VectorIndex`, exact → FAISS IVF with an
ID-selector, as the service uses it) against FAISS HNSW (`IndexHNSWFlat`), hnswlib and
usearch. Every engine sees the same synthetic 384-d unit vectors (clustered, so neighbourhoods
are not uniform noise), the same queries and the same hard filters built from synthetic
posting columns (kind, city, remote, language), and is scored against exact brute force
*with the filter applied*, computed once in the parent.

Each engine runs in its own child process (`--engine`), so its RSS delta is its own and not
what the previous engine left in the allocator. Builds use at most 2 threads, queries 1
(as the service: `settings.faiss_threads`). pgvector (Talent Catalog's engine) is not
compared: no Debian package of it is reachable from this machine.

Run: .venv/bin/python bench/bench_peers.py [--n 1000000] [--engines ...] [--queries 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DIM, K = 384, 20
ENGINES = ("bridgematch-ivf", "faiss-hnsw", "hnswlib", "usearch")
CITIES, KINDS, LANGS = 6, 3, 6
HANDLING = {
    "bridgematch-ivf": "allow-list in: exact over the allowed rows when short, else IVF scan with a "
                       "FAISS IDSelectorBitmap and nprobe raised by share^-0.75, exact fallback if short",
    "faiss-hnsw": "FAISS IDSelectorBitmap in SearchParametersHNSW: filtered during graph traversal",
    "hnswlib": "knn_query(filter=callback): a Python call per visited node, filtered during traversal",
    "usearch": "no predicate in the Python search(): post-filter, over-fetch k/share*2, doubled until "
               "k allowed are found (cap 4096 = expansion limit)",
}
# Graph parameters shared by the three HNSW engines, so they differ only in implementation.
M, EF_CONSTRUCTION, EF_SEARCH = 16, 100, 128


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_data(n: int, queries: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Clustered unit vectors, posting columns, and the query side's attributes."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(2000, DIM)).astype(np.float32)

    def points(m: int, r: np.random.Generator) -> np.ndarray:
        out = np.empty((m, DIM), dtype=np.float32)
        for start in range(0, m, 100_000):
            c = min(100_000, m - start)
            v = centres[r.integers(0, len(centres), c)] + 0.9 * r.normal(size=(c, DIM)).astype(np.float32)
            out[start:start + c] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out

    return {
        "vectors": points(n, rng),
        "city": rng.integers(0, CITIES, n).astype(np.int8),
        "kind": (np.arange(n) % KINDS).astype(np.int8),
        "remote": rng.random(n) < 0.1,
        "lang": rng.integers(0, LANGS, n).astype(np.int8),
        "queries": points(queries, np.random.default_rng(seed + 1)),
        "q_city": np.random.default_rng(seed + 2).integers(0, CITIES, queries).astype(np.int8),
        "q_kind": np.random.default_rng(seed + 3).integers(0, KINDS, queries).astype(np.int8),
        "q_lang": np.random.default_rng(seed + 4).integers(0, LANGS, queries).astype(np.int8),
    }


def allowed_mask(data: dict[str, np.ndarray], q: int, level: str, rows: slice = slice(None)) -> np.ndarray | None:
    """The hard filter of query q: 'wide' ≈ 17 % (two kinds, own city or remote), 'narrow' ≈ 0.8 %
    (one kind, own city on site, one language)."""
    if level == "none":
        return None
    city, kind, remote = data["city"][rows], data["kind"][rows], data["remote"][rows]
    if level == "wide":
        return (kind != (data["q_kind"][q] + 1) % KINDS) & ((city == data["q_city"][q]) | remote)
    return (kind == data["q_kind"][q]) & (city == data["q_city"][q]) & ~remote & (data["lang"][rows] == data["q_lang"][q])


def ground_truth(data: dict[str, np.ndarray], level: str, chunk: int = 100_000) -> np.ndarray:
    """Exact top-K ids per query with the filter applied (brute force, chunked)."""
    vectors, queries = data["vectors"], data["queries"]
    best_s = np.full((len(queries), K), -np.inf, dtype=np.float32)
    best_i = np.full((len(queries), K), -1, dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        rows = slice(start, min(start + chunk, len(vectors)))
        scores = queries @ vectors[rows].T
        for q in range(len(queries)):
            mask = allowed_mask(data, q, level, rows)
            if mask is not None:
                scores[q, ~mask] = -np.inf
        ids = np.arange(rows.start, rows.stop, dtype=np.int64)
        s = np.concatenate([best_s, scores], axis=1)
        i = np.concatenate([best_i, np.broadcast_to(ids, scores.shape)], axis=1)
        top = np.argsort(-s, axis=1, kind="stable")[:, :K]
        best_s, best_i = np.take_along_axis(s, top, 1), np.take_along_axis(i, top, 1)
    return best_i


# ---- the engines: build(vectors) -> search(query, mask, ids) -> top ids ----------------------------
Search = Callable[[np.ndarray, np.ndarray | None, np.ndarray | None], np.ndarray]


def build_bridgematch(vectors: np.ndarray) -> tuple[Search, dict]:
    import faiss

    from matching.retrieval.index import VectorIndex

    faiss.omp_set_num_threads(2)
    index = VectorIndex(DIM)  # the service's defaults (ann_threshold 50k, nprobe 24)
    index.upsert(list(range(len(vectors))), vectors, ["h"] * len(vectors))
    index.wait_until_built()
    faiss.omp_set_num_threads(1)

    def search(q: np.ndarray, mask: np.ndarray | None, ids: np.ndarray | None) -> np.ndarray:
        return index.search(q, K, allowed=ids)[1]

    return search, {"mode": "IVF" if index.approximate else "exact", "keep": index}


def build_faiss_hnsw(vectors: np.ndarray) -> tuple[Search, dict]:
    import faiss

    faiss.omp_set_num_threads(2)
    index = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.add(vectors)
    faiss.omp_set_num_threads(1)

    def search(q: np.ndarray, mask: np.ndarray | None, ids: np.ndarray | None) -> np.ndarray:
        params = faiss.SearchParametersHNSW(efSearch=EF_SEARCH)
        bits = None
        if mask is not None:
            bits = np.packbits(mask, bitorder="little")
            params.sel = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
        _, found = index.search(q.reshape(1, -1), K, params=params)
        del bits
        return found[0][found[0] >= 0]

    return search, {"keep": index}


def build_hnswlib(vectors: np.ndarray) -> tuple[Search, dict]:
    import hnswlib

    index = hnswlib.Index(space="ip", dim=DIM)
    index.init_index(max_elements=len(vectors), ef_construction=EF_CONSTRUCTION, M=M, random_seed=0)
    index.add_items(vectors, np.arange(len(vectors)), num_threads=2)
    index.set_ef(EF_SEARCH)

    def search(q: np.ndarray, mask: np.ndarray | None, ids: np.ndarray | None) -> np.ndarray:
        flags = None if mask is None else mask.tolist().__getitem__
        try:
            found, _ = index.knn_query(q, k=K, num_threads=1, filter=flags)
        except RuntimeError:  # fewer than K reachable under the filter
            return np.zeros(0, dtype=np.int64)
        return found[0].astype(np.int64)

    return search, {"keep": index}


def build_usearch(vectors: np.ndarray) -> tuple[Search, dict]:
    from usearch.index import Index

    index = Index(ndim=DIM, metric="ip", dtype="f32", connectivity=M, expansion_add=EF_CONSTRUCTION,
                  expansion_search=EF_SEARCH)
    index.add(np.arange(len(vectors)), vectors, threads=2)
    n = len(vectors)

    def search(q: np.ndarray, mask: np.ndarray | None, ids: np.ndarray | None) -> np.ndarray:
        if mask is None:
            return np.asarray(index.search(q, K, threads=1).keys, dtype=np.int64)
        fetch = min(4096, int(np.ceil(K * n / max(1, len(ids)) * 2)))
        while True:
            index.expansion_search = max(EF_SEARCH, fetch)
            keys = np.asarray(index.search(q, fetch, threads=1).keys, dtype=np.int64)
            kept = keys[mask[keys]]
            if len(kept) >= K or fetch >= 4096:
                index.expansion_search = EF_SEARCH
                return kept[:K]
            fetch = min(4096, fetch * 2)

    return search, {"keep": index, "library_bytes": int(index.memory_usage)}


BUILDERS = {"bridgematch-ivf": build_bridgematch, "faiss-hnsw": build_faiss_hnsw,
            "hnswlib": build_hnswlib, "usearch": build_usearch}


def child(engine: str, folder: Path) -> None:
    """One engine: load the shared data, build, time every query, print one JSON line."""
    data = {k: np.load(folder / f"{k}.npy") for k in ("vectors", "city", "kind", "remote", "lang",
                                                       "queries", "q_city", "q_kind", "q_lang")}
    masks = {level: [allowed_mask(data, q, level) for q in range(len(data["queries"]))] for level in ("wide", "narrow")}
    allowed = {level: [np.flatnonzero(m) for m in ms] for level, ms in masks.items()}
    rss0 = rss_mb()
    t = time.perf_counter()
    search, info = BUILDERS[engine](data["vectors"])
    build = time.perf_counter() - t
    result = {"engine": engine, "build_s": build, "rss_delta_mb": rss_mb() - rss0,
              "mode": info.get("mode", ""), "library_bytes": info.get("library_bytes")}
    for level in ("none", "wide", "narrow"):
        times, answers = [], []
        for q, query in enumerate(data["queries"]):
            mask = None if level == "none" else masks[level][q]
            ids = None if level == "none" else allowed[level][q]
            t = time.perf_counter()
            found = search(query, mask, ids)
            times.append(time.perf_counter() - t)
            answers.append(found.tolist())
        ms = np.array(times) * 1000
        share = 1.0 if level == "none" else float(np.mean([len(a) for a in allowed[level]]) / len(data["vectors"]))
        result[level] = {"p50": float(np.percentile(ms, 50)), "p99": float(np.percentile(ms, 99)),
                         "answers": answers, "share": share}
    print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--out", type=Path, default=REPO / "bench/results/peers.txt")
    parser.add_argument("--append", action="store_true", help="add to --out instead of replacing it")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        child(args.engine, args.data)
        return
    import faiss
    import hnswlib
    import usearch

    versions = (f"faiss {faiss.__version__}; hnswlib {getattr(hnswlib, '__version__', '0.8.0')}; "
                f"usearch {usearch.__version__}; numpy {np.__version__}")
    lines = [
        f"$ .venv/bin/python bench/bench_peers.py --n {args.n} --queries {args.queries} --engines {' '.join(args.engines)}"
        + (" --append" if args.append else ""),
        (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.uname().system} {platform.uname().release} "
        f"{platform.machine()}; nproc {os.cpu_count()}; {versions}"),
        (f"{args.n:,} postings, {DIM}-d synthetic clustered unit vectors; top-{K}, one query at a time on 1 thread; "
        f"builds on 2 threads; HNSW engines M={M} efConstruction={EF_CONSTRUCTION} efSearch={EF_SEARCH}"),
        "recall@20 against exact brute force with the same filter; RSS delta = the child's RSS after build minus before",
    ]
    print("\n".join(lines), flush=True)
    data = make_data(args.n, args.queries)
    t = time.perf_counter()
    truth = {level: ground_truth(data, level) for level in ("none", "wide", "narrow")}
    print(f"ground truth in {time.perf_counter() - t:.1f} s", flush=True)
    with tempfile.TemporaryDirectory(dir=REPO / "var" if (REPO / "var").exists() else None) as tmp:
        for key, value in data.items():
            np.save(Path(tmp) / f"{key}.npy", value)
        del data
        env = {**os.environ, "OMP_NUM_THREADS": "2", "PYTHONPATH": str(REPO)}
        for engine in args.engines:
            done = subprocess.run([sys.executable, __file__, "--engine", engine, "--data", tmp],
                                  capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                lines.append(f"{engine:<16} FAILED: {done.stderr.strip().splitlines()[-1:]}")
                print(lines[-1], flush=True)
                continue
            res = json.loads(done.stdout.strip().splitlines()[-1])
            size = f", library says {res['library_bytes'] / 2**20:,.0f} MB" if res["library_bytes"] else ""
            lines.append(f"{engine:<16} build {res['build_s']:7.1f} s  RSS +{res['rss_delta_mb']:,.0f} MB{size}"
                         f"{'  (' + res['mode'] + ')' if res['mode'] else ''}")
            for level in ("none", "wide", "narrow"):
                r = res[level]
                recall = np.mean([len(set(got) & set(ref.tolist())) / K
                                  for got, ref in zip(r["answers"], truth[level], strict=True)])
                short = sum(len(got) < K for got in r["answers"])
                label = "no filter" if level == "none" else f"filter {r['share']:.1%}"
                lines.append(f"{'':<16}   {label:<13} p50 {r['p50']:8.2f} ms  p99 {r['p99']:8.2f} ms  "
                             f"recall@20 {recall:.3f}{f'  ({short} short lists)' if short else ''}")
            lines.append(f"{'':<16}   filters: {HANDLING[engine]}")
            print("\n".join(lines[-5:]), flush=True)
    lines.append("pgvector (Talent Catalog's engine) is not compared: no Debian package of it is reachable here.")
    before = args.out.read_text() + "\n" if args.append and args.out.exists() else ""
    args.out.write_text(before + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
