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
from matching.intake.trim import (
    ATTITUDES,
    CATEGORIES,
    CONJUNCTIONS,
    EMPTY_VERBS,
    LEVELS,
    PREPOSITIONS,
    QUALIFIERS,
    code_like,
    trim,
)

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
_FILLER = frozenset(["etc", "similar", "or", "and", "others", "other", "more", "various", "use", "ability", "e.g", "eg", "i.e", "ie", "proficiency", "proficient", "skill", "skills", "experience", "knowledge", "competencies", "competences"])
_CLAUSE = re.compile(
    r"\s+(?:for|while|when|ensuring|necessary|which|that|by|using|through|during|in order|so that|"
    r"to (?:handle|endure|understand|ensure|support|deliver|manage|work with|keep)|"
    r"para|mientras|cuando|pour|lors|для|za)\s",
    re.IGNORECASE,
)
# Words that say how much or how well, nothing of what: "Distinct skills in Jboss", "Exceptional aptitude for".
_PRAISE = QUALIFIERS | LEVELS | ATTITUDES | frozenset(["distinct", "distinctive", "exquisite", "unique", "special"])
# What follows is not had: "all routing protocols except IGMP", "cualquier lenguaje salvo COBOL".
_NEGATION = re.compile(
    r"(?:^|\s+|\()(?:except|excluding|exclusive of|other than|apart from|aside from|but not|not including|"
    r"excepto|exceptuando|salvo|menos|sauf|excepté|hormis)\b[^.;:)]*", re.IGNORECASE)
# What follows names the skills a category stands for: "data exchange technologies such as JSON".
_EXAMPLES = re.compile(
    r"(?:^|\s+)(?:such as|e\.\s?g\.?|for example|for instance|tales como|como por ejemplo|"
    r"por ejemplo|p\.\s?ej\.|notamment)(?:\s+|$)", re.IGNORECASE)
# The end of a sentence inside a line: "Nessus. MS Visio" (not "e.g. SQL", "Sr. Developer", "Node.js").
# Category nouns whose examples are the skills: "databases such as PostgreSQL", "lenguajes como…".
_KINDS = CATEGORIES | frozenset(["databases", "formats", "protocols", "libraries", "packages", "solutions",
                                 "lenguajes", "tecnologías", "datos", "librerías", "bibliotecas"])
_SENTENCE = re.compile(r"(?<=[^\W\d_]{3})\.\s+(?=\S)")
_ABBREVIATIONS = frozenset(["etc", "approx", "incl", "resp", "viz"])
# A line holding a date, an address or a link is a field ("Fecha de incorporación: 10/01/2027"), not skills.
_FIELD_LINE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|@|https?://|www\.")
MAX_ITEM_WORDS = 6

# "Persuasion skills to influence applicants", "Automation skill is important": the skill ends at "skill(s)".
_SKILLS_TAIL = re.compile(r"^(\S.*?\bskills?)\s+(?:to|for|in|with|of|is|are|that|which)\s.*$", re.IGNORECASE)


def _praise_only(text: str) -> bool:
    """Nothing but how much or how well ("Distinct", "Exceptional aptitude"): the skill is after it."""
    keys = [w.strip(".,;:!?()").lower() for w in text.split()]
    return bool(keys) and all(k in _PRAISE for k in keys)


def _head_clause(item: str) -> str:
    """`item` up to the clause after it ("for mitigating issues"), unless all before the clause
    is praise: in "Exceptional aptitude for change management" the skill is after "for"."""
    for mark in _CLAUSE.finditer(item):
        if not _praise_only(item[: mark.start()]):
            return item[: mark.start()]
    return item


# A pronoun or distributive before a preposition starts the rest of a sentence, not an item:
# "Java and C#, each in the development of…", "…; leveraging them in the creation of…".
_CONTINUATION = re.compile(r"^(?:each|all|both|them|it|they|which|who|cada|todos|todas|ambos|ellos)\s+"
                           r"(?:in|of|for|with|on|at|to|en|de|para|con)\b", re.IGNORECASE)


