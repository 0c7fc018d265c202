"""Same answers over HTTP: two running servers (bench/serve_http.py, one per code tree, each on
its own copy of the catalogue) asked the same requests must answer byte for byte alike.

bench/same_answers.py compares the engine's pages in-process; this compares what leaves the
server (status, content type, body), so a change of the route code, its dependencies or the
response path is checked too. Requests: graduates' and postings' matches (with and without
weights and a floor), free-text searches, a missing record and a bad token.

Run: .venv/bin/python bench/same_http.py --a /tmp/bm-serve --b /tmp/bm-serve-b [--candidates 300]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import httpx


def requests(token: str, candidates: list[int], n: int, postings: int) -> list[tuple[str, str, dict | None, dict]]:
    """(method, path, JSON body, headers) of each request, the same for both servers."""
    rng = random.Random(0)
    auth = {"Authorization": f"Bearer {token}"}
    out: list[tuple[str, str, dict | None, dict]] = []
    for cid in rng.sample(candidates, min(n, len(candidates))):
        out.append(("GET", f"/candidates/{cid}/matches?limit=20", None, auth))
    for cid in rng.sample(candidates, 20):
        out.append(("GET", f"/candidates/{cid}/matches?limit=5&w_skills=3&min_score=0", None, auth))
    for pid in rng.sample(range(1, postings + 1), 40):
        out.append(("GET", f"/postings/{pid}/matches?limit=10", None, auth))
    for text in ("junior react developer", "python django", "Barcelona SQL", "QA testing remote"):
        out.append(("POST", "/search", {"text": text, "limit": 10}, auth))
        out.append(("POST", "/search", {"text": text, "side": "candidates", "limit": 10}, auth))
    out.append(("GET", "/candidates/999999999/matches", None, auth))
    out.append(("GET", f"/candidates/{candidates[0]}/matches", None, {"Authorization": "Bearer bm_nope"}))
    out.append(("GET", f"/candidates/{candidates[0]}/matches?limit=0", None, auth))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", type=Path, required=True, help="folder of the first serve_http.py server")
    parser.add_argument("--b", type=Path, required=True, help="folder of the second")
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--postings", type=int, default=100_000)
    args = parser.parse_args()
    info = {side: json.loads((folder / "info.json").read_text()) for side, folder in (("a", args.a), ("b", args.b))}
    setup = json.loads((args.a / "setup.json").read_text())
    asked = requests(setup["token"], setup["candidate_ids"], args.candidates, args.postings)
    differ = 0
    with httpx.Client(timeout=120) as client:
        for method, path, body, headers in asked:
            got = [client.request(method, f"http://127.0.0.1:{info[s]['port']}{path}", json=body, headers=headers)
                   for s in ("a", "b")]
            same = [(r.status_code, r.headers.get("content-type"), r.content) for r in got]
            if same[0] != same[1]:
                differ += 1
                if differ <= 5:
                    print(f"differ: {method} {path}: {same[0][:2]} {len(same[0][2])} B vs {same[1][:2]} {len(same[1][2])} B")
    print(f"{len(asked)} requests, {differ} differ (status, content type, body bytes)")


if __name__ == "__main__":
    main()
