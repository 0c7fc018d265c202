"""Simulation of the learned blend (matching/ranking/learned_blend.py); writes bench/results/learned_blend.txt.

Run from the repository root:

    .venv/bin/python bench/learned_blend_sim.py

A SIMULATION, not a measurement on real outcomes. Each synthetic ranked list is one
posting with 40 graduates; each graduate has the ranking's four signals in [0, 1],
drawn from three latent traits (topic fit drives semantic and lexical, skill fit drives
skills and concepts, plus noise), so the signals are correlated as the real ones are.
Companies prefer by HIDDEN weights that differ from the hand-set defaults, plus noise;
and they only see what the ranking shows: the hand-set blend's top 15 (exposure bias).
From those they shortlist 6 (grade 1), interview 4 of them (2), offer 2 (3), hire 1 (4):
six graded events per list. Lists are dated in order; the learned blend is trained on
the earlier lists, then
- "held-out" is a separate set of 300 later lists graded the same way (what the service
  can observe), and "oracle" grades the same later lists on all 40 graduates by hidden
  utility (what the companies would have chosen had they seen everyone);
- "adopted" is `choose()`'s own decision on the N events (70/30 time split inside them,
  margin 0.02), as `POST /ranking/model:train` makes it.
Each N is repeated over 5 seeds: mean ± standard deviation.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
from pathlib import Path

import numpy as np
import sklearn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.ranking.blend import Weights
from matching.ranking.learned_blend import (
    MARGIN,
    Example,
    choose,
    fit_weights,
    mean_ndcg,
    weights_array,
)

HIDDEN = Weights(semantic=0.25, skills=0.40, lexical=0.05, concepts=0.30)
HAND_SET = Weights()
LIST_SIZE, SHOWN, NOISE = 40, 15, 0.08
GRADES = [4, 3, 2, 2, 1, 1]  # the hire, the offer, the other interviews, the other shortlisted
EVENT_COUNTS = (6, 12, 24, 30, 60, 120, 240, 480, 960)
SEEDS = range(5)
HELD_OUT_LISTS = 300


def simulate(rng: np.random.Generator, n_lists: int, first_day: int) -> tuple[list[Example], list[Example]]:
    """(observed examples, oracle examples) of `n_lists` lists dated from `first_day` on."""
    observed, oracle = [], []
    hand, hidden = weights_array(HAND_SET), weights_array(HIDDEN)
    for q in range(n_lists):
        topic, skill, other = rng.normal(size=(3, LIST_SIZE))
        signals = np.clip(np.stack([
            0.45 + 0.15 * topic + 0.05 * other + rng.normal(0, 0.05, LIST_SIZE),   # semantic
            0.40 + 0.25 * skill + rng.normal(0, 0.10, LIST_SIZE),                  # skills
            0.30 + 0.20 * topic + rng.normal(0, 0.15, LIST_SIZE),                  # lexical
            0.35 + 0.20 * skill + 0.10 * other + rng.normal(0, 0.10, LIST_SIZE),   # concepts
        ], axis=1), 0, 1)
        utility = signals @ hidden + rng.normal(0, NOISE, LIST_SIZE)
        shown = np.argsort(-(signals @ hand))[:SHOWN]
        chosen = shown[np.argsort(-utility[shown])][: len(GRADES)]
        grade = np.zeros(LIST_SIZE, dtype=int)
        grade[chosen] = GRADES
        truth = np.zeros(LIST_SIZE, dtype=int)
        truth[np.argsort(-utility)[: len(GRADES)]] = GRADES
        when = dt.date(2026, 1, 1) + dt.timedelta(days=first_day + q)
        for i in range(LIST_SIZE):
            observed.append(Example((first_day + q), i, tuple(signals[i]), int(grade[i]), when))
            oracle.append(Example((first_day + q), i, tuple(signals[i]), int(truth[i]), when))
    return observed, oracle


def oracle_ndcg(examples: list[Example], weights: Weights) -> float:
    return mean_ndcg(examples, weights)


def main() -> None:
    out = ["$ .venv/bin/python bench/learned_blend_sim.py",
           f"python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}",
           "SIMULATION (synthetic lists and outcomes; see the docstring): not a measurement on real outcomes.",
           f"hidden preference {HIDDEN}; hand-set {HAND_SET}",
           (f"lists of {LIST_SIZE} graduates, companies see the hand-set top {SHOWN}, 6 graded events per list; "
           f"margin {MARGIN}; {len(list(SEEDS))} seeds"), "",
           (f"{'events':>7} {'held-out hand':>14} {'held-out learned':>17} {'oracle hand':>12} {'oracle learned':>15}"
           f" {'adopted':>8}  learned weights (mean)")]
    first_beating = always_adopted = None
    for n in EVENT_COUNTS:
        lists = max(1, n // len(GRADES))
        rows = []
        for seed in SEEDS:
            rng = np.random.default_rng(seed)
            train, _ = simulate(rng, lists, 0)
            held, truth = simulate(rng, HELD_OUT_LISTS, lists)
            learned = fit_weights(train) or HAND_SET
            decision = choose(train, HAND_SET)
            rows.append((mean_ndcg(held, HAND_SET), mean_ndcg(held, learned), oracle_ndcg(truth, HAND_SET),
                         oracle_ndcg(truth, learned), decision.live == "learned", weights_array(learned)))
        cols = np.array([r[:4] for r in rows])
        mean, sd = cols.mean(axis=0), cols.std(axis=0)
        adopted = sum(r[4] for r in rows)
        w = np.mean([r[5] for r in rows], axis=0)
        if first_beating is None and mean[1] - mean[0] >= MARGIN:
            first_beating = n
        if always_adopted is None and adopted == len(rows):
            always_adopted = n
        cells = " ".join(f"{m:.3f}±{s:.3f}".rjust(width) for m, s, width in zip(mean, sd, (14, 17, 12, 15), strict=True))
        out.append(f"{n:>7} {cells} {adopted:>6}/{len(rows)}  "
                   f"sem {w[0]:.2f} skills {w[1]:.2f} lex {w[2]:.2f} concepts {w[3]:.2f}")
    out += ["", (f"events needed for the learned blend to beat the hand-set one by {MARGIN} nDCG@10 on held-out "
                f"outcomes (mean of seeds): {first_beating}"),
            (f"events from which choose() (its own 70/30 time split, at least 30 events) made it live in every "
            f"seed: {always_adopted}"),
            "nDCG@10 with gain 2^grade - 1; 'adopted' = seeds in which choose() made the learned blend live."]
    text = "\n".join(out) + "\n"
    print(text, end="")
    (ROOT / "bench" / "results" / "learned_blend.txt").write_text(text)


if __name__ == "__main__":
    main()
