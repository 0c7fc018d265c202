"""Soak test: mixed reads and writes against `bridgematch serve --demo`; writes bench/results/soak.txt.

Run from the repository root:

    .venv/bin/python bench/soak.py [--minutes 10] [--threads 4]

The server runs on a free 127.0.0.1 port over a temporary database and index.
A load generator in a second process (threads with httpx, one client each)
sends, as the coordinator: 70 % GET /candidates/{id}/matches and
/postings/{id}/matches, 10 % POST /search, 10 % PUT /candidates/{id},
5 % POST /candidates and 5 % DELETE /candidates/{id} of graduates it created
itself. It stops after `--minutes` or `--max-requests`, whichever comes first.
This process samples the server's VmRSS every 10 s. Reported: requests and
errors (any non-2xx or transport error), p50/p99 latency and RSS per minute,
and first-minute vs last-minute RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_long import REPO, LiveServer, load_average, machine_line, print_tracebacks, tracebacks

LINES: list[str] = []
MIX = {"candidate_matches": 35, "posting_matches": 35, "search": 10, "update": 10, "create": 5, "delete": 5}
SKILLS = ["Python", "Django", "SQL", "React", "JavaScript", "TypeScript", "Docker", "Java", "PHP", "Power BI",
          "Node.js", "CSS", "HTML", "Git", "Linux", "AWS", "Figma", "Excel", "Kotlin", "Flutter"]
CITIES = ["Barcelona", "Zagreb", "Madrid", "Valencia"]
QUERIES = ["junior backend developer Python", "React frontend internship, remote", "data analyst SQL Power BI",
           "traineeship in Barcelona with Django", "QA tester manual and automated", "DevOps Docker Linux",
           "UX designer Figma", "mobile developer Flutter Kotlin", "PHP Laravel web developer"]


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


# ---- the load generator (second process) ---------------------------------------------------------


def profile(rng: random.Random, serial: int) -> dict:
    skills = rng.sample(SKILLS, rng.randint(2, 6))
    return {
        "name": f"Soak Person {serial}", "headline": f"Junior {skills[0]} developer",
        "summary": f"Soak profile {serial}: bootcamp graduate who built app {rng.randint(1, 10**6)} "
                   f"with {', '.join(skills)}.",
        "skills": skills, "languages": {"es": rng.choice(["B1", "B2", "C1"]), "en": rng.choice(["A2", "B1", "B2"])},
        "location": rng.choice(CITIES), "remote_ok": rng.random() < 0.5, "work_permit": True,
        "visible_to_companies": True,
    }


def worker(url: str, token: str, out: Path, *, minutes: float, threads: int, max_requests: int, seed: int) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        candidates = [c["id"] for c in client.get("/candidates", params={"limit": 500}).json()["items"]]
        postings = [p["id"] for p in client.get("/postings", params={"limit": 500}).json()["items"]]
        setup_rng = random.Random(seed)
        created = [client.post("/candidates", json=profile(setup_rng, -i)).json()["id"] for i in range(1, 21)]
    pool_lock = threading.Lock()  # ids of graduates this run created and nobody is using right now
    serial = iter(range(1, 10**9))
    records: list[tuple[float, str, int, float]] = []  # (seconds since start, kind, status, latency ms)
    errors: list[str] = []
    started = time.monotonic()
    stop_at = started + minutes * 60
    ops, weights = list(MIX), list(MIX.values())

    rng_pick = random.Random(seed + 999)

    def take() -> int | None:
        with pool_lock:
            return created.pop(rng_pick.randrange(len(created))) if created else None

    def run(index: int) -> None:
        rng = random.Random(seed + index)
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            while time.monotonic() < stop_at and len(records) < max_requests:
                kind = rng.choices(ops, weights)[0]
                rid = None
                if kind in ("update", "delete"):
                    rid = take()
                    if rid is None:
                        kind = "create"
                begun = time.monotonic()
                try:
                    if kind == "candidate_matches":
                        response = client.get(f"/candidates/{rng.choice(candidates)}/matches", params={"limit": 10})
                    elif kind == "posting_matches":
                        response = client.get(f"/postings/{rng.choice(postings)}/matches", params={"limit": 10})
                    elif kind == "search":
                        side = rng.choice(["postings", "candidates"])
                        text = f"{rng.choice(QUERIES)} {rng.choice(SKILLS)}"
                        response = client.post("/search", json={"text": text, "side": side, "limit": 10})
                    elif kind == "update":
                        response = client.put(f"/candidates/{rid}", json=profile(rng, next(serial)))
                    elif kind == "create":
                        response = client.post("/candidates", json=profile(rng, next(serial)))
                    else:
                        response = client.delete(f"/candidates/{rid}")
                    status = response.status_code
                except httpx.HTTPError as exc:
                    status, response = 0, None
                    errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                latency = (time.monotonic() - begun) * 1000
                if response is not None and not 200 <= status < 300:
                    errors.append(f"{kind} {response.request.method} {response.request.url.path}: "
                                  f"{status} {response.text[:200]}")
                records.append((begun - started, kind, status, latency))
                with pool_lock:
                    if kind == "create" and 200 <= status < 300:
                        created.append(response.json()["id"])  # type: ignore[union-attr]
                    elif kind == "update" and rid is not None:
                        created.append(rid)

    pool = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=minutes * 60 + 120)
    out.write_text(json.dumps({"records": records, "errors": errors, "seconds": time.monotonic() - started,
                               "threads": threads, "left_created": len(created)}))


# ---- the driver (this process) -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "soak.txt"))
    parser.add_argument("--worker", nargs=3, metavar=("URL", "TOKEN", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        url, token, result = args.worker
        worker(url, token, Path(result), minutes=args.minutes, threads=args.threads,
               max_requests=args.max_requests, seed=args.seed)
        return

    say("$ .venv/bin/python bench/soak.py " + " ".join(sys.argv[1:]))
    say(machine_line())
    say(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load average {load_average()}; mix {MIX} (percent); "
        f"{args.threads} threads; at most {args.minutes} min or {args.max_requests} requests")
    with tempfile.TemporaryDirectory(prefix="bm-soak-") as tmp:
        server = LiveServer(Path(tmp))
        begun = time.monotonic()
        server.start()
        say(f"server: {' '.join(server.command()[1:])}; up in {time.monotonic() - begun:.1f} s, pid {server.pid}")
        result = Path(tmp) / "load.json"
        try:
            load = subprocess.Popen([sys.executable, __file__, "--worker", server.url, server.tokens()["coordinator"],
                                     str(result), "--minutes", str(args.minutes), "--threads", str(args.threads),
                                     "--max-requests", str(args.max_requests), "--seed", str(args.seed)])
            say(f"load generator: pid {load.pid} (a second process)")
            rss: list[tuple[float, int]] = []
            started = time.monotonic()
            deadline = started + args.minutes * 60 + 300
            while load.poll() is None and time.monotonic() < deadline:
                rss.append((time.monotonic() - started, server.rss_kib()))
                time.sleep(10)
            if load.poll() is None:
                load.kill()
                raise RuntimeError("load generator overran its time")
            alive = server.proc is not None and server.proc.poll() is None
            say(f"load average at the end: {load_average()}")
        finally:
            server.stop()
        data = json.loads(result.read_text())
        log = server.log.read_text(errors="replace")
    report(data, rss, alive=alive, log=log)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(LINES) + "\n")


def report(data: dict, rss: list[tuple[float, int]], *, alive: bool, log: str) -> None:
    records = data["records"]
    seconds = data["seconds"]
    by_minute: dict[int, list] = defaultdict(list)
    for at, kind, status, latency in records:
        by_minute[int(at // 60)].append((kind, status, latency))
    rss_by_minute: dict[int, list[int]] = defaultdict(list)
    for at, kib in rss:
        rss_by_minute[int(at // 60)].append(kib)
    say("")
    say(f"{'minute':>6} {'requests':>9} {'req/s':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'RSS MiB (10 s samples)':>24}")
    for minute in sorted(by_minute):
        rows = by_minute[minute]
        latencies = [r[2] for r in rows]
        bad = sum(1 for r in rows if not 200 <= r[1] < 300)
        span = min(60.0, seconds - minute * 60)
        samples = " ".join(f"{k / 1024:.0f}" for k in rss_by_minute.get(minute, []))
        say(f"{minute + 1:6d} {len(rows):9d} {len(rows) / span:7.1f} {bad:7d} {percentile(latencies, 0.5):8.1f} "
            f"{percentile(latencies, 0.99):8.1f}  {samples}")
    say("")
    say(f"{'request':18} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}")
    kinds: dict[str, list[float]] = defaultdict(list)
    for _, kind, _, latency in records:
        kinds[kind].append(latency)
    for kind in MIX:
        values = kinds.get(kind, [])
        say(f"{kind:18} {len(values):7d} {percentile(values, 0.5):8.1f} {percentile(values, 0.99):8.1f}")
    statuses = Counter(status for _, _, status, _ in records)
    errors = data["errors"]
    all_latencies = [r[3] for r in records]
    minutes = sorted(rss_by_minute)
    first = statistics.mean(rss_by_minute[minutes[0]]) / 1024 if minutes else float("nan")
    last = statistics.mean(rss_by_minute[minutes[-1]]) / 1024 if minutes else float("nan")
    say("")
    say(f"statuses: {dict(sorted(statuses.items()))}; server tracebacks in its log: "
        f"{log.count('Exception in ASGI application')}; server alive at the end: {alive}")
    say(f"TOTAL: {len(records)} requests in {seconds:.0f} s = {len(records) / seconds:.1f} req/s; errors: {len(errors)}; "
        f"p50 {percentile(all_latencies, 0.5):.1f} ms, p99 {percentile(all_latencies, 0.99):.1f} ms")
    say(f"RSS: first minute {first:.0f} MiB, last minute {last:.0f} MiB ({last - first:+.0f} MiB, "
        f"{(last - first) / first * 100:+.1f} %); min {min(k for _, k in rss) / 1024:.0f}, "
        f"max {max(k for _, k in rss) / 1024:.0f} MiB over {len(rss)} samples")
    for line, count in Counter(errors).most_common(20):
        say(f"  error ({count}x): {line}")
    print_tracebacks(tracebacks(log), say)


if __name__ == "__main__":
    main()
