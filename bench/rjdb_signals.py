"""Why the blend's rjdb pairwise accuracy stays near 0.90 (issue #13 asks 0.97): each signal alone.

On `../shared/eval/rjdb/dev.jsonl` every job and both résumés are stored in a scratch catalogue
exactly as `bridgematch evaluate pairs` stores them (`service.pairs_eval`: plainly, and through the
intake drafts), then scored by the service's own `Matcher.pair_scores` with one signal's weight at
1 and the others at 0 — the blend is linear, so these four matrices give the blended score of any
weights. Printed per record set:

* each signal's accuracy alone and how often it ties (a tie counts half);
* the accuracy of the service's weights (`matching.ranking.blend.Weights`) and of a few others,
  and the best point of a 0.05 grid over all four weights — a ceiling of re-weighting, NOT a
  weight to adopt: it is fitted on this one English, GPT-written set and says nothing of the
  cross-lingual matching the semantic weight is there for;
* the lexical signal in the other direction: the service scores a pair with the graduate's text
  as the BM25 query (`pair_scores`, a graduate's list), a posting's list queries with the posting's
  text; both through the service's `LexicalShelf`.

Beside it, BM25 baselines over the raw texts (job as query, both résumés in one corpus, as in the
README of the set) with bm25s's Snowball English stemmer and length normalisation b, to show what a
stemmed lexical signal would be worth (not what the service runs: it does not stem).

    PYTHONPATH=. .venv/bin/python bench/rjdb_signals.py [--limit 500] > bench/results/rjdb_signals.txt
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.ranking.blend import Weights
from matching.records.sides import Owner, Side, record_text
from service import pairs_eval

DATA = ROOT.parent / "shared" / "eval" / "rjdb" / "dev.jsonl"
NAMES = ("semantic", "skills", "lexical", "concepts")
OTHERS = [(0.45, 0.25, 0.15, 0.15), (0.35, 0.25, 0.25, 0.15), (0.25, 0.25, 0.35, 0.15), (0.15, 0.15, 0.6, 0.1)]


def accuracy(scores: np.ndarray) -> float:
    tie = np.isclose(scores[:, 0], scores[:, 1])
    return float(np.mean(((scores[:, 0] > scores[:, 1]) & ~tie) + 0.5 * tie))


def grid_best(signals: np.ndarray) -> tuple[float, tuple[float, ...]]:
    steps = np.round(np.arange(0, 1.0001, 0.05), 2)
    best = (0.0, (0.0,) * 4)
    for w in itertools.product(steps, repeat=4):
        if abs(sum(w) - 1) < 1e-6:
            best = max(best, (accuracy(np.tensordot(np.array(w), signals, 1)), tuple(float(x) for x in w)))
    return best


def signal_stack(matcher, pids: list[int], cids: list[int]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """(signal, job, matched/unmatched) scores, each signal alone through `Matcher.pair_scores`."""
    signals = []
    for name in NAMES:
        w = Weights(**{n: float(n == name) for n in NAMES})
        signals.append(np.array([matcher.pair_scores(cids[2 * i : 2 * i + 2], [pid], weights=w)[:, 0]
                                 for i, pid in enumerate(pids)]))
    return np.stack(signals)


def one_set(matcher, org: int, company: int, posts, people, label: str) -> None:  # type: ignore[no-untyped-def]
    pids = matcher.create(Side.postings, posts, [Owner(org, company)] * len(posts))
    cids = matcher.create(Side.candidates, people, [Owner(org)] * len(people))
    stack = signal_stack(matcher, pids, cids)
    signals = list(stack)
    print(f"\n## records made {label}: {len(pids)} jobs, {len(cids)} résumés")
    for name, values in zip(NAMES, signals, strict=True):
        ties = float(np.mean(np.isclose(values[:, 0], values[:, 1])))
        print(f"  {name:<9} alone  accuracy {accuracy(values):.3f}   ties {ties:.3f}")
    ranker = matcher.ranker
    posting_query = np.array([
        ranker.sides[Side.candidates].lexical.query(record_text(posts[i]), org).absolute(cids[2 * i : 2 * i + 2])
        for i in range(len(pids))])
    print(f"  lexical, the posting's text as the query instead: accuracy {accuracy(posting_query):.3f}")
    asked = stack.copy()
    asked[NAMES.index("lexical")] = posting_query  # the other three signals score a pair alike both ways
    print(f"  blend {OTHERS[0]} with that lexical (as a company's list of graduates asks): "
          f"{accuracy(np.tensordot(np.array(OTHERS[0]), asked, 1)):.3f}")
    for w in OTHERS:
        tag = "  <- the service's weights" if w == OTHERS[0] else ""
        print(f"  blend {w}: {accuracy(np.tensordot(np.array(w), stack, 1)):.3f}{tag}")
    best, weights = grid_best(stack)
    print(f"  best of the 0.05 grid (a ceiling, fitted here): {best:.3f} at {weights}")


def stemmed_baselines(triples: list[tuple[str, str, str]]) -> None:
    import bm25s
    import Stemmer

    docs = [t for _, good, bad in triples for t in (good, bad)]
    print("\n## BM25 baselines over the raw texts (job as query), bm25s, English stop words")
    for stem in (None, Stemmer.Stemmer("english")):
        for b in (0.75, 0.3):
            retriever = bm25s.BM25(b=b)
            retriever.index(bm25s.tokenize(docs, stopwords="en", stemmer=stem, show_progress=False), show_progress=False)
            queries = bm25s.tokenize([job for job, _, _ in triples], stopwords="en", stemmer=stem,
                                     return_ids=False, show_progress=False)
            scores = np.array([retriever.get_scores(q)[[2 * i, 2 * i + 1]] for i, q in enumerate(queries)])
            print(f"  {'stemmed' if stem else 'plain  '} b={b}: accuracy {accuracy(scores):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    args = parser.parse_args()
    from service.settings import Settings

    settings = Settings()
    triples = pairs_eval.load_pairs(DATA, args.limit)
    print(f"rjdb dev, {len(triples)} jobs; model {args.model}; pair scores through Matcher.pair_scores")
    with pairs_eval.scratch(settings.data_dir, model=args.model, cache_dir=settings.cache_dir) as (matcher, org, company):
        find = pairs_eval.SkillFinder(matcher)
        names = [(f"r{i}{side}", text) for i, (_, good, bad) in enumerate(triples)
                 for side, text in (("m", good), ("u", bad))]
        one_set(matcher, org, company, [pairs_eval.posting_of(job, find) for job, _, _ in triples],
                [pairs_eval.candidate_of(text, find, name) for name, text in names], "plainly")
        drafts = pairs_eval.Drafts(matcher, settings.cache_dir)
        one_set(matcher, org, company, [drafts.posting(job) for job, _, _ in triples],
                [drafts.candidate(text, name + "d") for name, text in names], "through the intake drafts")
    stemmed_baselines(triples)


if __name__ == "__main__":
    main()
