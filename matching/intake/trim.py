"""A listed skill item trimmed to its skill core, with the span of each core kept.

A CV's skills section is written as praise ("Prime physical fitness", "Unyielding
dedication to effective customer service", "Sólidos conocimientos de SQL"), a task
("designing and executing baking techniques flawlessly") or a pair ("JDE E1 and
Enterprise One"). What ranking compares is the skill itself, so each item is cut,
by word lists and a few shape rules rather than by remembered phrasings, to:

* no leading qualifiers — adjectives and adverbs of degree or praise, articles, a noun
  of attitude or possession with its preposition ("dedication to", "command of",
  "experiencia en", "capacidad de"), an empty verb or modal ("using", "should have"),
  and an action verb when what follows is itself a method ("designing and executing
  baking techniques"); a level word ("Advanced", "avanzado") or a category noun
  ("platforms", "framework") only around a known skill ("Advanced Excel", "Linux
  platforms", but not "Advanced Cardiac Life Support");
* no trailing words that are not the skill — a participle of having it ("obtained",
  "honed"), a manner adverb ("flawlessly"), a generic noun ("endeavor", "capabilities"),
  "required"/"imprescindible", anything after "skills" ("inventory management skills
  obtained");
* coordinations split where each half stands as a skill of its own (two words or a known
  skill: "JDE E1 and Enterprise One", "Microsoft Word and Excel"); kept whole where a lone
  word may be a pair's half or share the other half's head or modifier ("Creativity and
  Imagination", "sports and recreational activities", "Systems Analysis and Evaluation",
  "Equipment Operation and Maintenance Skills"); reduced to the head where the coordinated
  words are modes of one skill ("written and oral communication skills", "comunicación oral
  y escrita" → communication).

Spans are offsets into the item, so a draft still says where each skill was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"\S+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EDGE = ".,;:!?()[]\"'“”‘’«»*–—-"

# Degree, praise and attitude words before a skill ("Prime", "Unyielding", "sólidos"); articles.
QUALIFIERS = _words("""
a an the some any very highly extremely exceptionally truly really quite particularly especially
excellent strong outstanding exceptional keen good great solid proven high effective efficient meticulous
substantial demonstrated demonstrable deep sound astute adroit skillful skilful adept seasoned accomplished
knowledgeable comprehensive thorough extensive superior remarkable admirable proficient prime unyielding
unrelenting unwavering relentless tireless notable impeccable impressive superb exemplary stellar
extraordinary tremendous considerable significant ample vast broad wide rich firm sharp robust refined
polished honed fine finest top-notch first-class world-class state-of-the-art in-depth high-level
well-developed highly-developed well-honed well-rounded well-versed hands-on working practical genuine
natural innate consistent dependable competent capable experienced skilled trained qualified certified
expert fluent confident successful sophisticated premium utmost total complete sterling formidable
muy sólido sólidos sólida sólidas amplio amplios amplia amplias buen bueno buenos buena buenas excelente
excelentes gran grandes profundo profundos profunda profundas demostrable demostrables comprobable
comprobables probada probado alta alto altos altas elevado elevada fuerte fuertes destacado destacada
destacados destacadas notable notables el la los las un una unos unas
its their our his her your my su sus nuestro nuestra various several multiple diverse varied different
inclined versed masterly sufficient adequate able profound other both either ambos ambas
familiar conversant acquainted comfortable distinct distinctive exquisite unique enough supreme these those this
must should shall will can could would may
""")
# Who is to have the skill, read only before a modal or an empty verb: "The candidate should have".
SUBJECTS = _words("candidate candidates applicant applicants you we i he she they el candidato la candidata")
# Nouns of having or caring about a skill, read with the preposition after them: "dedication to X".
ATTITUDES = _words("""
dedication commitment devotion focus passion flair knack talent aptitude gift love enthusiasm interest
drive zeal capacity capability capabilities competence competency command grasp understanding knowledge
experience expertise background proficiency mastery familiarity exposure skill skills ability abilities
use usage application level excellence excellency
conocimiento conocimientos experiencia capacidad capacidades habilidad habilidades facilidad dominio
manejo nivel nociones noción formación dedicación compromiso pasión interés soltura destreza destrezas aptitud
aptitudes competencia competencias uso
""")
PREPOSITIONS = _words("to towards toward for on in with of at de en para con sobre a al del")
# Verbs that carry nothing of the skill ("using Python", "demonstrate leadership").
EMPTY_VERBS = _words("""
use uses using utilise utilize utilising utilizing employ employing apply applying leverage leveraging
demonstrate demonstrating demonstrated show showing exhibit exhibiting display displaying possess possessing
have having has bring bringing brings practise practising practice practicing applies shows demonstrates
exhibits possesses displays do does be being
usar utilizar aplicar emplear demostrar
""")
# Action verbs dropped only before a method noun: "designing and executing baking techniques".
ACTIONS = _words("""
design designing execute executing perform performing conduct conducting deliver delivering implement
implementing adopt adopting master mastering develop developing create creating
""")
METHOD_HEADS = _words("""
technique techniques method methods methodology methodologies practice practices procedure procedures
principle principles protocol protocols standard standards skill skills
""")
# Words after the skill that are not it: "SSL endeavor", "skills obtained", "problem-solving strategies".
TRAILERS = _words("""
obtained acquired gained developed exhibited demonstrated honed learned learnt shown displayed attained
endeavor endeavors endeavour endeavours efforts scene arena realm sphere
capabilities abilities capacities proficiencies capability capacity prowess know-how background etc overall
required preferred needed necessary mandatory essential desired desirable requerido requerida requeridos
imprescindible valorable deseable obligatorio is are be es son plus bonus advantage asset a an would will should
must could utilisation utilization usage familiar similar equivalent alike similares equivalente functionality
functionalities
""")
# Modes of one skill, dropped when coordinated: "written and oral communication", "comunicación oral y escrita".
MODES = _words("""
written oral verbal spoken non-verbal nonverbal formal informal internal external both
escrita escrito oral verbal hablada hablado
""")
_LEVEL_WORDS = _words("usuario alto medio avanzado básico intermedio experto")
# What kind of thing a known skill is, dropped after it: "Linux platforms", "ITIL framework", "PowerShell scripting".
CATEGORIES = _words("""
platform platforms methodology methodologies method methods framework frameworks language languages tool tools
software suite technology technologies environment environments system systems product products module modules
concept concepts practices principles configuration configurations programming development scripting coding
querying queries architecture stack services service applications application ecosystem
lenguaje plataforma plataformas herramienta herramientas entorno entornos desarrollo programación
""")
LEVELS = _words("basic advanced intermediate expert avanzado avanzada avanzados básico básicos intermedio")
_BASIC = _words("basic básico básicos básica básicas")
CONJUNCTIONS = _words("and & y e or o et und i та і")
# Words in -ly that are not manner adverbs.
_LY_NOUNS = _words("assembly supply family anomaly butterfly monopoly reply italy jelly rally bully poly "
                      "homily lily daily weekly monthly yearly early friendly user-friendly only")
_ADJECTIVE = re.compile(r"(?:al|ic|ive|ous|ful|ible|able|ed|less)$")

# A core of only these says nothing of a skill ("You must have" → "have").
_EMPTY = QUALIFIERS | EMPTY_VERBS | SUBJECTS | PREPOSITIONS | CONJUNCTIONS | _words("is are be es son")
Spans = list[tuple[int, int]]
Known = Callable[[int, int], bool]  # is tokens[a:b] a known skill


def _key(token: str) -> str:
    return token.strip(_EDGE).lower()


def _strip(text: str) -> str:
    """Punctuation off both ends; a bracket only when it is unpaired: "Single Sign-On (SSO)," keeps its ")"."""
    text = text.strip(_EDGE.replace("(", "").replace(")", "") + " ")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip()
    return text.strip(_EDGE.replace("(", "").replace(")", "") + " ")


def _adverb(key: str) -> bool:
    return len(key) >= 6 and key.endswith("ly") and key not in _LY_NOUNS and key.isalpha()


def _praise_compound(key: str) -> bool:
    """"well-versed", "highly-skilled", "deeply-rooted": an adverb joined to an adjective."""
    first, dash, rest = key.partition("-")
    return bool(dash and rest) and (first == "well" or _adverb(first))


def _adjective(key: str) -> bool:
    return key in QUALIFIERS or key in MODES or (len(key) > 4 and bool(_ADJECTIVE.search(key)))


def _lead(keys: list[str], i: int, j: int, known: Known) -> int:
    """Index of the first core token after the qualifiers, attitudes and verbs before it."""
    while i < j - 1:
        k = keys[i]
        n = i + 1
        while k in ATTITUDES and n + 1 < j and keys[n] in CONJUNCTIONS and keys[n + 1] in ATTITUDES:
            n += 2  # "grasp and experience with"
        if k in ATTITUDES and n < j - 1 and keys[n] in PREPOSITIONS:
            i = n + 1
        elif k in QUALIFIERS or _adverb(k) or k in EMPTY_VERBS or _praise_compound(k) or (
                k in SUBJECTS and keys[i + 1] in QUALIFIERS | EMPTY_VERBS):
            i += 1
        elif k in ATTITUDES and i + 2 < j - 1 and keys[i + 1] in QUALIFIERS and keys[i + 2] in PREPOSITIONS:
            i += 3  # "conocimientos sólidos de"
        elif k in ACTIONS:
            while n + 1 < j and keys[n] in CONJUNCTIONS and keys[n + 1] in ACTIONS:
                n += 2
            if n < j and (keys[_trail(keys, n, j, known) - 1] in METHOD_HEADS or known(n, j)):
                i = n
            else:
                break
        elif k in LEVELS and (known(i + 1, j) or (k not in _BASIC and j - i > 2 and keys[j - 1] in ("skill", "skills"))):
            i += 1  # "Advanced Excel", "Advanced Problem-Solving Skills" (but "Basic Math Skills" is a skill's name)
        elif k in PREPOSITIONS and (i == 0 or keys[i - 1] not in PREPOSITIONS):
            i += 1  # "Experienced in", "working with": the qualifier's preposition
        else:
            break
    return i


def _trail(keys: list[str], i: int, j: int, known: Known) -> int:
    """End (exclusive) of the core before the words after it."""
    for n in range(i + 1, j):
        if keys[n - 1] in ("skill", "skills") and n - 1 > i:
            j = n  # nothing after "skills" is the skill
            break
    if j - i > 1 and keys[j - 1] in CATEGORIES and known(i, j - 1):
        j -= 1  # "Agile methodology"
    while j > i + 1 and (keys[j - 1] in TRAILERS or keys[j - 1] in CONJUNCTIONS or (_adverb(keys[j - 1]) and j > i + 2)):
        j -= 1  # "ALM is mandatory", "Technical Ability and Capability"
    if j - i > 2 and keys[j - 2] == "nivel" and keys[j - 1] in _LEVEL_WORDS:  # "Excel a nivel usuario"
        j -= 3 if j - i > 3 and keys[j - 3] == "a" else 2
    if j - i > 1 and keys[j - 1] in LEVELS and known(i, j - 1):
        j -= 1  # "Excel avanzado"
    return j


def _skill_of(keys: list[str], i: int, j: int) -> int:
    """Start of the complement in "Deeply-rooted skill set in animal care" (the skill is after "skills in")."""
    for m in range(i, j - 2):
        if keys[m] in ("skill", "skills"):
            m += keys[m + 1] in ("set", "sets")
            return m + 2 if m + 2 < j and keys[m + 1] in ("in", "with", "at", "on", "of") else i
    return i


def code_like(token: str) -> bool:
    """"Z1", "F5", "J2EE", "XML", "iOS", "VB.Net": a product's or standard's shape (a digit, or a
    capital inside the word), which a pair's common-word half ("Creativity") never has."""
    word = token.strip(_EDGE)
    inner = [c for n, c in enumerate(word) if n and word[n - 1] not in "-/ "]
    return any(c.isalpha() for c in word) and (any(c.isdigit() for c in word) or any(c.isupper() for c in inner))


