"""Keep bench_http.py's server up, for a profiler to attach to while wrk loads it.

bench_http.py starts a server, runs wrk and stops it; to see where a request's time goes
inside the real process (py-spy record/dump -p PID) the server has to stay up. This builds
the same catalogue (or reuses one built earlier with --folder), starts the server with the
result cache off as the cold run does, and writes what a load needs (pid, port, token, the
wrk Lua scripts) to FOLDER/info.json; it stops the server on Ctrl-C or SIGTERM.

Run:  PYTHONPATH=$PWD .venv/bin/python bench/serve_http.py [--folder /tmp/bm-serve] [--postings 100000]
Load: wrk -t1 -c8 -d20s --latency -s FOLDER/matches.lua http://127.0.0.1:PORT
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_http import free_port, lua, serve, setup, wait_ready


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, default=Path("/tmp/bm-serve"))
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--graduates", type=int, default=2_000)
    parser.add_argument("--cache-size", default="0", help="BRIDGEMATCH_CACHE_SIZE (0: every request cold)")
    parser.add_argument("--src", type=Path, default=None, help="serve this source tree's code (PYTHONPATH)")
    args = parser.parse_args()
    saved = args.folder / "setup.json"
    if saved.exists():
        info = json.loads(saved.read_text())
    else:
        args.folder.mkdir(parents=True, exist_ok=True)
        info = setup(args.folder, args.postings, args.graduates)
        saved.write_text(json.dumps(info))
    port = free_port()
    env = {"BRIDGEMATCH_CACHE_SIZE": args.cache_size}
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    proc = serve(args.folder, port, env)
    stop = False

    def end(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, end)
    signal.signal(signal.SIGINT, end)
    try:
        wait_ready(port, info["token"], info["candidate_ids"][0])
        time.sleep(15)  # the background IVF and BM25 builds, as in bench_http
        scripts = {name: str(lua(args.folder, info["token"], info["candidate_ids"], health=name == "health"))
                   for name in ("health", "matches")}
        (args.folder / "info.json").write_text(json.dumps({"pid": proc.pid, "port": port, **scripts}))
        print(json.dumps({"pid": proc.pid, "port": port, **scripts}), flush=True)
        while not stop and proc.poll() is None:
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)


if __name__ == "__main__":
    main()
