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
    """Insert demo records whose external_id the organisation does not use yet; returns counts added.

    External ids are unique per organisation, so another school's demo rows do not count.
    """
    added: dict[str, int] = {}
    for side, name in FILES.items():
        rows = json.loads((data_dir / "demo" / name).read_text(encoding="utf-8"))
        records = parse_records(rows, side)
        state = matcher.sides[side]
        present = {rec.external_id for rid, rec in state.records.items() if state.owners[rid].org_id == org_id}
        fresh = [rec for rec in records if rec.external_id not in present]
        if fresh:
            matcher.create(side, fresh, org_owners(side, org_id, fresh), progress)
        added[side.value] = len(fresh)
    added["fairs"] = _load_fair(matcher, data_dir / "demo" / "fair.json", org_id)
    return added


def _load_fair(matcher: Matcher, path: Path, org_id: int) -> int:
    """The demo fair (not yet planned), unless one of that name exists."""
    from sqlalchemy import select

    from service.db import FairRow
    from service.fair_specs import FairIn
    from service.fairs import normalise_spec

    if not path.exists():
        return 0
    spec = FairIn.model_validate_json(path.read_text(encoding="utf-8"))
    with matcher.sessions.begin() as session:
        if session.scalar(select(FairRow.id).where(FairRow.org_id == org_id, FairRow.name == spec.name)):
            return 0
        spec = normalise_spec(matcher, session, org_id, spec)
        session.add(FairRow(org_id=org_id, name=spec.name, spec=spec.model_dump(mode="json")))
    return 1
