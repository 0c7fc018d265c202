"""Exposure audit of ranked lists per group of a sensitive field (the only place those fields are read).

Why: the ranking never sees origin, status or nationality, but it can still
favour one group through what correlates with them (languages, projects).
A coordinator needs to see that, without anyone being singled out:
- exposure: position-discounted attention, 1/log2(1 + rank), summed over the
  lists a group's members appear in, as a share of all exposure, next to the
  group's share of the people ranked (ratio 1.0 = exposure in proportion);
- skew@k (Geyik, Ambler, Kenthapadi 2019): ln(share of the group in the top k /
  its share of the people ranked), additively smoothed by `SMOOTHING` so a group
  absent from the top k gives a finite, very negative number instead of -inf;
- NDKL (same paper): the KL divergence of each prefix's group mix from the
  ranked people's mix, discounted by position and normalised; 0 = every prefix
  has the pool's mix;
- the four-fifths ratio of "got at least one interview": the lowest group's
  rate over the highest group's; below 0.8 is the usual warning sign.
Groups of fewer than `MIN_GROUP` people are merged into "other", and "other"
is suppressed (its row withheld) when it too is that small. DetGreedy re-ranks
a list towards the pool's mix (the same paper's algorithm), with its nDCG cost.
Written from the paper's definitions; no fairness library is needed for these.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP = 5
OTHER = "other"
NOT_STATED = "not stated"
SMOOTHING = 0.01
FOUR_FIFTHS = 0.8


def discount(rank: int) -> float:
    """Attention at a 1-based rank: 1, 0.63, 0.5, … (the DCG discount)."""
    return 1.0 / math.log2(rank + 1)


def merge_small_groups(labels: Mapping[Hashable, str], min_size: int = MIN_GROUP) -> tuple[dict, set[str]]:
    """Labels with groups under `min_size` merged into "other"; and the groups whose rows must be withheld
    ("other" itself when still under `min_size`), so no figure describes fewer than `min_size` people."""
    sizes = Counter(labels.values())
    merged = {key: (label if sizes[label] >= min_size else OTHER) for key, label in labels.items()}
    merged_sizes = Counter(merged.values())
    return merged, {g for g, n in merged_sizes.items() if n < min_size}


def shares(labels: Sequence[str]) -> dict[str, float]:
    counts = Counter(labels)
    return {g: n / len(labels) for g, n in counts.items()} if labels else {}


def skew_at_k(ranked: Sequence[str], desired: Mapping[str, float], group: str, k: int) -> float:
    """ln(share of `group` in the top k / its desired share), smoothed; > 0 over-, < 0 under-represented."""
    top = ranked[:k]
    if not top:
        return 0.0
    observed = sum(1 for g in top if g == group) / len(top)
    return math.log((observed + SMOOTHING) / (desired.get(group, 0.0) + SMOOTHING))


def ndkl(ranked: Sequence[str], desired: Mapping[str, float]) -> float:
    """Normalised discounted KL divergence of the list's prefixes from `desired` (0 is ideal)."""
    if not ranked:
        return 0.0
    counts: Counter[str] = Counter()
    total = norm = 0.0
    for i, group in enumerate(ranked, start=1):
        counts[group] += 1
        kl = sum((n / i) * math.log((n / i) / desired[g]) for g, n in counts.items() if n and desired.get(g))
        total += discount(i) * kl
        norm += discount(i)
    return total / norm


def ndcg_at_k(gains_in_order: Sequence[float], k: int) -> float:
    """nDCG@k of a list whose items have these gains, against the same gains sorted best first."""
    def dcg(values: Sequence[float]) -> float:
        return sum(g * discount(i) for i, g in enumerate(values[:k], start=1))

    ideal = dcg(sorted(gains_in_order, reverse=True))
    return dcg(gains_in_order) / ideal if ideal > 0 else 0.0


