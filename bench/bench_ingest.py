"""Bulk-import encoding speed: sentence-transformers fp32 against the int8 ONNX backend.

Both backends encode the same seeded profiles (recombined from the demo
candidates: headlines, summary sentences, skills, projects) in the same run,
taking turns, best of `--repeats` runs each. Wall time is the headline; the
process CPU time per text is printed beside it because the machines are shared
and a busy neighbour slows a backend that waits on its threads more than one
that does not. Then the quality cost: title-ranking MRR on a 3,000-title sample
(seed 0) of ../shared/eval/jobbert/titles_validation.csv against the ESCO
occupation descriptions, by cosine, for both backends (`matching.evaluation.harness`,
the project's evaluation harness). Last, a small ablation on a subset of
profiles: what each trick is worth.

Run from the repository root:

    .venv/bin/python bench/bench_ingest.py [--profiles 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from matching.records.profiles import CandidateProfile
from matching.text.recipe import candidate_text
from models.encoder import Encoder, load_encoder
from models.onnx_encoder import (
    OnnxEncoder,
    ensure_export,
    export_dir_for,
    load_onnx_encoder,
)

LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def make_profiles(candidates: Path, n: int, *, seed: int = 0) -> list[str]:
    """`n` profile texts recombined from the demo candidates by a seeded generator."""
    source = json.loads(candidates.read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed)
    headlines = [c["headline"] for c in source]
    sentences = [s for c in source for s in re.split(r"(?<=[.!?])\s+", c["summary"]) if s]
    skills = sorted({s for c in source for s in c["skills"]})
    projects = [p for c in source for p in c.get("projects", [])]

    def pick(pool: list[str], k: int) -> list[str]:
        return [pool[i] for i in rng.choice(len(pool), size=k, replace=False)]

    texts = []
    for i in range(n):
        profile = CandidateProfile(
            name=f"Graduate {i}",
            headline=headlines[rng.integers(len(headlines))],
            summary=" ".join(pick(sentences, int(rng.integers(1, 7)))),
            skills=pick(skills, int(rng.integers(3, 13))),
            projects=pick(projects, int(rng.integers(0, 4))),
        )
        texts.append(candidate_text(profile))
    return texts


def best_of(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, tuple[float, float]]:
    """Best (wall, cpu) seconds of each run; the runs take turns so both see the same load."""
    best = {name: (float("inf"), float("inf")) for name in runs}
    for round_ in range(repeats):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
            say(f"  round {round_ + 1}  {name:<34} {wall:7.1f} s   load {os.getloadavg()[0]:.1f}")
    return best


def throughput(texts: list[str], fp32: Encoder, int8: Encoder, repeats: int) -> None:
    lengths = [len(ids) for ids in _token_lengths(int8, texts)]
    say(
        f"{len(texts)} profiles, tokens per text: mean {np.mean(lengths):.0f}, "
        f"median {np.median(lengths):.0f}, truncated at 256: {sum(n >= 256 for n in lengths)}"
    )
    for encoder in (fp32, int8):
        encoder.encode(texts[:32])  # warm-up
    vectors: dict[str, np.ndarray] = {}

    def timed(encoder: Encoder) -> Callable[[], object]:
        def run() -> None:
            vectors[encoder.name] = encoder.encode(texts)

        return run

    best = best_of({fp32.name: timed(fp32), int8.name: timed(int8)}, repeats)
    n = len(texts)
    say(f"\nbest of {repeats}, encode(texts) with the default batch_size=64:")
    say(f"  {'backend':<34} {'texts/s':>8} {'texts per CPU-s':>16}")
    for name, (wall, cpu) in best.items():
        say(f"  {name:<34} {n / wall:8.1f} {n / cpu:16.1f}")
    wall_ratio = best[fp32.name][0] / best[int8.name][0]
    cpu_ratio = best[fp32.name][1] / best[int8.name][1]
    say(f"  speed-up int8/fp32: {wall_ratio:.2f}x wall clock, {cpu_ratio:.2f}x per CPU-second")
    cosines = (vectors[fp32.name] * vectors[int8.name]).sum(axis=1)
    say(
        f"  cosine int8 vs fp32 per profile: min {cosines.min():.4f}, "
        f"1st pct {np.percentile(cosines, 1):.4f}, mean {cosines.mean():.4f}"
    )


def title_mrr(fp32: Encoder, int8: Encoder, sample: int) -> None:
    from matching.evaluation.data import load_titles
    from matching.evaluation.harness import run_benchmark

    titles = REPO.parent / "shared" / "eval" / "jobbert" / "titles_validation.csv"
    task = load_titles(titles, sample=sample, seed=0)
    say(
        f"\ntitle ranking: {len(task.queries)} titles (sample seed 0) vs "
        f"{len(task.corpus)} ESCO occupation descriptions, cosine (matching.evaluation.harness)"
    )
    mrr = {}
    for encoder in (fp32, int8):
        start = time.perf_counter()
        report = run_benchmark(
            task,
            kind="titles",
            model=encoder.name,
            cache_dir=None,
            methods=("embedding",),
            encoder=encoder,
        )
        m = report.results[0].metrics
        mrr[encoder.name] = m["mrr"]
        say(
            f"  {encoder.name:<34} MRR {m['mrr']:.4f}  recall@1 {m['recall@1']:.4f}  "
            f"recall@10 {m['recall@10']:.4f}   ({time.perf_counter() - start:.0f} s)"
        )
    loss = 1 - mrr[int8.name] / mrr[fp32.name]
    say(f"  relative MRR loss of int8: {loss * 100:.2f} %")


def ablation(texts: list[str], fp32: Encoder, export: Path) -> None:
    """What each trick is worth, on a subset, one worker unless said otherwise."""
    say(f"\nablation on {len(texts)} profiles, best of 2, encode(texts, batch_size=64):")
    variants: dict[str, Callable[[], object]] = {
        "fp32, batch 64 texts (default)": lambda: fp32.encode(texts),
        "fp32, batch 16 texts": lambda: fp32.encode(texts, batch_size=16),
    }
    for label, threads, budget in (
        ("int8, 1 worker, batch 64 texts", 1, 10**9),
        ("int8, 1 worker, <=512 tokens a batch", 1, 512),
        ("int8, 2 workers, batch 64 texts", 2, 10**9),
        ("int8, 2 workers, <=512 tokens (used)", 2, 512),
    ):
        encoder = OnnxEncoder(export, name=label, threads=threads, max_batch_tokens=budget)
        variants[label] = lambda e=encoder: e.encode(texts)
    best = best_of(variants, 2)
    for name, (wall, cpu) in best.items():
        say(f"  {name:<38} {len(texts) / wall:8.1f} texts/s {len(texts) / cpu:8.1f} per CPU-s")


def _token_lengths(encoder: Encoder, texts: list[str]) -> list[list[int]]:
    tokenizer = encoder._tokenizer  # type: ignore[attr-defined]  # the bench peeks
    return [e.ids for e in tokenizer.encode_batch(texts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--titles", type=int, default=3000)
    parser.add_argument("--ablation", type=int, default=500, help="profiles; 0 skips it")
    parser.add_argument("--cache-dir", type=Path, default=REPO / "var" / "cache" / "onnx")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.txt")
    args = parser.parse_args()

    import onnxruntime
    import sentence_transformers
    import torch

    say("$ .venv/bin/python bench/bench_ingest.py " + " ".join(sys.argv[1:]))
    uname = subprocess.run(
        ["uname", "-srm"], check=True, capture_output=True, text=True
    ).stdout.strip()
    say(f"machine: {uname}; nproc {os.cpu_count()}; load average at start {os.getloadavg()[0]:.1f}")
    say(
        f"python {platform.python_version()}, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), sentence-transformers "
        f"{sentence_transformers.__version__}, onnxruntime {onnxruntime.__version__}"
    )

    fp32 = load_encoder()
    from models.encoder import default_model_dir

    fresh = not export_dir_for(default_model_dir(), args.cache_dir).is_dir()
    start = time.perf_counter()
    export = ensure_export(default_model_dir(), args.cache_dir)
    exported = time.perf_counter() - start
    int8 = load_onnx_encoder(cache_dir=args.cache_dir)
    say(
        f"int8 export {'made' if fresh else 'reused'} in {exported:.1f} s: {export.name}, "
        f"{(export / 'model.onnx').stat().st_size / 1e6:.1f} MB; {int8.threads} workers\n"
    )

    texts = make_profiles(REPO / "data" / "demo" / "candidates.json", args.profiles)
    throughput(texts, fp32, int8, args.repeats)
    title_mrr(fp32, int8, args.titles)
    if args.ablation:
        ablation(texts[: args.ablation], fp32, export)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
