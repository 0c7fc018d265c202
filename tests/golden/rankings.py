"""Every ranked answer the demo gives, as plain data: what a refactoring of the ranker must keep.

`python -m tests.golden.rankings DIR` writes `tests/golden/demo_rankings.json` from a seeded
demo folder; `tests/service/test_golden_rankings.py` compares the live ranker against it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

from matching.records.sides import Side
from service.matcher import Matcher, Why

TODAY = dt.date(2026, 12, 1)  # the demo's start dates are in 2026-11: some passed, some within slack
FILE = Path(__file__).with_name("demo_rankings.json")
SEARCHES = (
    "React developer in Barcelona", "Python data analysis", "desarrollo web con JavaScript",
    "جافا سكريبت", "nursing assistant Madrid", "SQL", "",
)


def _why(why: Why) -> dict:
    return {
        "exclusions": dataclasses.asdict(why.exclusions) | {
            "near_misses": {str(k): v for k, v in sorted(why.exclusions.near_misses.items())}},
        "near_misses": [[m.as_dict(), reason] for m, reason in why.near_misses],
        "language_steps": [dataclasses.asdict(step) for step in why.language_steps],
    }


def snapshot(matcher: Matcher) -> dict:
    """Matches (with and without the floor), reasons, searches and the fair score matrix."""
    matcher.ranker.today = lambda: TODAY
    out: dict = {"candidates": {}, "postings": {}, "search": {}, "pair_scores": {}}
    for side, key in ((Side.candidates, "candidates"), (Side.postings, "postings")):
        for rid in matcher.ids(side):
            if side is Side.candidates:
                floor = [m.as_dict() for m in matcher.matches_for_candidate(rid, limit=50)]
                nofloor = [m.as_dict() for m in matcher.matches_for_candidate(rid, limit=50, floor=None)]
                why = _why(matcher.why_for_candidate(rid))
            else:
                floor = [m.as_dict() for m in matcher.matches_for_posting(rid, limit=50)]
                nofloor = [m.as_dict() for m in matcher.matches_for_posting(rid, limit=50, floor=None)]
                why = _why(matcher.why_for_posting(rid))
            out[key][str(rid)] = {"matches": floor, "no_floor": nofloor, "why": why}
    orgs = sorted({matcher.owner(Side.postings, rid).org_id for rid in matcher.ids(Side.postings)})
    for org in orgs:
        for side in Side:
            for text in SEARCHES:
                found = matcher.search(text, side, org_id=org, limit=20)
                out["search"][f"{org}|{side.value}|{text}"] = {
                    "matches": [m.as_dict() for m in found.matches], "places": found.places}
        cids = matcher.ids(Side.candidates, lambda o, org=org: o.org_id == org)
        pids = matcher.ids(Side.postings, lambda o, org=org: o.org_id == org)
        out["pair_scores"][str(org)] = {"cids": cids, "pids": pids,
                                        "scores": matcher.pair_scores(cids, pids).round(6).tolist()}
    return json.loads(json.dumps(out))


if __name__ == "__main__":
    from service.composition import build_matcher
    from tests.conftest import settings_for

    folder = Path(sys.argv[1])
    matcher = build_matcher(settings_for(folder), writer=False)
    try:
        FILE.write_text(json.dumps(snapshot(matcher), ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    finally:
        matcher.close()
    print(f"wrote {FILE}")
