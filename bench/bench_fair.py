"""Benchmark of the job-fair scheduler; writes bench/results/fair.txt.

Run from the repository root:

    .venv/bin/python bench/bench_fair.py

Figures: time to plan 1,000 graduates × 100 companies × 16 slots (seats 1-3 per slot,
min 2, max 4, seeded random scores) and the gap to the LP bound, with and without
availability/eligibility rules; the same for a small 30 graduates × 6 companies × 12
slots fair. It also measures the alternatives the design was chosen against: the pair
relaxation solved by HiGHS (LP and MILP) and by CP-SAT instead of a min-cost flow, and
the full CP-SAT model (pairs and slots together) instead of the two-stage route.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import ortools
import scipy
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.fair.arrays import FairArrays, build_arrays
from matching.fair.joint import solve_joint
from matching.fair.relax import relax_pairs, tier_weights
from matching.fair.schedule import Company, FairProblem, FairRules, plan_fair, validate_schedule
from matching.fair.types import SCORE_SCALE

LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def make_fair(
    n_g: int,
    n_c: int,
    n_s: int,
    *,
    rules: bool,
    seed: int = 2024,
    away_g: float = 0.10,
    away_c: float = 0.05,
) -> FairProblem:
    """Seeded random fair; with `rules`: 90 % eligible, blocked and required pairs, and
    graduates/companies away in a share `away_g`/`away_c` of (id, slot) pairs."""
    rng = np.random.default_rng(seed)
    gids = tuple(f"g{i}" for i in range(n_g))
    comps = tuple(Company(f"c{j}", int(rng.integers(1, 4))) for j in range(n_c))
    slots = tuple(f"s{k}" for k in range(n_s))
    scores = rng.random((n_g, n_c))
    if not rules:
        return FairProblem(gids, comps, slots, scores, rules=FairRules(2, 4))
    eligible = rng.random((n_g, n_c)) < 0.9
    pairs = list(itertools.product(range(n_g), range(n_c)))
    pick = rng.choice(len(pairs), size=n_g // 10 + n_g // 50, replace=False)
    blocked = {(gids[pairs[i][0]], comps[pairs[i][1]].id) for i in pick[: n_g // 10]}
    required = {(gids[pairs[i][0]], comps[pairs[i][1]].id) for i in pick[n_g // 10 :]}
    off_g = {(g, s) for g in gids for s in slots if rng.random() < away_g}
    off_c = {(c.id, s) for c in comps for s in slots if rng.random() < away_c}
    return FairProblem(
        gids,
        comps,
        slots,
        scores,
        eligible,
        FairRules(
            2, 4, frozenset(blocked), frozenset(required), frozenset(off_g), frozenset(off_c)
        ),
    )


def run_plan(name: str, problem: FairProblem) -> None:
    for pof in (False, True):
        start = time.perf_counter()
        schedule = plan_fair(problem, price_of_fairness=pof, time_limit=10.0, workers=2)
        seconds = time.perf_counter() - start
        r = schedule.report
        broken = validate_schedule(problem, schedule, check_min=not r.graduates_below_min)
        extra = f"  price of fairness {r.price_of_fairness:.3f}" if pof else ""
        say(
            f"{name:<38} {seconds:6.2f} s  {r.status:<8} score {r.total_score:9.3f}  "
            f"bound {r.bound:9.3f}  gap {100 * r.gap:.3f} %  meetings/grad "
            f"{r.meetings_min}/{r.meetings_median:g}/{r.meetings_max}  "
            f"below min {len(r.graduates_below_min)}  violations {len(broken)}{extra}"
        )
    if r.warnings:
        say(f"{'':<38} warnings: {'; '.join(r.warnings)}")


def _pair_constraints(a: FairArrays) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    gs, cs = np.nonzero(a.allowed)
    n = len(gs)
    rows = np.concatenate([gs, a.shape[0] + cs])
    matrix = sparse.csr_matrix((np.ones(2 * n), (rows, np.tile(np.arange(n), 2))))
    return gs, cs, matrix


def highs_pairs(a: FairArrays, integral: bool) -> tuple[float, float]:
    """The pair relaxation with a hard min, by HiGHS; (seconds, objective)."""
    start = time.perf_counter()
    gs, cs, matrix = _pair_constraints(a)
    n_g = a.shape[0]
    low = np.concatenate([np.minimum(a.min_target - a.held_g, a.g_cap), np.zeros(a.shape[1])])
    high = np.concatenate([a.g_cap, a.c_cap]).astype(float)
    req = a.required[gs, cs].astype(float)
    res = milp(
        -a.score_int[gs, cs].astype(float),
        constraints=LinearConstraint(matrix, low, high),
        bounds=Bounds(req, np.ones(len(gs))),
        integrality=np.full(len(gs), int(integral)),
        options={"presolve": True},
    )
    assert res.status == 0, res.message
    assert n_g == a.shape[0]
    return time.perf_counter() - start, -res.fun


def cpsat_pairs(a: FairArrays) -> tuple[float, float, str]:
    """The pair relaxation with a hard min, by CP-SAT; (seconds, objective, status)."""
    start = time.perf_counter()
    gs, cs = np.nonzero(a.allowed)
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in gs]
    by_g: list[list[cp_model.IntVar]] = [[] for _ in range(a.shape[0])]
    by_c: list[list[cp_model.IntVar]] = [[] for _ in range(a.shape[1])]
    for var, g, c in zip(x, gs, cs, strict=True):
        by_g[g].append(var)
        by_c[c].append(var)
        if a.required[g, c]:
            model.add(var == 1)
    for g, vs in enumerate(by_g):
        model.add_linear_constraint(sum(vs), min(a.min_target, int(a.g_cap[g])), int(a.g_cap[g]))
    for c, vs in enumerate(by_c):
        model.add(sum(vs) <= int(a.c_cap[c]))
    model.maximize(sum(int(a.score_int[g, c]) * v for v, g, c in zip(x, gs, cs, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    return time.perf_counter() - start, solver.objective_value, solver.status_name(status)


def compare_stage_one(name: str, problem: FairProblem) -> None:
    a, _ = build_arrays(problem)
    start = time.perf_counter()
    weights = tier_weights(a)
    relaxation = relax_pairs(a, weights)
    flow_s = time.perf_counter() - start
    flow_obj = float(a.score_int[relaxation.pairs].sum())
    say(f"{name}: pair relaxation (min hard; objective in 1e-4 score units)")
    say(f"  {'min-cost flow (OR-Tools, chosen)':<34} {flow_s:6.2f} s  objective {flow_obj:.0f}")
    for integral in (False, True):
        seconds, obj = highs_pairs(a, integral)
        label = f"HiGHS {'MILP' if integral else 'LP'} (scipy.optimize.milp)"
        say(f"  {label:<34} {seconds:6.2f} s  objective {obj:.0f}")
    seconds, obj, status = cpsat_pairs(a)
    label = "CP-SAT (2 workers, 10 s limit)"
    say(f"  {label:<34} {seconds:6.2f} s  objective {obj:.0f} ({status})")


def compare_joint(name: str, problem: FairProblem) -> None:
    a, _ = build_arrays(problem)
    weights = tier_weights(a)
    start = time.perf_counter()
    result = solve_joint(a, weights, a.allowed, np.empty((0, 3)), time_limit=10.0, workers=2)
    seconds = time.perf_counter() - start
    if result is None:
        say(f"{name}: full CP-SAT model, no hint: no solution in {seconds:.2f} s")
        return
    score = a.score_int[result.triples[:, 0], result.triples[:, 1]].sum() / SCORE_SCALE
    status = "OPTIMAL" if result.optimal else "FEASIBLE"
    say(f"{name}: full CP-SAT model, no hint: {seconds:6.2f} s  {status}  score {score:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "fair.txt"))
    args = parser.parse_args()
    say("$ .venv/bin/python bench/bench_fair.py")
    uname = subprocess.run(
        ["uname", "-a"], capture_output=True, text=True, check=True
    ).stdout.strip()
    say(f"machine: {uname}; nproc {os.cpu_count()}")
    say(
        f"python {platform.python_version()}, ortools {ortools.__version__}, "
        f"scipy {scipy.__version__}, numpy {np.__version__}"
    )
    say("")
    big_plain = make_fair(1000, 100, 16, rules=False)
    big_rules = make_fair(1000, 100, 16, rules=True)
    small_plain = make_fair(30, 6, 12, rules=False)
    small_rules = make_fair(30, 6, 12, rules=True)
    say("plan_fair (time limit 10 s, 2 workers); second line of each adds the no-min re-solve")
    run_plan("1000 grad × 100 comp × 16 slots", big_plain)
    run_plan("same + availability/eligibility rules", big_rules)
    run_plan("30 grad × 6 comp × 12 slots", small_plain)
    run_plan("same + availability/eligibility rules", small_rules)
    hard = make_fair(1000, 100, 16, rules=True, away_g=0.3, away_c=0.1)
    run_plan("1000×100×16, 30 %/10 % slots away", hard)
    run_plan("1000 × 60 × 16: seats short of min", make_fair(1000, 60, 16, rules=True))
    say("")
    compare_stage_one("1000 × 100 × 16 + rules", big_rules)
    say("")
    compare_joint("30 × 6 × 12 + rules", small_rules)
    compare_joint("200 × 20 × 16 + rules", make_fair(200, 20, 16, rules=True))
    compare_joint("400 × 40 × 16 plain", make_fair(400, 40, 16, rules=False))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(LINES) + "\n")


if __name__ == "__main__":
    main()