def _clean(item: str) -> tuple[int, str]:
    """(offset into `item`, skill head) of one listed item; "" when nothing is left."""
    label, sep, rest = item.partition(":")
    if sep and rest.strip() and 0 < len(label.split()) <= MAX_ITEM_WORDS:
        item = label
    skip, item = _examples(item)
    tail = _SKILLS_TAIL.match(item)
    if tail and len(tail.group(1).split()) > 1 and not _praise_only(tail.group(1).rsplit(None, 1)[0]):
        item = tail.group(1)
    head = _head_clause(item)
    head = re.sub(r"\s*\([^)]*\)?\s*$", "", head)
    start = 0
    for pattern in (_LEAD, _QUALIFIED, _DOING, _LEAD):
        lead = pattern.match(head[start:])
        start += lead.end() if lead else 0
    head = _TRAILING.sub("", head[start:].rstrip(" .:;!"))
    if not set(head.lower().split()) - _FILLER or _CONTINUATION.match(head):
        return skip + start, ""
    return skip + start, head.strip()


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, text) of the clauses of a line, cut at ";" and at a sentence's end: "Proficient in
    Java, J2EE; leveraging them in…" has its list in the first clause, whatever the second's length."""
    cuts = [0]
    for mark in re.finditer(r";|" + _SENTENCE.pattern, text):
        if mark.group() == ";" or text[: mark.start()].split()[-1].lower() not in _ABBREVIATIONS:
            cuts += [mark.start(), mark.end()]
    cuts.append(len(text))
    return [(cuts[i], text[cuts[i] : cuts[i + 1]]) for i in range(0, len(cuts), 2) if text[cuts[i] : cuts[i + 1]].strip()]


def _examples(text: str) -> tuple[int, str]:
    """(offset, text) of what an item names: the examples after a category ("data exchange
    technologies such as JSON" → "JSON"), else what comes before the examples of anything else
    ("computer skills for tasks such as data analysis" → "computer skills for tasks"). A marker
    inside brackets is left to the bracket's own item ("NoSQL (e.g. MongoDB)")."""
    for mark in _EXAMPLES.finditer(text):
        before = text[: mark.start()]
        if before.count("(") != before.count(")") or not text[mark.end() :].strip():
            continue
        if not before.strip() or before.split()[-1].lower().strip(".,;:") in _KINDS:
            return mark.end(), text[mark.end() :]
        return 0, before
    return 0, text


def negated(text: str) -> list[tuple[int, int]]:
    """Spans of `text` a negation takes out ("routing protocols except IGMP and PIM"): what is
    named there is not asked for or had.

    Example:
        >>> text = "Protocols except IGMP; BGP"
        >>> [text[a:b] for a, b in negated(text)]
        [' except IGMP']
    """
    return [m.span() for m in _NEGATION.finditer(text)]


# Where a phrase naming a skill stops, going back from "skills": "with [proficient organizational skills]";
# before "skills" itself, a word that says which of one's skills, not what ("new skills", "core skills").
_STOPS = PREPOSITIONS | CONJUNCTIONS | EMPTY_VERBS | frozenset([
    "is", "are", "be", "es", "son", "which", "that", "who", "new", "core", "key", "following", "these", "those",
    "other", "soft", "hard", "transferable", "required", "relevant", "necessary", "additional", "own", "the",
    "a", "an", "my", "your", "their", "his", "her", "our", "sus", "nuevas", "estas"])


