"""Cold GET /candidates/{id}/matches under several server set-ups in one session, with the CPU each
serving process used: to tell a slower page from workers waiting (bench_http.py's set-up and wrk).

Each run is `WORKERS[:TREE]`: that many serving processes (`serve --workers`), with the server's code
from TREE (a `git archive` of another commit; default this checkout). Runs alternate as given, so a
before/after pair can be repeated in one session on a noisy machine.

    .venv/bin/python bench/http_cpu.py 2:/tmp/bm-before 2 2:/tmp/bm-before 2 [--seconds 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_http import children, free_port, lua, serve, setup, wait_ready, wrk


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="+", help="WORKERS[:TREE] per run")
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--graduates", type=int, default=2_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    print(f"$ .venv/bin/python bench/http_cpu.py {' '.join(args.runs)} --seconds {args.seconds}")
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()}; wrk 1 thread, {args.connections} "
          f"connections; cache off; {args.postings:,} postings", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="bm-cpu-"))
    try:
        info = setup(folder, args.postings, args.graduates)
        script = lua(folder, info["token"], info["candidate_ids"], health=False)
        for run in args.runs:
            workers, _, tree = run.partition(":")
            env = {"BRIDGEMATCH_CACHE_SIZE": "0", **({"PYTHONPATH": str(Path(tree).resolve())} if tree else {})}
            port = free_port()
            proc = serve(folder, port, env, int(workers))
            try:
                wait_ready(port, info["token"], info["candidate_ids"][0])
                time.sleep(15)  # the background IVF and BM25 builds
                pids = [proc.pid, *children(proc.pid)]
                before, start = {p: cpu_seconds(p) for p in pids}, time.monotonic()
                result = wrk(port, script, args.seconds, args.connections)
                elapsed = time.monotonic() - start
                used = [round((cpu_seconds(p) - before[p]) / elapsed, 2) for p in pids]
            finally:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=120)
            print(f"{run:<28} {result['rps']:7.1f} req/s  p50 {result['p50']:>9}  p99 {result['p99']:>9}  "
                  f"non-2xx {result['non2xx']}  cores used per process (parent first) {used}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