def det_greedy(items: Sequence[tuple[Hashable, float, str]], desired: Mapping[str, float],
               k: int | None = None) -> list[Hashable]:
    """DetGreedy: fill each position from a group below its floor(k·p) minimum if any (best score among
    them), else from groups below their ceil(k·p) maximum; each group keeps its own score order."""
    k = len(items) if k is None else min(k, len(items))
    queues: dict[str, list[tuple[Hashable, float]]] = {}
    for key, score, group in sorted(items, key=lambda t: -t[1]):
        queues.setdefault(group, []).append((key, score))
    taken: Counter[str] = Counter()
    out: list[Hashable] = []
    for position in range(1, k + 1):
        live = [g for g, q in queues.items() if q]
        below_min = [g for g in live if taken[g] < math.floor(position * desired.get(g, 0.0))]
        below_max = [g for g in live if taken[g] < math.ceil(position * desired.get(g, 0.0))]
        pool = below_min or below_max or live
        group = max(pool, key=lambda g: queues[g][0][1])
        out.append(queues[group].pop(0)[0])
        taken[group] += 1
    return out


@dataclass(frozen=True)
class GroupRow:
    group: str
    people: int
    population_share: float
    exposure_share: float
    exposure_ratio: float
    mean_skew_at_k: float
    interviews: int  # all of the group's interviews
    with_interview: int  # members with at least one
    interview_rate: float


@dataclass(frozen=True)
class ExposureAudit:
    k: int
    lists: int
    groups: list[GroupRow]
    suppressed: list[str]
    mean_ndkl: float
    four_fifths_ratio: float | None
    lowest_group: str | None
    four_fifths_ok: bool | None


def audit(lists: Sequence[Sequence[Hashable]], labels: Mapping[Hashable, str],
          interviewed: Mapping[Hashable, int], *, k: int = 10, min_group: int = MIN_GROUP) -> ExposureAudit:
    """Audit ranked `lists` of people (best first) over the people in `labels` (their raw group);
    `interviewed` counts each person's interviews. Lists may name people missing from `labels`: skipped."""
    merged, suppressed = merge_small_groups(labels, min_group)
    population = shares(list(merged.values()))
    exposure: Counter[str] = Counter()
    skews: dict[str, list[float]] = {g: [] for g in population}
    ndkls = []
    for ranked in lists:
        groups = [merged[p] for p in ranked if p in merged]
        if not groups:
            continue
        pool = shares(groups)  # each list against the mix of the people it ranks
        for rank, g in enumerate(groups, start=1):
            exposure[g] += discount(rank)
        for g in pool:
            skews[g].append(skew_at_k(groups, pool, g, k))
        ndkls.append(ndkl(groups, pool))
    total = sum(exposure.values()) or 1.0
    sizes = Counter(merged.values())
    hit = Counter(merged[p] for p in merged if interviewed.get(p, 0) > 0)
    count = Counter({g: 0 for g in sizes})
    for p, n in interviewed.items():
        if p in merged:
            count[merged[p]] += n
    rows = [
        GroupRow(g, sizes[g], round(population[g], 4), round(exposure[g] / total, 4),
                 round(exposure[g] / total / population[g], 4),
                 round(sum(skews[g]) / len(skews[g]), 4) if skews[g] else 0.0,
                 count[g], hit[g], round(hit[g] / sizes[g], 4))
        for g in sorted(population, key=lambda g: (-sizes[g], g)) if g not in suppressed
    ]
    rates = {r.group: r.interview_rate for r in rows}
    ratio = lowest = ok = None
    if len(rates) >= 2 and max(rates.values()) > 0:
        lowest = min(rates, key=lambda g: (rates[g], g))
        ratio = round(rates[lowest] / max(rates.values()), 4)
        ok = ratio >= FOUR_FIFTHS
    return ExposureAudit(k, len(ndkls), rows, sorted(suppressed),
                         round(sum(ndkls) / len(ndkls), 4) if ndkls else 0.0, ratio, lowest, ok)
