"""Sentence-level skill extraction as a ranking (issue #14): ESCO skills ranked for a job-ad
sentence, intake's drafts beside BM25 and the plain embedding.

`../shared/eval/skill_extraction/{tech,house}_validation_annotations.csv` label skill spans of
job-ad sentences with ESCO skills. Here a query is a whole sentence (no span given), its
relevant items every ESCO label of its spans (`LABEL NOT PRESENT` / `UNDERSPECIFIED` left out;
sentences without a real label skipped), the corpus the 13,896 ESCO skill labels:

* bm25 — bm25s over the labels, English stop words (`matching.retrieval.bm25.Bm25`, plain);
* embedding — cosine of the sentence to each label under the bundled encoder;
* intake — what the service makes of the sentence: `draft_posting` (as running text, and as a
  bullet under "Requirements", where such sentences sit in a job ad) finds skills and maps them
  with the ranking's ESCO mapper; their concepts come first, most confident first, then every
  other label in the embedding's order. So intake's figure is the embedding's plus what the
  drafts' concepts add (or cost) at the top.

MRR, RP@5 and recall@10 (`matching.evaluation.metrics.mean_metrics`), on the dev / held-out
halves `bench/intake_skills.py` uses (by a hash of the sentence) and on all.

    PYTHONPATH=. .venv/bin/python bench/intake_sentences.py > bench/results/intake_sentences.txt
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from intake_skills import NO_LABEL, load_sentences, split_of

from matching.esco.concept_signal import skill_mapper
from matching.evaluation.data import load_skill_labels
from matching.evaluation.metrics import mean_metrics
from matching.intake.drafts import draft_posting
from matching.retrieval.bm25 import Bm25
from matching.retrieval.embedding_cache import cached_encode
from matching.retrieval.score_matrices import cosine_scores
from matching.retrieval.topk import best_first_rows
from matching.skills.vocabulary import SkillVocabulary
from models.encoder import load_encoder

LABELS = ROOT.parent / "shared" / "data" / "esco" / "skills_en_label.txt"
DEPTH = 100


def intake_order(found: list[str], embedding_row: list[str]) -> list[str]:
    """The draft's concepts first (as found, best first), then the embedding's order."""
    head = list(dict.fromkeys(found))
    seen = set(head)
    return head + [label for label in embedding_row if label not in seen]


def main() -> None:
    cache = (ROOT / "var" / "cache").resolve()
    encoder = load_encoder()
    mapper = skill_mapper(encoder, cache)
    vocab = SkillVocabulary.from_csv(ROOT / "data" / "skill_aliases.csv")
    labels = load_skill_labels(LABELS)
    known = set(labels)
    label_vectors = cached_encode(encoder, labels, cache_dir=cache)
    bm25 = Bm25(labels)
    print("$ PYTHONPATH=. .venv/bin/python bench/intake_sentences.py > bench/results/intake_sentences.txt")
    print(f"machine: {platform.system()} {platform.release()} {platform.machine()}, "
          f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}; model {encoder.name}; corpus {len(labels):,} "
          "ESCO skill labels\n")
    print(f"{'set':6} {'split':9} {'sentences':>9}  {'method':16} {'MRR':>6} {'RP@5':>6} {'R@10':>6}  "
          "drafts' concepts in the corpus / of them relevant")
    for name in ("tech", "house"):
        data = load_sentences(name)
        sentences = [s for s, spans in data.items() if any(label not in NO_LABEL for _, label in spans)]
        qrels = {s: {label for _, label in data[s] if label not in NO_LABEL} for s in sentences}
        vectors = cached_encode(encoder, sentences, cache_dir=cache)
        rankings = {
            "bm25": best_first_rows(bm25.scores(sentences), DEPTH),
            "embedding": best_first_rows(cosine_scores(vectors, label_vectors), DEPTH),
        }
        ordered = {m: {s: [labels[j] for j in row] for s, row in zip(sentences, rows, strict=True)}
                   for m, rows in rankings.items()}
        counts = {}
        for context in ("text", "bullet"):
            method, found_total, right = f"intake ({context})", 0, 0
            ordered[method] = {}
            for sentence in sentences:
                text = sentence if context == "text" else f"Requirements\n- {sentence}"
                draft = draft_posting(text, vocab, mapper)
                found = [f.concept.label for f in sorted(draft.skills, key=lambda f: -(f.concept.confidence if f.concept else 0))
                         if f.concept and f.concept.label in known]
                found_total += len(set(found))
                right += len(set(found) & qrels[sentence])
                ordered[method][sentence] = intake_order(found, ordered["embedding"][sentence])[:DEPTH]
            counts[method] = (found_total, right)
        for split in ("dev", "held-out", "all"):
            chosen = [s for s in sentences if split == "all" or split_of(s) == split]
            for method, ranking in ordered.items():
                m = mean_metrics({s: ranking[s] for s in chosen}, {s: qrels[s] for s in chosen}, ks=(5, 10))
                extra = ""
                if method in counts and split == "all":
                    extra = f"  {counts[method][0]} / {counts[method][1]}"
                print(f"{name:6} {split:9} {len(chosen):9d}  {method:16} {m['mrr']:6.3f} {m['rp@5']:6.3f} "
                      f"{m['recall@10']:6.3f}{extra}", flush=True)
    print("\nintake = the drafts' ESCO concepts (the ranking's mapper, the digital collection) first, then the "
          "embedding's order; sentences from bench/intake_skills.py's split (dev: tune on it).")


if __name__ == "__main__":
    main()
