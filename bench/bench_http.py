"""P4 HTTP: requests/s and p50/p99 of GET /candidates/{id}/matches with 100k postings.

Set-up (not timed): the demo data through the real engine, then 100,000
postings and 2,000 graduates written straight into the database, their
texts unique and their embeddings put in the embedding cache as
perturbations of real demo embeddings (encoding 100k texts would take 15
minutes and measures the encoder, not serving; synthetic vectors are
allowed for index scale). The server then starts as in production and
rebuilds its indexes from the database.

Load: wrk (Debian package) in a second process on 127.0.0.1, a Lua script
picking a random graduate per request. Three runs in the same session:
`/health` (the baseline: the HTTP stack alone), matches with the result cache
off (every request ranks from scratch), and with the cache on.

Run: .venv/bin/python bench/bench_http.py [--postings 100000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
CITIES = ["Barcelona", "Barcelona", "Barcelona", "Madrid", "Zagreb", "Valencia", "Girona"]
SKILLS = ["JavaScript", "React", "Node.js", "SQL", "Python", "Django", "Java", "Spring", "Docker", "CSS",
          "HTML", "TypeScript", "Git", "Figma", "PostgreSQL", "MongoDB", "Express", "QA testing", "Power BI"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(folder: Path, postings: int, graduates: int) -> dict:
    from matching.records.profiles import CandidateProfile, Kind, PostingRecord
    from matching.records.sides import Side
    from matching.text.recipe import candidate_text, posting_text
    from models.encoder import text_hash
    from service.auth import ensure_company
    from service.composition import build_matcher
    from service.db import CandidateRow, EmbeddingRow, PostingRow
    from service.demo import load_demo
    from service.settings import Settings
    from service.storage.records import to_columns
    from service.usecases.first_start import init

    settings = Settings(database_url=f"sqlite:///{folder / 'db.sqlite'}", index_dir=folder / "index")
    matcher = build_matcher(settings)
    org, token = init(matcher)
    load_demo(matcher, settings.data_dir, org)
    model = matcher.encoder.name
    bases = {side: matcher.sides[side].index.vectors(matcher.ids(side)) for side in Side}
    rng = np.random.default_rng(0)
    with matcher.sessions.begin() as session:
        companies = [ensure_company(session, org_id=org, name=f"Company {i}") for i in range(500)]

    def noisy(side: Side, n: int) -> np.ndarray:
        base = bases[side]
        v = base[rng.integers(0, len(base), n)] + 0.08 * rng.normal(size=(n, base.shape[1])).astype(np.float32)
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)

    def write(side: Side, records: list, owners: list[dict]) -> None:
        vectors = noisy(side, len(records))
        table = PostingRow if side is Side.postings else CandidateRow
        text = posting_text if side is Side.postings else candidate_text
        rows, embeddings = [], []
        for record, owner, vector in zip(records, owners, vectors, strict=True):
            digest = text_hash(text(record), model)
            rows.append({**to_columns(side, record), **owner, "text_hash": digest})
            embeddings.append({"text_hash": digest, "model": model, "dim": len(vector), "vector": vector.tobytes()})
        with matcher.sessions.begin() as session:
            for start in range(0, len(rows), 5000):
                session.execute(insert(table), rows[start : start + 5000])
                session.execute(insert(EmbeddingRow), embeddings[start : start + 5000])

    kinds = list(Kind)
    langs = [{}, {"es": "B1"}, {"en": "B1"}, {"es": "B2", "en": "B1"}, {"ca": "B2"}]
    posts, owners = [], []
    for i in range(postings):
        skills = random.Random(i).sample(SKILLS, 5)
        posts.append(PostingRecord(
            company=f"Company {i % 500}", title=f"{skills[0]} developer #{i}", kind=kinds[i % 3],
            description=f"Team {i} builds {skills[1]} and {skills[2]} services.", required_skills=skills[:3],
            nice_skills=skills[3:], languages=langs[i % 5], location=CITIES[i % 7], remote=i % 10 == 0,
            work_permit_required=i % 4 != 0, starts_on=dt.date(2026, 12, 1) + dt.timedelta(days=i % 90)))
        owners.append({"org_id": org, "company_id": companies[i % 500]})
    write(Side.postings, posts, owners)
    grads = []
    for i in range(graduates):
        skills = random.Random(-i).sample(SKILLS, 6)
        grads.append(CandidateProfile(
            name=f"Graduate {i}", headline=f"Junior {skills[0]} developer", summary=f"Bootcamp graduate number {i}.",
            skills=skills, languages={"es": "B2", "en": "B1"}, location=CITIES[i % 7], remote_ok=True,
            work_permit=i % 5 != 0, visible_to_companies=True, available_from=dt.date(2026, 11, 1)))
    write(Side.candidates, grads, [{"org_id": org}] * graduates)
    ids = matcher.ids(Side.candidates)
    matcher.close()
    with_new = list(range(1, len(ids) + graduates + 1))
    return {"token": token, "candidate_ids": with_new}


def serve(folder: Path, port: int, env_extra: dict[str, str], workers: int = 1) -> subprocess.Popen:
    env = os.environ | {
        "BRIDGEMATCH_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}",
        "BRIDGEMATCH_INDEX_DIR": str(folder / "index"), "PYTHONPATH": str(REPO), **env_extra,
    }
    with (folder / f"server-{port}.log").open("w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([str(REPO / ".venv/bin/bridgematch"), "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT)


def children(pid: int) -> list[int]:
    """The processes `pid` started (a server's workers)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree_rss_mb(pid: int) -> int:
    """Resident memory of a server and its worker processes (their children), in MB."""
    def rss(p: int) -> int:
        status = Path(f"/proc/{p}/status").read_text().splitlines()
        return next(int(x.split()[1]) for x in status if x.startswith("VmRSS")) // 1024

    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        try:
            total += rss(p)
            todo += children(p)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wait_ready(port: int, token: str, candidate: int, timeout: float = 600) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/candidates/{candidate}/matches", headers=headers, timeout=60).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError("server did not become ready")


def wrk(port: int, path_script: Path, seconds: int, connections: int) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(path_script), f"http://127.0.0.1:{port}"]
    text = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p: str) -> str:
        m = re.search(rf"\s{p}%\s+([\d.]+\w+)", text)
        return m.group(1) if m else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": int(errors.group(1)) if errors else 0,
            "raw": text}


