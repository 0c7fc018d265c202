"""The price of the fairness-aware re-rank (DetGreedy towards each list's own group mix) on the demo data;
writes bench/results/rerank_price.txt.

Run from the repository root:

    .venv/bin/python bench/rerank_price.py

For every demo posting: its ranked graduates as the exposure audit takes them
(`Matcher.matches_for_posting`, no floor, up to 200), grouped by one sensitive field
with groups under 5 merged (`merge_small_groups`), re-ranked by our `det_greedy`
towards the list's own mix, exactly as `GET /audit/exposure?rerank=true` does. Measured
per k: nDCG@k with the blended scores as gains (1 = unchanged top k), the share of the
top k's total score kept, NDKL before and after. The same lists are re-ranked by the
`reranking` package (0.3.6, its `rerank(..., algorithm="det_greedy")`) to check the
order is the same. Demo data only (a few dozen graduates): a small sample.
"""

from __future__ import annotations

import platform
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.ranking.exposure import det_greedy, merge_small_groups, ndcg_at_k, ndkl, shares
from matching.records.sides import Side
from service.audit import group_labels
from service.composition import build_matcher
from service.demo import load_demo
from service.settings import Settings
from service.usecases.first_start import init

FIELDS = ("origin", "status", "nationality")
KS = (5, 10)


def main() -> None:
    import pandas as pd
    import reranking

    out = ["$ .venv/bin/python bench/rerank_price.py",
           f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, reranking 0.3.6",
           "demo data (data/demo), every posting's ranked graduates (no floor, <= 200); groups under 5 merged",
           "DetGreedy towards each list's own group mix; gains = blended scores", ""]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/b.db", index_dir=Path(folder) / "index",
                            cache_dir=ROOT / "var" / "cache")
        matcher = build_matcher(settings)
        try:
            org, _ = init(matcher)
            load_demo(matcher, settings.data_dir, org)
            postings = sorted(matcher.ids(Side.postings))
            lengths = [len(matcher.matches_for_posting(pid, limit=200, floor=None)) for pid in postings]
            out.append(f"{len(postings)} postings, {len(matcher.ids(Side.candidates))} graduates; ranked list length "
                       f"mean {np.mean(lengths):.1f}, max {max(lengths)} (a list of <= k is only re-ordered)")
            out.append(f"{'field':12} {'k':>3} {'lists':>5} {'changed':>7} {'nDCG@k':>13} {'score kept':>13} "
                       f"{'NDKL before':>11} {'NDKL after':>10} {'= reranking':>11}")
            for field in FIELDS:
                ranked = {pid: matcher.matches_for_posting(pid, limit=200, floor=None) for pid in postings}
                people = sorted({m.id for ms in ranked.values() for m in ms})
                merged, _ = merge_small_groups(group_labels(matcher, people, field))  # type: ignore[arg-type]
                for k in KS:
                    ndcgs, kept, before, after, changed, agree, lists = [], [], [], [], 0, 0, 0
                    for matches in ranked.values():
                        items = [(m.id, m.score, merged[m.id]) for m in matches if m.id in merged]
                        if len(items) < 2:
                            continue
                        lists += 1
                        groups = [g for _, _, g in items]
                        desired = shares(groups)
                        order = det_greedy(items, desired)
                        score = {key: s for key, s, _ in items}
                        group = {key: g for key, _, g in items}
                        ndcgs.append(ndcg_at_k([score[key] for key in order], k))
                        kept.append(sum(score[key] for key in order[:k]) / sum(s for _, s, _ in items[:k]))
                        before.append(ndkl(groups, desired))
                        after.append(ndkl([group[key] for key in order], desired))
                        changed += order[:k] != [key for key, _, _ in items[:k]]
                        lib = reranking.rerank(pd.Series(groups), desired, k_max=len(items))
                        agree += [items[i][0] for i in lib] == order
                    out.append(f"{field:12} {k:>3} {lists:>5} {changed:>7} "
                               f"{np.mean(ndcgs):.4f}±{np.std(ndcgs):.3f} {np.mean(kept):.4f}±{np.std(kept):.3f} "
                               f"{np.mean(before):>11.4f} {np.mean(after):>10.4f} {agree:>5}/{lists}")
        finally:
            matcher.close()
    out += ["", "nDCG@k: the re-ranked top k's discounted score over the original's (mean ± sd over lists);",
            "score kept: total blended score of the re-ranked top k over the original top k's;",
            "changed: lists whose top k the re-rank changed; '= reranking': lists where the package's",
            "DetGreedy gives the same full order (it needs a pandas Series: a plain list, its documented",
            "input, raises TypeError in pd.factorize under pandas 3)."]
    text = "\n".join(out) + "\n"
    (ROOT / "bench" / "results" / "rerank_price.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
