"""Would matching skills by meaning lift rjdb (issue #13)? A measurement, not a shipped signal.

README and `bench/results/rjdb_signals.txt` name "skills matched by meaning" as a lever: the
two GPT-written documents of a pair paraphrase each skill ("Basic math skills" / "Mathematical
abilities"), so the service's skill signal (`matching.skills.vocabulary.skill_overlap`, same
canonical or stemmed key) ties on ~30 % of pairs. Here every record is made through the intake
drafts, as `bridgematch evaluate pairs --intake` makes it, and the four signals come from the
service's own `Matcher.pair_scores` (as in rjdb_signals.py). Then the skill signal is replaced
by a soft one: a posting skill the graduate does not hold by key earns credit when the
encoder's cosine to the graduate's closest skill is at least `tau` — `cos` (the cosine),
`lin` ((cos - tau) / (1 - tau)) or `one` (full credit) — with the same required 2 / nice 1
weights. Printed: the soft signal alone, the blend at the service's weights, and the 0.05-grid
ceiling (fitted here; not weights to adopt).

    PYTHONPATH=. .venv/bin/python bench/rjdb_soft_skills.py > bench/results/rjdb_soft_skills.txt
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rjdb_signals import DATA, OTHERS, accuracy, grid_best, signal_stack

from matching.records.sides import Owner, Side
from service import pairs_eval
from service.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    settings = Settings()
    triples = pairs_eval.load_pairs(DATA, args.limit)
    print("$ PYTHONPATH=. .venv/bin/python bench/rjdb_soft_skills.py > bench/results/rjdb_soft_skills.txt")
    print(f"machine: {platform.system()} {platform.release()} {platform.machine()}, "
          f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}; rjdb dev, {len(triples)} jobs, records through "
          "the intake drafts, model all-MiniLM-L6-v2\n")
    with pairs_eval.scratch(settings.data_dir, model="all-MiniLM-L6-v2", cache_dir=settings.cache_dir) as (
        matcher, org, company,
    ):
        drafts = pairs_eval.Drafts(matcher, settings.cache_dir)
        posts = [drafts.posting(job) for job, _, _ in triples]
        people = [drafts.candidate(text, f"r{i}{side}") for i, (_, good, bad) in enumerate(triples)
                  for side, text in (("m", good), ("u", bad))]
        pids = matcher.create(Side.postings, posts, [Owner(org, company)] * len(posts))
        cids = matcher.create(Side.candidates, people, [Owner(org)] * len(people))
        stack = signal_stack(matcher, pids, cids)
        vocab = matcher.vocab
        strings = sorted({s for p in posts for s in p.required_skills + p.nice_skills}
                         | {s for c in people for s in c.skills})
        vectors = matcher.encoder.encode(strings)
        row = {s: i for i, s in enumerate(strings)}

        def soft(person, post, tau: float, mode: str) -> float:  # type: ignore[no-untyped-def]
            held = vocab.held(person.skills)
            mine = vectors[[row[s] for s in person.skills]]
            total = got = 0.0
            for skill, weight in [(s, 2.0) for s in post.required_skills] + [(s, 1.0) for s in post.nice_skills]:
                total += weight
                if vocab.key(skill) in held:
                    got += weight
                    continue
                cos = float((mine @ vectors[row[skill]]).max()) if len(mine) else 0.0
                if cos >= tau:
                    got += weight * {"cos": cos, "lin": (cos - tau) / (1 - tau), "one": 1.0}[mode]
            return got / total if total else 0.0

        service = np.array(OTHERS[0])
        print(f"service's skill signal: alone {accuracy(stack[1]):.3f}, ties "
              f"{np.mean(np.isclose(stack[1][:, 0], stack[1][:, 1])):.3f}; blend at the service's weights "
              f"{OTHERS[0]}: {accuracy(np.tensordot(service, stack, 1)):.3f}")
        for tau in (0.5, 0.6, 0.7, 0.8):
            for mode in ("cos", "lin", "one"):
                values = np.array([[soft(people[2 * i + k], post, tau, mode) for k in (0, 1)]
                                   for i, post in enumerate(posts)])
                swapped = stack.copy()
                swapped[1] = values
                best, at = grid_best(swapped)
                print(f"tau {tau} {mode:3}: soft skills alone {accuracy(values):.3f} ties "
                      f"{np.mean(np.isclose(values[:, 0], values[:, 1])):.3f}  blend at the service's weights "
                      f"{accuracy(np.tensordot(service, swapped, 1)):.3f}  grid ceiling {best:.3f} at {at}", flush=True)


if __name__ == "__main__":
    main()