def _standalone(keys: list[str], half: tuple[int, int], last: bool, known: bool) -> bool:
    """A coordinated half that is a skill by itself. A lone word is not, unless known (or named
    like a product, see `trim`): it is as often a pair's half ("Creativity and Imagination") or
    shares the other half's modifier or head ("Systems Analysis and Evaluation", "sports and
    recreational activities") as a skill of its own."""
    a, b = half
    if known:
        return True
    return b - a >= 2 and (last or not _adjective(keys[b - 1]))  # "Management of Financial [and Personnel resources]"


def _shared_head(keys: list[str], halves: Spans) -> bool:
    """"Equipment Operation and Maintenance Skills", "cleaning and sanitation techniques": the last
    half's method noun ("skills", "techniques") is every half's."""
    return keys[halves[-1][1] - 1] in METHOD_HEADS and not any(keys[b - 1] in METHOD_HEADS for _, b in halves[:-1])


def trim(item: str, known: Callable[[str], bool] = lambda _: False) -> Spans:
    """(start, end) in `item` of each skill core; [] when no core is left.

    Example:
        >>> item = "Unyielding dedication to effective customer service"
        >>> [item[a:b] for a, b in trim(item)]
        ['customer service']
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(item)]
    keys = [_key(item[a:b]) for a, b in tokens]
    if not tokens or known(item.strip()):
        return [(tokens[0][0], tokens[-1][1])] if tokens else []

    def text(a: int, b: int) -> str:
        return _strip(item[tokens[a][0] : tokens[b - 1][1]]) if a < b else ""

    def known_span(a: int, b: int) -> bool:  # a word named like a product is a name too ("SAP software")
        return a < b and (known(text(a, b)) or (b - a == 1 and code_like(item[tokens[a][0] : tokens[a][1]])))

    n = len(tokens)
    i = _lead(keys, 0, n, known_span)
    i = _lead(keys, _skill_of(keys, i, n), n, known_span)
    j = _trail(keys, i, n, known_span)
    cuts = [m for m in range(i + 1, j - 1) if keys[m] in CONJUNCTIONS]
    halves = [(a, b) for a, b in zip([i] + [c + 1 for c in cuts], cuts + [j], strict=True)]
    spans = [(i, j)]
    if len(halves) > 1 and all(b > a for a, b in halves):
        firsts, last = halves[:-1], halves[-1]
        # a lone half named like a product stands ("JDE E1 and Z1"), and beside it a capitalised word
        # does too ("JSON and Map", "XML and Middleware"): a pair of common words has no such name
        codes = [b - a == 1 and (code_like(item[tokens[a][0] : tokens[a][1]]) or known_span(a, b)) for a, b in halves]

        def named(a: int, b: int) -> bool:
            word = item[tokens[a][0] : tokens[a][1]].strip(_EDGE)
            return b - a == 1 and (codes[halves.index((a, b))] or (any(codes) and word[:1].isupper()))

        if all(b - a == 1 and keys[a] in MODES for a, b in firsts) and keys[last[0]] in MODES:
            spans = [(last[0] + 1, last[1])] if last[1] - last[0] > 1 else spans  # written and oral communication
        elif all(b - a == 1 and keys[a] in MODES for a, b in halves[1:]) and keys[halves[0][1] - 1] in MODES:
            spans = [(halves[0][0], halves[0][1] - 1)] if halves[0][1] - halves[0][0] > 1 else spans
        elif all(_standalone(keys, h, h == last, known_span(*h) or named(*h)) for h in halves) \
                and not _shared_head(keys, halves):
            spans = []
            for a, b in halves:
                a = _lead(keys, a, b, known_span)
                spans.append((a, _trail(keys, a, b, known_span)))
    out = []
    for a, b in spans:
        core = text(a, b)
        if core and any(c.isalpha() for c in core) and not all(k in _EMPTY for k in keys[a:b]):
            start = item.index(core, tokens[a][0])
            out.append((start, start + len(core)))
    return out
