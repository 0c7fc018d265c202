"""Skill extraction from whole documents (issue #14): intake's drafts against a plain ESCO-label match.

On rjdb dev (../shared/eval/rjdb, 500 jobs), `Skills` is the list both the job text and the
matched résumé were written from. For each document, the skills a method extracts are
compared with that list, one to one:

* strict — same words after folding (case, accents, punctuation), stop words and the generic
  words "skill(s)", "ability", "knowledge", "proficiency" and the qualifiers intake also drops
  ("strong", "excellent"…) left out, plurals singular: "Problem-Solving Skills" = "problem solving";
* lenient — the word sets overlap with Dice ≥ 0.5: "Physical Stamina and Strength" ~ "physical
  stamina" (the gold list often pairs two skills in one string).

Micro precision and recall over all documents. The baselines find every label of an ESCO
vocabulary written in the text (whole words, folded): the digital collection intake's mapper
uses (1,284 skills, with alternative labels and bridgematch's aliases), and all ESCO skills
(~14,000, preferred labels).

    PYTHONPATH=. python bench/intake_skills.py [--limit N] > bench/results/intake_skills.txt
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.esco.concept_signal import skill_mapper
from matching.esco.vocabulary import load_skill_vocabulary
from matching.intake.document import fold_words
from matching.intake.drafts import draft_candidate, draft_posting
from matching.skills.vocabulary import SkillVocabulary
from models.encoder import load_encoder

DATA = ROOT.parent / "shared" / "eval" / "rjdb" / "dev.jsonl"
STOP = frozenset(["a", "an", "and", "or", "of", "to", "the", "in", "on", "for", "with", "at", "as", "be", "by"])
GENERIC = frozenset(["skill", "skills", "ability", "abilities", "knowledge", "proficiency", "strong", "excellent", "good", "solid", "outstanding", "exceptional", "keen", "effective", "efficient"])


def words(text: str) -> frozenset[str]:
    out = set()
    for w in re.findall(r"[^\W_]+|[#+]+", fold_words(text).replace("-", " ")):
        if w in STOP or w in GENERIC:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return frozenset(out)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def match(extracted: list[str], gold: list[str], lenient: bool) -> int:
    """Pairs matched one to one, best first."""
    ex = [words(e) for e in dict.fromkeys(extracted)]
    go = [words(g) for g in dict.fromkeys(gold)]
    pairs = sorted(((dice(e, g), i, j) for i, e in enumerate(ex) for j, g in enumerate(go)), reverse=True)
    used_e, used_g, hits = set(), set(), 0
    for score, i, j in pairs:
        if i in used_e or j in used_g:
            continue
        if (lenient and score >= 0.5) or (not lenient and ex[i] == go[j] and ex[i]):
            used_e.add(i)
            used_g.add(j)
            hits += 1
    return hits


class LabelMatch:
    """Every label of a vocabulary written in the text as whole words (folded): the plain baseline."""

    def __init__(self, labels: list[str]) -> None:
        self.labels: dict[tuple[str, ...], str] = {}
        for label in labels:
            key = tuple(re.findall(r"[^\W_]+|[#+]+", fold_words(label)))
            if key and len(key) <= 6:
                self.labels.setdefault(key, label)

    def __call__(self, text: str) -> list[str]:
        tokens = re.findall(r"[^\W_]+|[#+]+", fold_words(text))
        found = []
        for n in range(6, 0, -1):
            for i in range(len(tokens) - n + 1):
                label = self.labels.get(tuple(tokens[i : i + n]))
                if label:
                    found.append(label)
        return list(dict.fromkeys(found))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text().splitlines()[: args.limit]]
    encoder = load_encoder()
    mapper = skill_mapper(encoder, (ROOT / "var" / "cache").resolve())
    vocab = SkillVocabulary.from_csv(ROOT / "data" / "skill_aliases.csv")
    digital = mapper.vocabulary
    everything = load_skill_vocabulary(collection="all", aliases=False)
    methods = {
        "intake (drafts)": None,
        "ESCO labels, digital (baseline)": LabelMatch(digital.labels),
        "ESCO labels, all skills (baseline)": LabelMatch(everything.labels),
    }
    print(f"$ PYTHONPATH=. python bench/intake_skills.py --limit {args.limit} > bench/results/intake_skills.txt")
    print(f"rjdb dev: {len(rows)} jobs, gold skills per job {sum(len(r['Skills']) for r in rows) / len(rows):.1f}; "
          f"model {encoder.name}")
    print()
    print(f"{'method':38} {'document':8} {'extracted':>9} {'strict P':>9} {'strict R':>9} "
          f"{'lenient P':>10} {'lenient R':>10} {'s/doc':>7}")
    for name, method in methods.items():
        counts = {side: [0, 0, 0, 0, 0.0, 0] for side in ("job", "resume")}  # extracted, gold, strict, lenient, s, docs
        for row in rows:
            for side, text in (("job", row["Job-Description"]), ("resume", row["Resume-matched"])):
                start = time.perf_counter()
                if method is None:
                    draft = (draft_posting if side == "job" else draft_candidate)(text, vocab, mapper)
                    found = [s.name for s in draft.skills]
                else:
                    found = method(text)
                found = list(dict.fromkeys(found))
                c = counts[side]
                c[4] += time.perf_counter() - start
                c[0] += len(found)
                c[1] += len(set(row["Skills"]))
                c[2] += match(found, row["Skills"], lenient=False)
                c[3] += match(found, row["Skills"], lenient=True)
                c[5] += 1
        counts["both"] = [a + b for a, b in zip(counts["job"], counts["resume"])]
        for side, (extracted, gold, strict, lenient, seconds, docs) in counts.items():
            print(f"{name:38} {side:8} {extracted:9d} {strict / max(extracted, 1):9.3f} {strict / gold:9.3f} "
                  f"{lenient / max(extracted, 1):10.3f} {lenient / gold:10.3f} {seconds / docs:7.3f}", flush=True)
    print()
    print("P = matched extracted skills / extracted, R = matched gold skills / gold (micro, one-to-one).")


if __name__ == "__main__":
    main()
