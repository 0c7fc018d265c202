"""Skills in a CV or job ad, each with the span it came from and the ESCO concept it maps to.

Two sources, both the engine's own:

* listed — the items under a skills heading ("Skills", "Requisitos", "Se
  valora"): one per bullet or comma, the label of "Critical Thinking: applied
  to…", the head of "Strong problem-solving skills for mitigating issues"
  (qualifiers and the clause after "for", "while", "para"… dropped). Listed
  items are skills whether or not ESCO knows them (soft skills are not in the
  digital collection); each is mapped with `ConceptMapper.map_many`, the call
  ranking maps profile skills with, so intake and ranking share one mapper.
* named — in any line, the skill names of `SkillVocabulary` (its aliases:
  `postgres` → PostgreSQL) and the ESCO labels the mapper's exact layer knows
  (`ExactLabels`, with its case and family-word rules), found by word runs so
  each keeps its character span.

A listed item and a named skill that mean the same concept (or fold to the
same name) are one finding; the listed one's name wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from matching.esco.exact_labels import WORD
from matching.esco.mapper import MIN_CONFIDENCE, ConceptHit, ConceptMapper
from matching.intake.document import Line, fold_words
from matching.intake.listed import listed_items, negated
from matching.skills.vocabulary import SkillVocabulary, fold

SKILL_SECTIONS = ("skills", "required", "nice")
_NICE_MARK = re.compile(
    r"nice to have|is a plus|a plus\b|\bbonus\b|\bpreferred\b|desirable|valorable|se valora|deseable|"
    r"un plus|atout|буде плюсом|перевагою|prednost|poželjno|ميزة إضافية|يفضل",
    re.IGNORECASE,
)
MAX_LISTED = 400
MAX_RUN = 5
# How sure a named mention is, by the kind of label it matched (exact_labels.SOURCE_RANK order).
_NAMED_CONFIDENCE = (0.85, 0.8, 0.8, 0.65)
_LISTED, _LISTED_UNMAPPED, _VOCAB_NAMED = 0.9, 0.75, 0.85


@dataclass(frozen=True)
class SkillFinding:
    """A skill as a profile or posting would list it, where it was read and what it maps to."""

    name: str
    start: int
    end: int
    line: int
    section: str | None
    confidence: float
    how: str  # "listed" (item under a skills heading) or "named" (label found in running text)
    concept: ConceptHit | None = None
    nice: bool = False  # under a nice-to-have heading, or marked "is a plus" in its line


def _named(line: Line, vocab: SkillVocabulary, mapper: ConceptMapper) -> list[tuple[int, int, str, int | None, float]]:
    """(start, end, name, concept index or None, confidence) of skills named in a line, longest first."""
    words = [(m.start(), m.end()) for m in WORD.finditer(line.text)]
    taken: list[tuple[int, int]] = []
    out = []
    exact = mapper.exact
    for n in range(min(MAX_RUN, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if any(s <= i and i + n <= e for s, e in taken):
                continue
            a, b = words[i][0], words[i + n - 1][1]
            surface = line.text[a:b]
            key = fold(surface)
            hits = exact.spans(surface) if n == 1 else exact.whole(surface)
            if n > 1 and any(fold_words(w) in exact.whole_only for w in surface.split()):
                hits = {}
            canonical = vocab.canonical.get(key)
            if canonical and n == 1 and (key in exact.case_sensitive or len(key) <= 2) and surface != canonical:
                canonical = None  # "rest", "go", "express" as everyday words
            if not hits and not canonical:
                continue
            taken.append((i, i + n))
            concept, confidence = None, _VOCAB_NAMED if canonical else 0.0
            if hits:
                concept, (weight, rank) = min(hits.items(), key=lambda h: (-h[1][0], h[1][1], h[0]))
                confidence = max(confidence, _NAMED_CONFIDENCE[min(rank, 3)] * weight)
            out.append((line.start + a, line.start + b, canonical or surface, concept, confidence))
    return sorted(out)


def find_skills(lines: list[Line], vocab: SkillVocabulary, mapper: ConceptMapper, *,
                skip_named: tuple[str, ...] = ("education",)) -> list[SkillFinding]:
    """Every skill of a document, once each, in reading order.

    Names in `skip_named` sections are not read as skills: a degree ("BSc Computer Science")
    names a field of study, not something the person lists as a skill; nor are names a negation
    takes out ("all routing protocols except IGMP").

    Example:
        >>> [s.name for s in find_skills(split_lines("Skills: Python, postgres"), vocab, mapper)]
        ['Python', 'PostgreSQL']
    """
    found: list[SkillFinding] = []
    listed: list[tuple[Line, int, int, str]] = []

    def known(text: str) -> bool:
        return fold(text) in vocab.canonical or bool(mapper.exact.whole(text))

    for line in lines:
        if not line.heading and line.section in SKILL_SECTIONS:
            listed.extend((line, a, b, head) for a, b, head in listed_items(line, known))
    # a list past MAX_LISTED is not a CV's (and would cost one encoder call per item): the rest is left out
    listed = [piece for item in listed[:MAX_LISTED] for piece in _narrowed(item, vocab, mapper)][:MAX_LISTED]
    mapped = mapper.map_many([vocab.normalise(h) for *_, h in listed], k=1, min_confidence=MIN_CONFIDENCE)
    for (line, a, b, head), hits in zip(listed, mapped, strict=True):
        found.append(SkillFinding(vocab.normalise(head), a, b, line.number, line.section,
                                  _LISTED if hits else _LISTED_UNMAPPED, "listed", hits[0] if hits else None,
                                  nice=_is_nice(line, a, b)))
    concepts = mapper.vocabulary.concepts
    for line in lines:
        if line.heading or line.section in skip_named:
            continue
        off = [(line.start + a, line.start + b) for a, b in negated(line.text)]  # "except IGMP"
        for a, b, name, index, confidence in _named(line, vocab, mapper):
            if any(s <= a and b <= e for s, e in off):
                continue
            hit = None
            if index is not None:
                hit = ConceptHit(concepts[index].uri, concepts[index].label, round(confidence, 4))
            found.append(SkillFinding(name, a, b, line.number, line.section, round(confidence, 2), "named", hit,
                                      nice=_is_nice(line, a, b)))
    return merge(found, key=vocab.key)


def _narrowed(item: tuple[Line, int, int, str], vocab: SkillVocabulary,
              mapper: ConceptMapper) -> list[tuple[Line, int, int, str]]:
    """A long listed item that names known skills is those skills: "Perl and Ruby scriptwriting
    languages" → Perl, Ruby; a short one, or one the names make up most of, stays as written
    ("Azure DevOps" is one product, though "Azure" and "DevOps" are each a name)."""
    line, a, b, head = item
    if len(head.split()) < 3:
        return [item]
    inner = Line(line.number, a, b, head, line.section)
    named = _named(inner, vocab, mapper)
    covered = sum(len(line_text.split()) for line_text in (head[s - a : e - a] for s, e, *_ in named))
    if not named or covered * 3 >= len(head.split()) * 2:
        return [item]
    return [(line, s, e, head[s - a : e - a]) for s, e, *_ in named]


def _is_nice(line: Line, start: int, end: int) -> bool:
    """Under a nice-to-have heading, or "a plus" in the clause the skill is in (offsets into the text):
    "You know SQL; Tableau is a plus" asks for SQL and would like Tableau."""
    if line.section == "nice":
        return True
    a, b = start - line.start, end - line.start
    cuts = [m.end() for m in re.finditer(r"[.;!?](?:\s|$)|\s[-–—]\s", line.text[:a])]
    after = re.search(r"[.;!?](?:\s|$)|\s[-–—]\s", line.text[b:])
    clause = line.text[(cuts[-1] if cuts else 0) : b + (after.start() if after else len(line.text) - b)]
    return bool(_NICE_MARK.search(clause))


def merge(findings: list[SkillFinding], *, key: Callable[[str], str] = fold) -> list[SkillFinding]:
    """One finding per skill: listed before named, then surest; seen again adds a little confidence.
    A skill is its `key` (the ranking's: "Troubleshooting" listed and "troubleshoot" in prose are one).

    A named span overlapping a listed item (`Django` in "Django REST framework")
    is that item. Findings are one per name, not per concept: `Django` and `Python`
    may map to one ESCO concept and are still two skills.
    """
    order = sorted(findings, key=lambda f: (f.how != "listed", -f.confidence, f.start))
    kept: list[SkillFinding] = []
    by_key: dict[str, int] = {}
    for finding in order:
        keys = [f"name:{key(finding.name)}"]
        inside = finding.how == "named" and any(
            k.how == "listed" and k.start < finding.end and finding.start < k.end for k in kept)
        seen = next((by_key[k] for k in keys if k in by_key), None)
        if seen is not None or inside:
            if seen is not None:
                held = kept[seen]
                kept[seen] = replace(held, confidence=round(min(1.0, held.confidence + 0.03), 2),
                                     concept=held.concept or finding.concept, nice=held.nice and finding.nice)
                for k in keys:
                    by_key.setdefault(k, seen)
            continue
        by_key.update({k: len(kept) for k in keys})
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
