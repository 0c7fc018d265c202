"""A skill's content words, stemmed, as a key: "Ability to troubleshoot" is "troubleshooting".

People and job ads write the same skill in many shapes: "troubleshoot", "Troubleshooting
skills", "Ability to troubleshoot"; "Inventory management" and "inventory management skills
obtained". Folding spaces and case (`matching.skills.vocabulary.fold`) keeps those apart, so a
graduate was told a skill is missing that their own profile names. A word key drops the filler
words ("skills", "ability", "knowledge of", "conocimientos de") and stems the rest (Snowball,
through PyStemmer), so the shapes meet.

A graduate holds a posting's skill when the graduate's skill has every content word of the
posting's: "Written and oral communication skills" holds "Communication", "Agile project
management" holds "project management"; not the other way round ("Communication" does not hold
"Written communication"), so a short skill is never credited with a longer claim.

The stemmer is English Snowball for every text: skills in other languages pass through it
mostly unchanged (their words still meet by spelling), and the ESCO concept signal is the one
that crosses languages.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from matching.text.stems import stem_words

PREFIX = "~"  # word keys never collide with folded skill keys, which hold no spaces or "~"
# Words that say how a skill is held, not which: dropped before stemming (en, es, and the
# glue words of both). Short words of a skill's name ("IT", "Go", "R", "C") are never here.
_FILLER_WORDS = """
a an the and or of for with in on to as at by from via using
skill skills ability abilities able knowledge proficiency proficient experience experienced
strong good excellent solid basic advanced understanding familiarity familiar capability
capabilities competence competent
de del la las el los y o en con para conocimiento conocimientos experiencia habilidad
habilidades manejo dominio básico básicos basico avanzado avanzados nivel
"""
FILLER = frozenset(_FILLER_WORDS.split())
_WORD = re.compile(r"[^\W_]+[#+]*")
MAX_WORDS = 8  # a longer "skill" is a sentence; its first words stand for it
MAX_HELD_PART = 3  # a graduate's skill holds the word sets of up to this many of its words
# (through rjdb's intake drafts, parts of 4 words lifted skills alone only from 0.803 to 0.804,
# for 18 % more held keys at the 99th percentile)

@lru_cache(maxsize=65_536)
def content_stems(skill: str) -> tuple[str, ...]:
    """The skill's stemmed content words, sorted and without repeats."""
    words = [w for w in _WORD.findall(skill.casefold()) if w not in FILLER][:MAX_WORDS]
    return tuple(sorted(set(stem_words(words))))


def word_key(skill: str) -> str | None:
    """One key for every shape of the same words; None when the skill has no content word."""
    stems = content_stems(skill)
    return PREFIX + " ".join(stems) if stems else None


@lru_cache(maxsize=65_536)
def word_parts(skill: str) -> tuple[tuple[int, str], ...]:
    """The word keys a graduate's skill holds, each with its rank: 0 for the skill's own key,
    else how many words the part has (a budget keeps the lowest ranks first)."""
    stems = content_stems(skill)
    own = word_key(skill)
    parts = [(0, own)] if own else []
    parts += [
        (size, PREFIX + " ".join(part))
        for size in range(1, min(len(stems), MAX_HELD_PART) + 1)
        for part in itertools.combinations(stems, size)
    ]
    return tuple(parts)


def held_word_keys(skill: str) -> frozenset[str]:
    """The word keys a graduate's skill holds: its own and those of its parts.

    Example:
        >>> sorted(held_word_keys("Inventory management skills"))
        ['~inventori', '~inventori manag', '~manag']
    """
    return frozenset(key for _, key in word_parts(skill))