def _skill_phrases(part: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each "… skills" noun phrase in a sentence-long item ("High-level
    mathematical skills assist in…", "…tasks flawlessly with proficient organizational skills"):
    a listed sentence still names the skills it praises; up to two words before "skills", not
    past a verb in -ing before them ("cues enhancing [interpersonal skills]", but "typing skills")."""
    out = []
    for mark in re.finditer(r"\b(?:skills?|habilidades|destrezas)\b", part, re.IGNORECASE):
        words = list(re.finditer(r"\S+", part[: mark.start()]))[-2:]
        begin = mark.start()
        for word in reversed(words):
            key = word.group().lower()
            if key.strip(".,;:!?()") in _STOPS or key[-1] in ".,;:!?)" or key.endswith("ly") or (
                    key.endswith("ing") and "-" not in key and begin < mark.start()):
                break
            begin = word.start()
        if begin < mark.start():
            out.append((begin, part[begin : mark.end()]))
    return out


def _parts(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each item of a line: its clauses, each cut at commas, bars and brackets
    when its pieces are item-long (or mostly a few words each), else kept whole; a negated
    stretch left out."""
    parts: list[tuple[int, str]] = []
    for offset, clause in _clauses(text):
        skip, examples = _examples(clause)
        if skip:  # "Java based technologies such as Java, J2EE": the list is the examples
            offset, clause = offset + skip, examples
        pieces = [(m.start(), m.group()) for m in re.finditer(r"[^,|•·،()\[\]]+", clause) if m.group().strip()]
        short = sum(len(p.split()) <= 3 for _, p in pieces)
        if len(pieces) > 1 and all(len(p.split()) <= MAX_ITEM_WORDS for _, p in pieces):
            parts.extend((offset + a, piece) for a, piece in pieces)
        elif len(pieces) >= 3 and short * 2 >= len(pieces):
            # a list with a long item ("iOS, Android, SDK, Advanced understanding of…"): in prose a
            # lowercase piece is as often a task ("planning, experimenting, processing data")
            parts.extend((offset + a, piece) for a, piece in pieces
                         if len(piece.split()) > 3 or piece.strip()[:1].isupper() or piece.strip()[:1].isdigit()
                         or any(code_like(w) for w in piece.split()))
        else:
            parts.append((offset, clause))
    kept = []
    for offset, part in parts:
        cut = _NEGATION.search(part)
        part = part[: cut.start()] if cut else part
        if part.strip():
            kept.append((offset, part))
    return kept


def listed_items(line: Line, known: Callable[[str], bool] = lambda _: False) -> list[tuple[int, int, str]]:
    """(start, end, head) of each skill item in a line under a skills heading.

    Each head is trimmed to its skill core (`trim`): "Python y Django" is two items
    ("Judgment and Decision Making" stays one), "Prime physical fitness" is "physical fitness";
    an item a sentence long gives the "… skills" it names ("High-level mathematical skills
    assist in…" → "mathematical skills").

    Example:
        >>> line = split_lines("Skills: Proficient in Java, J2EE; leveraging them daily")[0]
        >>> [head for *_, head in listed_items(line)]
        ['Java', 'J2EE']
    """
    start, text = line.content
    if _FIELD_LINE.search(text) or START_LABELS.match(text) or parse_date(text):
        return []
    inline = inline_heading(text)
    if inline:
        start, text = start + inline[1], text[inline[1] :]
    out = []
    for offset, part in _parts(text):
        lead = len(part) - len(part.lstrip())
        skip, head = _clean(part.strip())
        if head and (len(head.split()) > MAX_ITEM_WORDS or len(head) > 80):
            out.extend(item for a, phrase in _skill_phrases(part)
                       for item in _items(start + offset + a, phrase, known))
            continue
        out.extend(_items(start + offset + lead + skip, head, known))
    return out


def _items(begin: int, head: str, known: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, core) of the skill cores of one head that starts at `begin`."""
    if not head or len(head.split()) > MAX_ITEM_WORDS or len(head) > 80 or not any(c.isalpha() for c in head):
        return []
    if levels_in_line(head):  # "English (C1)" is a language, read by cefr_phrases
        return []
    return [(begin + a, begin + b, head[a:b]) for a, b in trim(head, known)
            if set(head[a:b].lower().split()) - _FILLER]
