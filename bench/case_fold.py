"""Does case change what a cased encoder finds? USE multilingual, embedding only, three sets.

Variants: texts as written; both sides lower-cased (what `models.encoder.fold_case` now does);
only ALL-CAPS words folded; and each with the queries typed in capitals.
Encodes raw texts (the model's backend, before the fold), so it can compare them:

    .venv/bin/python bench/case_fold.py > bench/results/case_fold.txt
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from matching.evaluation.data import load_trec_dir
from matching.evaluation.metrics import mean_metrics
from models.encoder import load_encoder

enc = load_encoder("use-multilingual")
raw = enc._model  # the backend itself: fold_case must not run here


def encode(texts):
    v = np.asarray(raw.encode([t if t.strip() else " " for t in texts]), dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def shout_fold(t):
    return " ".join(w.lower() if (w.isupper() and len(w) > 1) else w for w in t.split(" "))
for name in ["title_similarity/es", "title_similarity/en", "melo/fra_q_fr_c_en"]:
    task = load_trec_dir(Path(__file__).resolve().parents[2] / "shared" / "eval" / name)
    qids = task.judged(); doc_ids = list(task.corpus)
    qs = [task.queries[q] for q in qids]; ds = [task.corpus[d] for d in doc_ids]
    qrels = {q: task.qrels[q] for q in qids}
    for variant, qf, df in [("none", str, str), ("lower", str.lower, str.lower), ("shoutfold", shout_fold, shout_fold),
                            ("CAPSq-none", str.upper, str), ("CAPSq-lower", lambda t: t.upper().lower(), str.lower),
                            ("CAPSq-shoutfold", lambda t: shout_fold(t.upper()), shout_fold)]:
        Q = encode([qf(q) for q in qs]); D = encode([df(d) for d in ds])
        s = Q @ D.T
        order = np.argsort(-s, axis=1)[:, :100]
        rk = {q: [doc_ids[j] for j in row] for q, row in zip(qids, order)}
        m = mean_metrics(rk, qrels, ks=(10,))
        print(name, variant, {k: round(v, 3) for k, v in m.items()}, flush=True)
