"""Which blend ranks: the configured (hand-set) one, or one learned from the organisation's outcomes.

The last training of each organisation is stored (`service.storage.blend_models`: weights when live,
the report with events, offline scores and trained_at), and every process ranks that
organisation's lists with it (`Matcher.sync_blends`), so a restart changes nothing.

Examples are built from the ranking itself: for every posting with outcomes, its
ranked graduates (no relevance floor) with their four signals, graded by the best
outcome recorded for the pair (hired 4, offer 3, interviewed 2, shortlisted 1,
anything else or nothing 0). Outcomes of graduates no longer in the posting's
list, and outcomes with a company but no posting, rank nothing and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy.orm import Session

from matching.ranking.blend import Weights
from matching.ranking.learned_blend import GRADES, BlendChoice, Example, choose, vector
from matching.records.sides import Side
from service.matcher import Matcher
from service.settings import Settings
from service.storage import blend_models, outcomes

LIST_LENGTH = 500


def configured_weights(settings: Settings) -> Weights:
    return Weights(settings.weight_semantic, settings.weight_skills, settings.weight_lexical,
                   settings.weight_concepts if settings.concepts else 0.0)


def examples(matcher: Matcher, session: Session, org_id: int) -> list[Example]:
    """Graded lists of the organisation's postings that have outcomes; one example per ranked graduate."""
    grades: dict[int, dict[int, int]] = {}
    latest: dict[int, dt.date] = {}
    for pid, cid, event, when in outcomes.posting_events(session, org_id=org_id):
        per = grades.setdefault(pid, {})
        per[cid] = max(per.get(cid, 0), GRADES.get(event, 0))
        latest[pid] = max(latest.get(pid, when), when)
    live = matcher.sides[Side.postings].owners
    out = []
    for pid in sorted(grades):
        if pid not in live or live[pid].org_id != org_id:
            continue
        for match in matcher.matches_for_posting(pid, limit=LIST_LENGTH, floor=None):
            out.append(Example(pid, match.id, vector(match.explanation.signals),
                               grades[pid].get(match.id, 0), latest[pid]))
    return out


def _rounded(w: Weights | None) -> dict | None:
    return None if w is None else {k: round(v, 4) for k, v in asdict(w.normalised()).items()}


def report(choice: BlendChoice, *, applied: bool, note: str) -> dict:
    """What GET /ranking/model shows: the live blend, what it was trained on, the offline scores."""
    weights = _rounded
    return {
        "live": "learned" if applied else "hand-set",
        "weights": weights(choice.weights if applied else choice.hand_set),
        "hand_set": weights(choice.hand_set),
        "learned": weights(choice.learned),
        "trained_on_events": choice.events,
        "lists": {"train": choice.train_lists, "test": choice.test_lists},
        "offline_ndcg_at_10": {"hand_set": choice.hand_set_ndcg, "learned": choice.learned_ndcg,
                               "margin": choice.margin},
        "reason": choice.reason + (f"; {note}" if note else ""),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def train(matcher: Matcher, session: Session, org_id: int, settings: Settings) -> dict:
    """Fit and compare; make the learned blend live for the organisation only when it wins and
    `learned_blend` allows it; store the outcome either way (a blend that stopped winning is withdrawn)."""
    choice = choose(examples(matcher, session, org_id), configured_weights(settings),
                    margin=settings.learned_blend_margin)
    wins = choice.live == "learned"
    applied = wins and settings.learned_blend
    note = "" if applied or not wins else "BRIDGEMATCH_LEARNED_BLEND is off, so it is reported, not used"
    result = report(choice, applied=applied, note=note)
    blend_models.save(session, org_id=org_id, live=applied,
                      weights=asdict(choice.weights.normalised()) if applied else None,
                      report=result, trained_at=dt.datetime.fromisoformat(result["trained_at"]))
    matcher.sync_blends(session)
    return result


def describe(matcher: Matcher, session: Session, org_id: int, settings: Settings) -> dict:
    """GET /ranking/model: the organisation's live blend and its stored last training (None before one)."""
    row = blend_models.last_training(session, org_id=org_id)
    learned = row is not None and row.live and row.weights is not None
    return {
        "live": "learned" if learned else "hand-set",
        "weights": _rounded(matcher.ranker.weights_for(org_id)),
        "hand_set_is_configured": not learned and matcher.weights == configured_weights(settings),
        "learned_blend_enabled": settings.learned_blend,
        "trained_at": None if row is None else row.report["trained_at"],
        "last_training": None if row is None else row.report,
    }
