"""The skill items of one line under a skills heading, each cut to its skill head.

A skills section lists one skill per bullet or comma, but writes it as praise ("Strong
problem-solving skills for mitigating issues"), a label and its gloss ("Critical Thinking:
applied to…") or a task; what ranking compares is the skill. Each item here is read to its
head: the label of "X: …", what comes before the clause after "for", "while", "para"…, the
qualifiers and attitude words before it dropped; `trim` then cuts the head to its core and
splits real coordinations ("Python y Django").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matching.cefr.phrases import levels_in_line
from matching.intake.document import Line, inline_heading
from matching.intake.fields import START_LABELS, parse_date
from matching.intake.trim import trim

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
# A line holding a date, an address or a link is a field ("Fecha de incorporación: 10/01/2027"), not skills.
_FIELD_LINE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|@|https?://|www\.")
MAX_ITEM_WORDS = 6

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
