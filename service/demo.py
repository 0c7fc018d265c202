"""Load the bundled demo (data/demo), only into an empty database.

A database that holds any graduate or posting (in any organisation) gets nothing:
otherwise a demo graduate erased on request would come back at the next
`serve --demo` (`make run`), and demo records would mix into real ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from matching.records.sides import Side
from service.bulk import parse_records
from service.matcher import Matcher, Progress
from service.storage import fairs
from service.storage.records import any_records, org_owners

FILES = {Side.candidates: "candidates.json", Side.postings: "postings.json"}
NOT_EMPTY = "nothing loaded: the database already has data; the demo is loaded only into an empty database"


@dataclass(frozen=True)
class DemoLoad:
    """What `load_demo` did: counts added (all zero when refused) and a sentence saying so."""

    added: dict[str, int] = field(default_factory=dict)
    message: str = NOT_EMPTY


def has_data(matcher: Matcher) -> bool:
    """Whether any organisation holds a graduate or a posting."""
    with matcher.sessions() as session:
        return any_records(session)


def load_demo(matcher: Matcher, data_dir: Path, org_id: int, progress: Progress | None = None) -> DemoLoad:
    """Insert the demo's graduates, companies, postings and fair into an empty database.

    Example:
        >>> load_demo(matcher, settings.data_dir, org_id).message  # doctest: +SKIP
        'loaded the demo: 42 candidates, 12 companies, 32 postings, 1 fair'
    """
    from service.companies import company_ids

    if has_data(matcher):
        return DemoLoad()
    records = {
        side: parse_records(json.loads((data_dir / "demo" / name).read_text(encoding="utf-8")), side)
        for side, name in FILES.items()
    }
    with matcher.sessions.begin() as session:  # companies are records: created here, explicitly
        companies = company_ids(session, org_id=org_id, create=True,
                                names=[r.company for r in records[Side.postings]])  # type: ignore[union-attr]
    added: dict[str, int] = {}
    for side, fresh in records.items():
        if fresh:
            matcher.create(side, fresh, org_owners(side, org_id, fresh), progress)
        added[side.value] = len(fresh)
    added["companies"] = len(companies)
    added["fairs"] = _load_fair(matcher, data_dir / "demo" / "fair.json", org_id)
    message = (f"loaded the demo: {added['candidates']} candidates, {added['companies']} companies, "
               f"{added['postings']} postings, {added['fairs']} fair(s)")
    return DemoLoad(added=added, message=message)


def _load_fair(matcher: Matcher, path: Path, org_id: int) -> int:
    """The demo fair (not yet planned), unless one of that name exists."""
    from service.fair_specs import FairIn
    from service.fairs import normalise_spec

    if not path.exists():
        return 0
    spec = FairIn.model_validate_json(path.read_text(encoding="utf-8"))
    with matcher.sessions.begin() as session:
        if fairs.named(session, org_id=org_id, name=spec.name):
            return 0
        spec = normalise_spec(matcher, session, org_id, spec)
        fairs.add(session, org_id=org_id, name=spec.name, spec=spec.model_dump(mode="json"))
    return 1
