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

    PYTHONPATH=. python bench/intake_skills.py [--limit N] [--offset K] > bench/results/intake_skills.txt

Sentence level (`--sentences`, ../shared/eval/skill_extraction/{tech,house}_validation_annotations.csv):
each job-ad sentence goes through the same draft (`draft_posting`, so `find_skills` and the
ranking's ESCO mapper) and its findings are compared with the sentence's annotated spans:

* strict — the ESCO concept the mapper gives a finding is the span's gold ESCO label (spans
  labelled `LABEL NOT PRESENT` / `UNDERSPECIFIED` are left out; a finding without a concept
  counts as extracted and wrong);
* lenient — the finding's words overlap an annotated span's (any label) with Dice ≥ 0.5 after the
  folding above, or its concept is the span's label: the right mention found, whatever it maps to.

Each sentence is read twice: as running text (`text`: a line of a description, so only the
named skills are found) and as a bullet under a "Requirements" heading (`bullet`: where such
sentences sit in a job ad, so its items are listed skills too). The sentences are split in two
by a hash of their text: `dev` (tune on it) and `held-out` (report only); both are printed.

    PYTHONPATH=. python bench/intake_skills.py --sentences >> bench/results/intake_skills.txt
"""

from __future__ import annotations

import argparse
import csv
import hashlib
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
SENTENCES = ROOT.parent / "shared" / "eval" / "skill_extraction"
NO_LABEL = frozenset(["LABEL NOT PRESENT", "UNDERSPECIFIED"])
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


def split_of(sentence: str) -> str:
    return "dev" if hashlib.sha256(sentence.encode()).digest()[0] % 2 == 0 else "held-out"


def load_sentences(name: str) -> dict[str, list[tuple[str, str]]]:
    """sentence → its annotated (span, label), one each."""
    out: dict[str, list[tuple[str, str]]] = {}
    with (SENTENCES / f"{name}_validation_annotations.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spans = out.setdefault(row["sentence"], [])
            if (row["span"], row["label"]) not in spans:
                spans.append((row["span"], row["label"]))
    return out


def sentence_counts(findings: list[tuple[str, str | None]], spans: list[tuple[str, str]]) -> tuple[int, ...]:
    """(extracted, gold labels, strict hits, spans, lenient hits) of one sentence; findings are
    (text as found, concept label or None)."""
    labels = list(dict.fromkeys(label for _, label in spans if label not in NO_LABEL))
    concepts = [c for _, c in findings]
    strict = len({c for c in concepts if c} & set(labels))
    pairs = []
    for i, (text, concept) in enumerate(findings):
        for j, (span, label) in enumerate(spans):
            score = 1.0 if concept and concept == label else dice(words(text), words(span))
            pairs.append((score, i, j))
    used_f, used_s, lenient = set(), set(), 0
    for score, i, j in sorted(pairs, reverse=True):
        if score >= 0.5 and i not in used_f and j not in used_s:
            used_f.add(i)
            used_s.add(j)
            lenient += 1
    return len(findings), len(labels), strict, len(spans), lenient


def sentences_main(vocab: SkillVocabulary, mapper, model: str) -> None:  # type: ignore[no-untyped-def]
    print("$ PYTHONPATH=. python bench/intake_skills.py --sentences >> bench/results/intake_skills.txt")
    print(f"sentence level, skill_extraction validation sets, through draft_posting; model {model}")
    print()
    print(f"{'set':6} {'as':6} {'split':9} {'sentences':>9} {'extracted':>9} {'labels':>6} {'strict P':>9} "
          f"{'strict R':>9} {'spans':>6} {'lenient P':>10} {'lenient R':>10}")
    for name, context in ((n, c) for n in ("tech", "house") for c in ("text", "bullet")):
        data = load_sentences(name)
        for split in ("dev", "held-out", "all"):
            totals = [0, 0, 0, 0, 0]
            chosen = [s for s in data if split == "all" or split_of(s) == split]
            for sentence in chosen:
                text = sentence if context == "text" else f"Requirements\n- {sentence}"
                draft = draft_posting(text, vocab, mapper)
                findings = [(draft.text[f.start:f.end] or f.name, f.concept.label if f.concept else None)
                            for f in draft.skills]
                totals = [a + b for a, b in zip(totals, sentence_counts(findings, data[sentence]))]
            extracted, labels, strict, spans, lenient = totals
            print(f"{name:6} {context:6} {split:9} {len(chosen):9d} {extracted:9d} {labels:6d} {strict / max(extracted, 1):9.3f} "
                  f"{strict / max(labels, 1):9.3f} {spans:6d} {lenient / max(extracted, 1):10.3f} "
                  f"{lenient / max(spans, 1):10.3f}", flush=True)
    print()
    print("strict: concept = gold ESCO label (labelled spans); lenient: the mention found (Dice >= 0.5 with "
          "any annotated span, or its label). Micro over sentences.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--offset", type=int, default=0, help="skip the first rows (250: the rows not tuned on)")
    parser.add_argument("--sentences", action="store_true", help="the sentence-level sets instead of rjdb")
    args = parser.parse_args()
    if args.sentences:
        encoder = load_encoder()
        sentences_main(SkillVocabulary.from_csv(ROOT / "data" / "skill_aliases.csv"),
                       skill_mapper(encoder, (ROOT / "var" / "cache").resolve()), encoder.name)
        return
    rows = [json.loads(line) for line in DATA.read_text().splitlines()[args.offset : args.offset + args.limit]]
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
    offset = f" --offset {args.offset}" if args.offset else ""
    print(f"$ PYTHONPATH=. python bench/intake_skills.py --limit {args.limit}{offset} > bench/results/intake_skills.txt")
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
