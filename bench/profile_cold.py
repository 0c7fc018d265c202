"""Where a cold GET /candidates/{id}/matches spends its time, in-process over the real app.

Set-up as bench/bench_http.py (its `setup`: a seeded catalogue in a real SQLite file), then
the real app with the result cache off, driven by Starlette's TestClient (no socket, so the
HTTP stack's share is left out: /health in bench_http measures it), under cProfile. Prints the
per-stage totals of the ranker and the top functions by cumulative time.

Run: .venv/bin/python bench/profile_cold.py [--postings 100000] [--requests 300]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_http import setup

STAGES = [  # (label, module path fragment, function name)
    ("request total (route + serialisation)", "bench/profile_cold.py", "one"),
    ("  use case (the route's worker-thread part)", "service/usecases/matches.py", "for_candidate"),
    ("  eligibility (filters columns)", "matching/filters/columns.py", "eligible_for"),
    ("  exclusions (why)", "matching/filters/columns.py", "exclusions"),
    ("  eligibility + exclusions, one pass", "matching/filters/columns.py", "eligible_and_exclusions"),
    ("  language steps (counting)", "matching/ranking/next_steps.py", "language_steps"),
    ("  _pool: retrieval total", "matching/ranking/pipeline.py", "_pool"),
    ("    BM25 over the whole side", "matching/retrieval/lexical.py", "query"),
    ("    FAISS / exact search", "matching/retrieval/index.py", "search"),
    ("    lexical top-k among allowed", "matching/retrieval/lexical.py", "top"),
    ("  signals (skills, concepts)", "matching/skills/pair_signals.py", "for_candidate"),
    ("  blend + explanation", "matching/ranking/blend.py", "score_pairs"),
    ("  serialisation (as_dict)", "matching/ranking/blend.py", "as_dict"),
    ("  response model validation", "pydantic/type_adapter.py", "validate_python"),
    ("  JSON (pydantic-core)", "pydantic/type_adapter.py", "dump_json"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--graduates", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bm-prof-"))
    try:
        info = setup(folder, args.postings, args.graduates)
        from fastapi.testclient import TestClient
        from pydantic import TypeAdapter

        from matching.ranking.blend import RELEVANCE_FLOOR
        from matching.records.sides import Side
        from service.app import create_app
        from service.auth import Principal, Role
        from service.schemas import MatchList
        from service.settings import Settings
        from service.usecases import matches as cases

        settings = Settings(database_url=f"sqlite:///{folder / 'db.sqlite'}", index_dir=folder / "index",
                            cache_size=0)
        headers = {"Authorization": f"Bearer {info['token']}"}
        ids = info["candidate_ids"]
        rng = random.Random(0)
        with TestClient(create_app(settings)) as client:
            matcher = client.app.state.matcher
            for side in matcher.sides.values():  # the background IVF and BM25 builds
                side.lexical.wait_until_built() if hasattr(side.lexical, "wait_until_built") else None
                side.index.wait_until_built() if hasattr(side.index, "wait_until_built") else None
            for _ in range(20):
                client.get(f"/candidates/{rng.choice(ids)}/matches?limit=20", headers=headers)
            picks = [rng.choice(ids) for _ in range(args.requests)]
            t = time.perf_counter()
            for cid in picks:
                assert client.get(f"/candidates/{cid}/matches?limit=20", headers=headers).status_code == 200
            plain = (time.perf_counter() - t) / len(picks)
            # cProfile sees only its own thread: the route function, then what FastAPI does with
            # its answer (validation against the response model, then JSON by pydantic-core),
            # called here in this thread.
            principal = Principal(token_id=0, role=Role.coordinator, org_id=matcher.owner(Side.candidates, ids[0]).org_id)

            adapter = TypeAdapter(MatchList)  # FastAPI 0.165's fast path: validate, then dump JSON in Rust

            def one(cid: int) -> bytes:
                out = cases.for_candidate(matcher, principal, cid, weights=None, limit=20, floor=RELEVANCE_FLOOR)
                return adapter.dump_json(adapter.validate_python(out))

            t = time.perf_counter()
            for cid in picks:
                one(cid)
            direct = (time.perf_counter() - t) / len(picks)
            prof = cProfile.Profile()
            prof.enable()
            for cid in picks:
                one(cid)
            prof.disable()
        stats = pstats.Stats(prof)
        print(f"{args.postings:,} postings, {args.graduates:,} graduates, {len(picks)} cold requests "
              f"(cache off, limit=20), TestClient in-process")
        print(f"mean per request through TestClient (HTTP in-process): {plain * 1000:.1f} ms; "
              f"route + response serialisation called directly: {direct * 1000:.1f} ms")
        print("stage (cumulative ms per request, under cProfile; nested stages are part of their parent)")
        for label, path, name in STAGES:
            total = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(path) and k[2] == name)  # type: ignore[attr-defined]
            calls = sum(v[1] for k, v in stats.stats.items() if k[0].endswith(path) and k[2] == name)  # type: ignore[attr-defined]
            print(f"  {label:<42} {total / len(picks) * 1000:8.2f} ms  ({calls / len(picks):.1f} calls/request)")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
