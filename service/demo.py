"""Load the bundled demo (data/demo) into an empty or partly filled database."""

from __future__ import annotations

import json
from pathlib import Path

from service.bulk import parse_records
from service.matcher import Matcher, Progress
from service.store import Side, org_owners

FILES = {Side.candidates: "candidates.json", Side.postings: "postings.json"}


def load_demo(
    matcher: Matcher, data_dir: Path, org_id: int, progress: Progress | None = None
) -> dict[str, int]:
    """Insert demo records whose external_id is not in the database yet; returns counts added."""
    added: dict[str, int] = {}
    for side, name in FILES.items():
        rows = json.loads((data_dir / "demo" / name).read_text(encoding="utf-8"))
        records = parse_records(rows, side)
        present = {rec.external_id for rec in matcher.sides[side].records.values()}
        fresh = [rec for rec in records if rec.external_id not in present]
        if fresh:
            matcher.create(side, fresh, org_owners(side, org_id, fresh), progress)
        added[side.value] = len(fresh)
    return added
