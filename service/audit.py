"""The exposure audit from stored data: a fair's or some postings' ranked lists, grouped by a sensitive field.

This module (with `matching.ranking.exposure`) is the only reader of origin, status and
nationality outside the coordinator's own views of profiles; the routes that
call it are coordinator-only. Lists are the ranking's own: at a fair, each
company's eligible graduates by the fair's pair score; for postings, each
posting's ranked graduates (consenting, eligible; no relevance floor, so the
whole pool the company could see is measured).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict
from typing import Literal

from sqlalchemy.orm import Session

from matching.ranking.exposure import (
    NOT_STATED,
    ExposureAudit,
    audit,
    det_greedy,
    merge_small_groups,
    ndcg_at_k,
    ndkl,
    shares,
)
from matching.records.sides import Side
from service.calendar import _cell
from service.fairs import build_problem
from service.matcher import Matcher
from service.storage import outcomes

Field = Literal["origin", "status", "nationality"]
INTERVIEWS = ("interviewed", "offer", "hired")  # each of these means the interview took place
LIST_LENGTH = 200


def group_labels(matcher: Matcher, ids: list[int], field: Field) -> dict[int, str]:
    """Each graduate's value of the sensitive field, as written (trimmed); missing ones are "not stated"."""
    records = matcher.sides[Side.candidates].records
    out = {}
    for gid in ids:
        record = records.get(gid)
        if record is not None:
            out[gid] = (getattr(record, field, None) or "").strip() or NOT_STATED
    return out


def _interviews(session: Session, org_id: int, **where: int | list[int]) -> Counter[int]:
    return Counter(outcomes.candidates_with(session, org_id=org_id, events=INTERVIEWS, **where))


def _as_json(result: ExposureAudit, field: Field) -> dict:
    out = asdict(result) | {"field": field}
    out["note"] = ("groups of fewer than 5 people are merged into 'other'; a group still under 5 is withheld "
                   "(listed in 'suppressed'); four-fifths ratio = lowest group's share with >= 1 interview "
                   "over the highest group's")
    return out


def fair_audit(matcher: Matcher, session: Session, org_id: int, fair_id: int, spec: object,
               schedule: dict | None, field: Field, k: int) -> dict:
    """Exposure in the companies' lists at a fair; interviews recorded for it; planned meetings."""
    problem = build_problem(matcher, session, org_id, spec)  # type: ignore[arg-type]
    grads = [int(g) for g in problem.graduates]
    lists = []
    for col in range(len(problem.companies)):
        rows = [i for i in range(len(grads)) if problem.eligible[i, col]]
        rows.sort(key=lambda i: (-problem.scores[i, col], grads[i]))
        lists.append([grads[i] for i in rows])
    labels = group_labels(matcher, grads, field)
    result = _as_json(audit(lists, labels, _interviews(session, org_id, fair_id=fair_id), k=k), field)
    meetings = Counter(m["graduate_id"] for m in (schedule or {}).get("meetings", []))
    planned = audit(lists, labels, meetings, k=k)
    result["meetings"] = None if schedule is None else {
        "per_group": {r.group: {"meetings": r.interviews, "with_meeting": r.with_interview, "rate": r.interview_rate}
                      for r in planned.groups},
        "four_fifths_ratio": planned.four_fifths_ratio, "lowest_group": planned.lowest_group,
    }
    return result | {"fair_id": fair_id}


def postings_audit(matcher: Matcher, session: Session, org_id: int, posting_ids: list[int], field: Field,
                   k: int, rerank: bool) -> dict:
    """Exposure in the postings' ranked lists; with `rerank`, DetGreedy's effect on each list."""
    ranked = {pid: matcher.matches_for_posting(pid, limit=LIST_LENGTH, floor=None) for pid in posting_ids}
    lists = [[m.id for m in matches] for matches in ranked.values()]
    people = sorted({gid for ids in lists for gid in ids})
    labels = group_labels(matcher, people, field)
    interviews = _interviews(session, org_id, posting_id=posting_ids)
    result = _as_json(audit(lists, labels, interviews, k=k), field) | {"posting_ids": posting_ids}
    if rerank:
        merged, _ = merge_small_groups(labels)
        result["rerank"] = [_rerank(pid, matches, merged, k) for pid, matches in ranked.items()]
    return result


def _rerank(pid: int, matches: list, merged: dict[int, str], k: int) -> dict:
    """DetGreedy towards the list's own group mix: what the top k would be, and what it costs in nDCG@k."""
    items = [(m.id, m.score, merged[m.id]) for m in matches if m.id in merged]
    desired = shares([g for _, _, g in items])
    order = det_greedy(items, desired)
    score = {key: s for key, s, _ in items}
    group = {key: g for key, _, g in items}
    return {
        "posting_id": pid, "k": k,
        "ndcg_at_k": round(ndcg_at_k([score[key] for key in order], k), 4),
        "ndkl_before": round(ndkl([g for _, _, g in items], desired), 4),
        "ndkl_after": round(ndkl([group[key] for key in order], desired), 4),
        "top_k": order[:k],
    }


def audit_csv(result: dict) -> str:
    """One row per reported group, then the list-level measures; cells are formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = ["group", "people", "population_share", "exposure_share", "exposure_ratio", "mean_skew_at_k",
               "interviews", "with_interview", "interview_rate"]
    writer.writerow(columns)
    for row in result["groups"]:
        writer.writerow([_cell(row[c]) for c in columns])
    writer.writerow([])
    for key in ("field", "k", "lists", "mean_ndkl", "four_fifths_ratio", "lowest_group", "four_fifths_ok"):
        writer.writerow([key, _cell(result[key])])
    writer.writerow(["suppressed", _cell(";".join(result["suppressed"]))])
    return buffer.getvalue()
