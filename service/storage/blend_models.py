"""Each organisation's last trained blend (`service.ranking_model.train`): its weights when live
and the training report, read by every process (`Matcher.sync_blends`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import BlendModelRow


def live_blends(session: Session) -> dict[int, dict[str, float]]:
    """Each organisation's stored live blend, as weights by signal name."""
    rows = session.execute(select(BlendModelRow.org_id, BlendModelRow.weights).where(BlendModelRow.live))
    return {org: dict(weights) for org, weights in rows if weights}


def last_training(session: Session, *, org_id: int) -> BlendModelRow | None:
    return session.get(BlendModelRow, org_id)


def save(session: Session, *, org_id: int, live: bool, weights: dict | None, report: dict,
         trained_at: dt.datetime) -> None:
    """Replace the organisation's stored training (one row per organisation)."""
    row = session.get(BlendModelRow, org_id) or BlendModelRow(org_id=org_id)
    row.live, row.weights, row.report, row.trained_at = live, weights, report, trained_at
    session.add(row)
    session.flush()
