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

from matching.cefr.phrases import levels_in_line
from matching.esco.exact_labels import WORD
from matching.esco.mapper import MIN_CONFIDENCE, ConceptHit, ConceptMapper
from matching.intake.document import Line, fold_words, inline_heading
from matching.intake.fields import START_LABELS, parse_date
from matching.intake.trim import trim
from matching.skills.vocabulary import SkillVocabulary, fold

SKILL_SECTIONS = ("skills", "required", "nice")
_SPLIT = re.compile(r"\s*[,;|•·،]\s*|\s+[-–—]\s+")
_LEAD = re.compile(
    r"^(?:(?:excellent|strong|outstanding|exceptional|keen|good|solid|proven|great|high|high-level of|"
    r"effective|efficient|meticulous|substantial|demonstrated|hands-on|deep|sound|"
    r"expertise in|expert in|proficiency in|proficiency with|proficient in|knowledge of|working knowledge of|"
    r"experience in|experience with|experience of|ability to|capacity to|understanding of|familiarity with|"
    r"skilled in|mastered|mastery of|competence in|"
    # a résumé's praise before the skill: "Astute Critical Thinking", "Knowledgeable in Medical Terminology"
    r"astute|adroit|skil+ful|adept at|adept in|adept|seasoned|accomplished in|accomplished|knowledgeable in|"
    r"knowledgeable about|well-versed in|versed in|specialization in|specialisation in|specialized in|"
    r"specialised in|emphasi[sz]es in|professional|comprehensive|thorough|extensive|superior|remarkable|"
    r"admirable|hands on|hands-on|proficient|"
    r"conocimientos? de|conocimientos? en|experiencia en|experiencia con|dominio de|manejo de|"
    r"connaissances? de|connaissance en|ma[iî]trise de|exp[eé]rience en|exp[eé]rience avec|"
    r"знання|досвід роботи з|досвід з|володіння|poznavanje|iskustvo s|iskustvo sa|iskustvo u|"
    r"خبرة في|معرفة ب|معرفة|إتقان)(?:\s+|$))+",
    re.IGNORECASE,
)
# "Admirable experience in utilising Linux", "Capable with the usage of PostgreSQL", "Familiar with MS Visio"
_QUALIFIED = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(?:experience|knowledge|understanding|proficiency|proficiencies|proficient|skilled|skills?|expertise|expert|"
    r"background|familiar|familiarity|competence|competent|capable|versed|mastery|trained|certification|"
    r"certified|user|usage|talent|aptitude|capability|grounding|exposure)\s+(?:in|of|with|at|on)\s+"
    r"(?:the\s+)?(?:(?:usage|use)\s+of\s+)?",
    re.IGNORECASE,
)
_DOING = re.compile(r"^(?:efficiently\s+)?(?:utili[sz]ing|using|employing|implementing|practi[cs]ing|applying|"
                    r"leveraging|dealing with|handling|having|and|or|&|y|e|et|o)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:capabilities|abilities|experience|expertise|proficiency)$", re.IGNORECASE)
_FILLER = frozenset(["etc", "similar", "or", "and", "others", "other", "more", "various", "use", "ability", "e.g", "eg", "i.e", "ie", "proficiency", "proficient", "skill", "skills", "experience", "knowledge"])
_CLAUSE = re.compile(
    r"\s+(?:for|while|when|ensuring|necessary|which|that|by|using|through|during|in order|so that|"
    r"to (?:handle|endure|understand|ensure|support|deliver|manage|work with|keep)|"
    r"para|mientras|cuando|pour|lors|для|za)\s.*$",
    re.IGNORECASE,
)
_NICE_MARK = re.compile(
    r"nice to have|is a plus|a plus\b|\bbonus\b|\bpreferred\b|desirable|valorable|se valora|deseable|"
    r"un plus|atout|буде плюсом|перевагою|prednost|poželjno|ميزة إضافية|يفضل",
    re.IGNORECASE,
)
# A line holding a date, an address or a link is a field ("Fecha de incorporación: 10/01/2027"), not skills.
_FIELD_LINE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|@|https?://|www\.")
MAX_ITEM_WORDS = 6
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


# "Persuasion skills to influence applicants", "Automation skill is important": the skill ends at "skill(s)".
_SKILLS_TAIL = re.compile(r"^(\S.*?\bskills?)\s+(?:to|for|in|with|of|is|are|that|which)\s.*$", re.IGNORECASE)


def _clean(item: str) -> tuple[int, str]:
    """(offset into `item`, skill head) of one listed item; "" when nothing is left."""
    label, sep, rest = item.partition(":")
    if sep and rest.strip() and 0 < len(label.split()) <= MAX_ITEM_WORDS:
        item = label
    tail = _SKILLS_TAIL.match(item)
    if tail and len(tail.group(1).split()) > 1:
        item = tail.group(1)
    head = _CLAUSE.sub("", item)
    head = re.sub(r"\s*\([^)]*\)?\s*$", "", head)
    skip = 0
    for pattern in (_LEAD, _QUALIFIED, _DOING, _LEAD):
        lead = pattern.match(head[skip:])
        skip += lead.end() if lead else 0
    head = _TRAILING.sub("", head[skip:].rstrip(" .:;!"))
    if not set(head.lower().split()) - _FILLER:
        return skip, ""
    return skip, head.strip()


def listed_items(line: Line, known: Callable[[str], bool] = lambda _: False) -> list[tuple[int, int, str]]:
    """(start, end, head) of each skill item in a line under a skills heading.

    Each head is trimmed to its skill core (`trim`): "Python y Django" is two items
    ("Judgment and Decision Making" stays one), "Prime physical fitness" is "physical fitness".
    """
    start, text = line.content
    if _FIELD_LINE.search(text) or START_LABELS.match(text) or parse_date(text):
        return []
    inline = inline_heading(text)
    if inline:
        start, text = start + inline[1], text[inline[1] :]
    parts: list[tuple[int, str]] = []
    pieces = [(m.start(), m.group()) for m in re.finditer(r"[^,;|•·،()\[\]]+", text) if m.group().strip()]
    if len(pieces) > 1 and all(len(p.split()) <= MAX_ITEM_WORDS for _, p in pieces):
        parts = pieces
    else:
        parts = [(0, text)]
    out = []
    for offset, part in parts:
        lead = len(part) - len(part.lstrip())
        skip, head = _clean(part.strip())
        if not head or len(head.split()) > MAX_ITEM_WORDS or len(head) > 80 or not any(c.isalpha() for c in head):
            continue
        if levels_in_line(head):  # "English (C1)" is a language, read by cefr_phrases
            continue
        begin = start + offset + lead + skip
        for a, b in trim(head, known):
            if set(head[a:b].lower().split()) - _FILLER:
                out.append((begin + a, begin + b, head[a:b]))
    return out


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
    names a field of study, not something the person lists as a skill.

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
        for a, b, name, index, confidence in _named(line, vocab, mapper):
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
