"""Do two source trees give the same pages at scale? The golden rankings (tests/golden) hold the
demo, whose lists are shorter than the retrieval pool, so they never reach the vector search,
the lexical top-k or the big near-miss allow-lists; this compares those paths at 100k.

Set-up as bench/bench_http.py (`setup`), then, for each tree in turn, a reader process with that
tree's code builds the engine from the same database and writes every asked page (a graduate's
matches with near misses and learn-next, a posting's matches with near misses) as JSON; the
files must be equal byte for byte.

Run: .venv/bin/python bench/same_answers.py --postings 100000 --graduates 2000 \
         --trees /tmp/bm-base . [--candidates 400] [--postings-asked 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _page(matcher: Any, side: Any, rid: int) -> tuple:
    """A page's list and reasons as the tree's use cases ask for them: together where the tree
    has `Matcher.page`, else one by one (the code before it)."""
    if hasattr(matcher, "page"):
        return matcher.page(side, rid, limit=20)
    if side.value == "candidates":
        return matcher.matches_for_candidate(rid, limit=20), matcher.why_for_candidate(rid)
    return matcher.matches_for_posting(rid, limit=20), matcher.why_for_posting(rid)


def dump(folder: Path, out: Path, candidates: int, postings: int) -> None:
    """In the child: every asked page of this tree's code, as JSON (ids picked the same way)."""
    from matching.records.sides import Side
    from service.composition import build_matcher
    from service.settings import Settings
    from service.usecases.matches import _out

    settings = Settings(database_url=f"sqlite:///{folder / 'db.sqlite'}", index_dir=folder / "index",
                        cache_size=0)
    matcher = build_matcher(settings, writer=False)
    try:
        for side in Side:
            matcher.sides[side].lexical.wait_until_built()
            matcher.sides[side].index.wait_until_built()
        cids, pids = matcher.ids(Side.candidates), matcher.ids(Side.postings)
        pages: dict[str, object] = {}
        t = time.perf_counter()
        for cid in cids[:: max(1, len(cids) // candidates)][:candidates]:
            pages[f"c{cid}"] = _out(*_page(matcher, Side.candidates, cid), "postings", 20, learn=True)
        for pid in pids[:: max(1, len(pids) // postings)][:postings]:
            pages[f"p{pid}"] = _out(*_page(matcher, Side.postings, pid), "consenting graduates", 20)
        print(f"{len(pages)} pages in {time.perf_counter() - t:.1f} s", flush=True)
        out.write_text(json.dumps(pages, sort_keys=True, default=str))
    finally:
        matcher.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--graduates", type=int, default=2_000)
    parser.add_argument("--trees", type=Path, nargs="+", required=True, help="source trees to compare")
    parser.add_argument("--candidates", type=int, default=400, help="graduates' pages asked")
    parser.add_argument("--postings-asked", type=int, default=100, help="postings' pages asked")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        dump(args.child, args.out, args.candidates, args.postings_asked)
        return
    sys.path.insert(0, str(REPO))
    from bench.bench_http import setup

    folder = Path(tempfile.mkdtemp(prefix="bm-same-"))
    try:
        setup(folder, args.postings, args.graduates)
        outs = []
        for n, tree in enumerate(args.trees):
            out = folder / f"pages-{n}.json"
            env = os.environ | {"PYTHONPATH": str(tree.resolve())}
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--trees", "-", "--child", str(folder),
                            "--out", str(out), "--candidates", str(args.candidates),
                            "--postings-asked", str(args.postings_asked)], env=env, check=True)
            outs.append(json.loads(out.read_text()))
        for tree, pages in zip(args.trees[1:], outs[1:], strict=True):
            differ = sorted(k for k in outs[0] if pages.get(k) != outs[0][k])
            print(f"{tree}: {len(pages)} pages, {len(differ)} differ from {args.trees[0]}"
                  + (f" (first: {differ[:5]})" if differ else ""))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
