"""A planned fair as the page shows it: the slots × companies grid, counts per graduate, a chart."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    meetings: int
    graduates: int
    x: float
    y: float
    height: float
    low: bool


def meeting_counts(spec: dict, schedule: dict) -> dict[int, int]:
    """Meetings per invited graduate, zeros included (computed, so it survives an erasure)."""
    counts = Counter(m["graduate_id"] for m in schedule["meetings"])
    return {int(g): counts.get(int(g), 0) for g in spec["graduates"]}


def grid(spec: dict, schedule: dict, names: dict[int, str], counts: dict[int, int]) -> list[dict]:
    """One row per slot: its time, and per company the graduates met then (with their counts)."""
    minimum = spec.get("rules", {}).get("min_per_candidate", 0)
    companies = [c["company"] for c in spec["companies"]]
    cells: dict[tuple[int, str], list[dict]] = {}
    for m in sorted(schedule["meetings"], key=lambda m: (m["slot"], m["company"], m["graduate_id"])):
        gid = m["graduate_id"]
        cells.setdefault((m["slot"], m["company"]), []).append(
            {"id": gid, "name": names.get(gid) or f"#{gid}", "count": counts.get(gid, 0),
             "low": counts.get(gid, 0) < minimum})
    rows = []
    for slot, start in enumerate(spec["slots"]):
        begin = dt.datetime.fromisoformat(start)
        end = begin + dt.timedelta(minutes=spec.get("slot_minutes", 20))
        rows.append({"slot": slot, "number": slot + 1, "label": f"{begin:%H:%M}–{end:%H:%M}",
                     "cells": [cells.get((slot, c), []) for c in companies]})
    return rows


def histogram(counts: dict[int, int], minimum: int, *, width: int = 320, height: int = 140) -> list[Bar]:
    """Bars of 'how many graduates have n meetings' for n = 0 … max, scaled into an SVG box."""
    if not counts:
        return []
    per = Counter(counts.values())
    top = max(max(per), minimum)
    tallest = max(per.values())
    step = width / (top + 1)
    plot = height - 30
    bars = []
    for n in range(top + 1):
        h = plot * per.get(n, 0) / tallest
        bars.append(Bar(meetings=n, graduates=per.get(n, 0), x=round(n * step + 4, 1),
                        y=round(plot - h + 12, 1), height=round(h, 1), low=n < minimum))
    return bars


def slot_labels(spec: dict) -> list[str]:
    return [f"{i + 1} · {dt.datetime.fromisoformat(s):%H:%M}" for i, s in enumerate(spec["slots"])]


def when(start: str, end: str) -> str:
    """'Thu 3 Dec 2026, 10:00–10:20' in the fair's own time zone (the stored offsets)."""
    a, b = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    return f"{a:%a} {a.day} {a:%b %Y}, {a:%H:%M}–{b:%H:%M}"


_GRADUATE = re.compile(r"\bgraduate (\d+)\b")


def readable_warnings(warnings: list[str], names: dict[int, str]) -> list[str]:
    """The planner's warnings with names for ids; its 'fewer than m meetings' note is left out,
    since the page lists those graduates by name itself.

    Example:
        >>> readable_warnings(["graduate 7 can attend fewer free slots than min_per_candidate 2"], {7: "Ana"})
        ['graduate Ana (#7) can attend fewer free slots than min_per_candidate 2']
    """
    def named(match: re.Match[str]) -> str:
        gid = int(match.group(1))
        return f"graduate {names[gid]} (#{gid})" if gid in names else match.group(0)

    return [_GRADUATE.sub(named, w) for w in warnings if not re.search(r"fewer than \d+ meetings:", w)]