def lua(folder: Path, token: str, ids: list[int], health: bool) -> Path:
    path = folder / ("health.lua" if health else "matches.lua")
    target = '"/health"' if health else '"/candidates/" .. ids[math.random(#ids)] .. "/matches?limit=20"'
    path.write_text(
        f'ids = {{{",".join(map(str, ids))}}}\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        f"request = function() return wrk.format(\"GET\", {target}) end\n"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--graduates", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", type=Path, default=REPO / "bench/results/http.txt")
    parser.add_argument("--compare-src", type=Path, default=None,
                        help="also run the cold case with the server's code from this source tree (e.g. an "
                             "earlier commit's `git archive`), in the same run, for before/after ratios")
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="serving processes (`serve --workers N`); several values: /health and the cold "
                             "case are run for each, in the same session")
    parser.add_argument("--skip-cache-on", action="store_true",
                        help="only /health and the cold run (the cache-on run needs a warm pass of every graduate)")
    args = parser.parse_args()
    lines = [
        (f"$ .venv/bin/python bench/bench_http.py --postings {args.postings} --seconds {args.seconds} "
        f"--connections {args.connections}" + (f" --workers {' '.join(map(str, args.workers))}"
                                                 if args.workers != [1] else "")),
        (f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {platform.uname().system} {platform.uname().release} "
        f"{platform.machine()}; nproc {os.cpu_count()}; wrk 1 thread, {args.connections} connections, "
        f"{'one uvicorn worker (single writer)' if args.workers == [1] else 'serving processes as labelled'}, "
        "server and load generator on the same 2 cores"),
    ]
    folder = Path(tempfile.mkdtemp(prefix="bm-http-"))
    try:
        t = time.perf_counter()
        info = setup(folder, args.postings, args.graduates)
        lines.append(f"set-up: {args.postings:,} postings + {args.graduates:,} graduates in {time.perf_counter() - t:.0f} s")
        print("\n".join(lines), flush=True)
        health_lua = lua(folder, info["token"], info["candidate_ids"], health=True)
        matches_lua = lua(folder, info["token"], info["candidate_ids"], health=False)
        warm_lua = folder / "warm.lua"  # each id in turn, so one pass covers them all
        warm_lua.write_text(matches_lua.read_text().replace(
            "request = function() return wrk.format(\"GET\", \"/candidates/\" .. ids[math.random(#ids)]",
            "n = 0\nrequest = function() n = n + 1; return wrk.format(\"GET\", \"/candidates/\" .. ids[n % #ids + 1]"))
        assert "n % #ids" in warm_lua.read_text()
        rates: list[float] = []  # req/s of each run, /health first
        runs = [("GET /health (baseline)", {}, health_lua),
                ("GET /candidates/{id}/matches, cache off", {"BRIDGEMATCH_CACHE_SIZE": "0"}, matches_lua),
                ("GET /candidates/{id}/matches, cache on", {}, matches_lua)][:2 if args.skip_cache_on else 3]
        if args.compare_src:
            runs.insert(1, (f"cache off, code of {args.compare_src.name}",
                            {"BRIDGEMATCH_CACHE_SIZE": "0", "PYTHONPATH": str(args.compare_src.resolve())}, matches_lua))
        counts = [args.workers[0]] * len(runs)  # worker processes of each run
        for n in args.workers[1:]:
            runs += [(f"GET /health, {n} workers", {}, health_lua),
                     (f"matches, cache off, {n} workers", {"BRIDGEMATCH_CACHE_SIZE": "0"}, matches_lua)]
            counts += [n, n]
        for (label, env, script), workers in zip(runs, counts, strict=True):
            port = free_port()
            proc = serve(folder, port, env, workers)
            try:
                t = time.perf_counter()
                wait_ready(port, info["token"], info["candidate_ids"][0])
                ready = time.perf_counter() - t
                time.sleep(15)  # let the background IVF and BM25 builds finish
                if "cache on" in label:  # every graduate's page computed once (the state between writes)
                    cold = rates[-1] if len(rates) > 1 and rates[-1] > 0 else 60.0  # the cache-off rate
                    wrk(port, warm_lua, max(20, int(1.3 * len(info["candidate_ids"]) / cold) + 1), args.connections)
                result = wrk(port, script, args.seconds, args.connections)
                rss = tree_rss_mb(proc.pid)
            finally:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=120)
            rates.append(result["rps"])
            lines.append(f"{label:<45} {result['rps']:8.1f} req/s  p50 {result['p50']:>9}  p99 {result['p99']:>9}  "
                         f"non-2xx {result['non2xx']}  server RSS {rss:,} MB  (ready after {ready:.0f} s)")
            print(lines[-1], flush=True)
        lines.append("cache on: each graduate's list computed once before the run (the LRU between writes; any write "
                     "clears it); cache off: every request ranks from scratch. Ratios to /health in the same run: "
                     + ", ".join(f"{label} {r / rates[0]:.3f}" for (label, _, _), r in zip(runs[1:], rates[1:], strict=True)))
        for i, n in enumerate(args.workers[1:]):  # each count's pair of runs sits after the first count's
            health, cold = rates[len(rates) - 2 * (len(args.workers) - 1) + 2 * i:][:2]
            lines.append(f"{n} workers: /health {health / rates[0]:.2f}x and cold {cold / rates[1]:.2f}x the first "
                         f"count's ({args.workers[0]}); cold / /health at {n} workers {cold / health:.3f}")
        args.out.write_text("\n".join(lines) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
