"""Corpus embedding throughput: in-process encoder vs Ray Data with 1 and 2 workers.

Run from the repository root (needs `bridgematch[ray]`); writes bench/results/ray_embed.txt:

    .venv/bin/python bench/bench_ray_embed.py [--rows 1000] [--batch-size 256]

The corpus is graduates in the import format (CSV), made from the demo profiles
with a distinct project line per row so every text is new to the encoder. Each
configuration runs `service.scaleout.embed.embed_corpus` end to end (read, validate,
build texts, encode, write Parquet); Ray's own start-up is timed apart, the
actors' start (one model load each) is part of the job's time. Torch threads per
worker = cores / workers, so every configuration uses the whole machine. Besides wall
time it counts the CPU seconds spent encoding batches (in whichever process), which other
jobs on a shared machine barely distort, and from it the rate the cores would allow idle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.records.profiles import CandidateProfile
from matching.records.sides import Side
from service.bulk import to_frame
from service.scaleout.embed import EncodeBatch  # the real one, before main() swaps in the timed one
from service.settings import REPO_DATA

LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def cpu_share(seconds: float = 1.0) -> float:
    """Share of one core this process gets in a short busy loop: 1.0 on an idle machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    while time.process_time() - cpu < seconds:
        pass
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


class TimedEncodeBatch:
    """`EncodeBatch` that also appends the CPU seconds of each batch to a file (one per process),
    so encoder work can be counted in CPU time, which a busy shared machine barely distorts."""

    log: str = ""

    def __init__(self, **kwargs: object) -> None:
        self.inner = EncodeBatch(**kwargs)  # type: ignore[arg-type]

    def __call__(self, batch):  # type: ignore[no-untyped-def]
        start = time.process_time()
        out = self.inner(batch)
        with open(f"{self.log}/{os.getpid()}.cpu", "a") as handle:
            handle.write(f"{time.process_time() - start}\n")
        return out


def encoder_cpu(folder: Path) -> float:
    total = sum(float(x) for f in folder.glob("*.cpu") for x in f.read_text().split())
    for f in folder.glob("*.cpu"):
        f.unlink()
    return total


def corpus(path: Path, rows: int) -> None:
    """`rows` graduates in the import format, every embedded text distinct."""
    people = [CandidateProfile.model_validate(c) for c in json.loads((REPO_DATA / "demo/candidates.json").read_text())]
    records = []
    for number in range(rows):
        base = people[number % len(people)]
        records.append(base.model_copy(update={
            "external_id": f"bench-{number:07d}",
            "projects": [*base.projects, f"Volunteer tool number {number} for a neighbourhood association"],
        }))
    to_frame(list(enumerate(records, 1)), Side.candidates).drop("id").write_csv(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "ray_embed.txt")
    args = parser.parse_args()

    import ray
    import torch

    from service.scaleout import embed as ray_embed
    from service.scaleout.embed import connect, embed_corpus

    cores = os.cpu_count() or 1
    say(f"$ .venv/bin/python bench/bench_ray_embed.py --rows {args.rows} --batch-size {args.batch_size}")
    say(f"machine: {platform.platform()}; nproc {cores}; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: other jobs ran meanwhile)")
    say(f"ray {ray.__version__}, torch {torch.__version__}; model all-MiniLM-L6-v2 (CPU)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "people.csv"
        corpus(source, args.rows)
        say(f"corpus: {args.rows:,} graduates, {source.stat().st_size / 1e6:.1f} MB of CSV")
        say()
        results: dict[str, float] = {}
        cpu_rates: dict[str, float] = {}
        cpu_log = Path(tmp) / "cpu"
        cpu_log.mkdir()
        TimedEncodeBatch.log = str(cpu_log)
        ray_embed.EncodeBatch = TimedEncodeBatch  # type: ignore[assignment,misc]

        def run(label: str, **kwargs: object) -> None:
            out = Path(tmp) / label.replace(" ", "-")
            share = cpu_share()
            report = embed_corpus(source, out, side=Side.candidates, batch_size=args.batch_size, **kwargs)  # type: ignore[arg-type]
            assert report.rows == args.rows, report
            per_cpu = report.rows / encoder_cpu(cpu_log)
            results[label] = report.rows_per_second
            cpu_rates[label] = per_cpu
            say(f"  {label:<34} {report.seconds:7.1f} s  {report.rows_per_second:6.1f} rows/s wall"
                f"  {per_cpu:6.1f} rows per encoder CPU-second  (core share before: {share:.2f})")

        run(f"in process ({cores} torch threads)")
        start = time.perf_counter()
        connect("local", num_cpus=cores)
        say(f"  (ray.init, local instance: {time.perf_counter() - start:.1f} s, not counted below)")
        run(f"Ray, 1 worker x {cores} threads", ray_address="local", workers=1, threads=cores)
        run(f"Ray, 2 workers x {max(1, cores // 2)} thread(s)", ray_address="local", workers=2,
            threads=max(1, cores // 2))
        ray.shutdown()
    base = next(iter(results.values()))
    say()
    say("wall time relative to in process: "
        + ", ".join(f"{k}: {v / base:.2f}x" for k, v in list(results.items())[1:]))
    say("a busy machine gives several processes more CPU than one, so wall ratios flatter Ray here;")
    say(f"on {cores} idle cores the encoder work alone would allow about: "
        + ", ".join(f"{k}: {v * cores:.0f} rows/s" for k, v in cpu_rates.items()))
    say(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(LINES) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
