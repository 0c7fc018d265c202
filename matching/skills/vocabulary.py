"""Skill names compared the way people mean them: `postgres` is `PostgreSQL`.

A small alias table (data/skill_aliases.csv) maps spellings to one canonical
name, compared by its folded key (lower case, punctuation and spaces dropped),
so `React.js` and `reactjs` still meet. A skill not in the table is compared by
its stemmed content words (`matching.skills.words`): "Ability to troubleshoot"
is "troubleshooting". A second table (data/skill_implications.csv) says what a
skill implies: who writes PostgreSQL knows SQL, who writes Django knows Python;
and a graduate's longer skill holds the known skills and the words it names
("Agile project management" holds "Project management" and "Agile").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from matching.skills.words import word_key, word_parts

# A graduate's held keys, word parts included, are one padded row of the ranker's features
# (`matching.skills.features`): a budget keeps 100 long skills from widening every row. The
# rjdb graduates hold 22 keys at the median and 105 at the 99th percentile.
MAX_HELD_KEYS = 256

_FOLD = re.compile(r"[\s._\-/]+")


@lru_cache(maxsize=65_536)
def fold(skill: str) -> str:
    """Spelling-insensitive key: `Node.JS ` → `nodejs`; keeps `c#`, `c++` distinct from `c`.

    Cached: ranking folds the same few hundred skill names millions of times.
    """
    return _FOLD.sub("", skill.strip().lower())


@dataclass
class SkillVocabulary:
    """Canonical skill names by folded alias."""

    canonical: dict[str, str] = field(default_factory=dict)
    implies: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, path: Path, implications: Path | None = None) -> SkillVocabulary:
        """Load aliases, and implications from `implications` (default: beside `path`)."""
        vocab = cls()
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                alias, name = (row.get("alias") or "").strip(), (row.get("canonical") or "").strip()
                if alias and name:
                    vocab.canonical[fold(alias)] = name
                    vocab.canonical.setdefault(fold(name), name)
        implications = implications or path.with_name("skill_implications.csv")
        if implications.exists():
            with implications.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    skill, implied = (row.get("skill") or "").strip(), (row.get("implies") or "").strip()
                    if skill and implied:
                        vocab.implies.setdefault(vocab.key(skill), set()).add(vocab.key(implied))
        return vocab

    def normalise(self, skill: str) -> str:
        """Canonical display name of a skill, or the skill as typed when unknown."""
        return self.canonical.get(fold(skill), skill.strip())

    @lru_cache(maxsize=65_536)  # noqa: B019 - vocabularies live as long as the process
    def key(self, skill: str) -> str:
        """What a posting's skill is compared by: the folded canonical name of a known skill,
        else its word key, else (no content word at all) its folded spelling."""
        name = self.canonical.get(fold(skill))
        if name is not None:
            return fold(name)
        return word_key(skill) or fold(skill)

    def keys(self, skills: list[str]) -> set[str]:
        return {self.key(s) for s in skills}

    def held(self, skills: list[str] | tuple[str, ...]) -> frozenset[str]:
        """Keys of the skills a person has, with everything they imply (transitively)."""
        return self._held(tuple(skills))

    @lru_cache(maxsize=65_536)  # noqa: B019 - vocabularies live as long as the process
    def _held(self, skills: tuple[str, ...]) -> frozenset[str]:
        found = self.keys(list(skills))
        for skill in skills:
            found.update(self.key(name) for name in self.find_in_text(skill))
        todo = [key for key in found if key in self.implies]
        while todo:
            for implied in self.implies.get(todo.pop(), ()):
                if implied not in found:
                    found.add(implied)
                    todo.append(implied)
        # Word parts last, shortest first, while the budget lasts ("webdesign" holds "WebDesign" too).
        parts = sorted({(rank, key) for skill in skills for text in (skill, fold(skill)) for rank, key in word_parts(text)})
        for _, key in parts:
            if len(found) >= MAX_HELD_KEYS:
                break
            found.add(key)
        return frozenset(found)

    @lru_cache(maxsize=65_536)  # noqa: B019
    def canonical_lists(self, required: tuple[str, ...], nice: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A posting's skills as canonical names, one per key ("troubleshoot" and
        "Troubleshooting" are one skill, named as first written), nice-to-have minus the required."""
        seen: dict[str, str] = {}
        for skill in required:
            seen.setdefault(self.key(skill), self.normalise(skill))
        req = tuple(seen.values())
        for skill in nice:
            seen.setdefault(self.key(skill), self.normalise(skill))
        return req, tuple(seen.values())[len(req):]

    @lru_cache(maxsize=65_536)  # noqa: B019
    def key_lists(self, required: tuple[str, ...], nice: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """`canonical_lists` as keys, the form `held` is compared in."""
        req, nic = self.canonical_lists(required, nice)
        return tuple(self.key(x) for x in req), tuple(self.key(x) for x in nic)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def find_in_text(self, text: str) -> list[str]:
        """Known skills mentioned in free text, for queries that come without a skill list."""
        tokens = re.findall(r"[\w#+.]+", text.lower())
        found: dict[str, None] = {}
        for n in (3, 2, 1):
            for i in range(len(tokens) - n + 1):
                name = self.canonical.get(fold("".join(tokens[i : i + n]).strip(".")))
                if name:
                    found[name] = None
        return list(found)


@dataclass(frozen=True)
class SkillOverlap:
    score: float
    matched: list[str]
    missing: list[str]
    missing_required: list[str]


def skill_overlap(
    have: list[str],
    required: list[str],
    nice: list[str],
    vocab: SkillVocabulary,
    *,
    required_weight: float = 2.0,
    nice_weight: float = 1.0,
) -> SkillOverlap:
    """Weighted share of a posting's skills the candidate has.

    Required skills weigh `required_weight`, nice-to-have `nice_weight`, so a
    candidate with every required skill and no extras scores 2/3 on a posting
    with equal numbers of each. Names in the result are canonical.
    """
    held = vocab.held(have)
    req, nic = vocab.canonical_lists(tuple(required), tuple(nice))
    matched = [s for s in req + nic if vocab.key(s) in held]
    missing_required = [s for s in req if vocab.key(s) not in held]
    missing = missing_required + [s for s in nic if vocab.key(s) not in held]
    total = required_weight * len(req) + nice_weight * len(nic)
    got = required_weight * (len(req) - len(missing_required)) + nice_weight * (
        len(nic) - (len(missing) - len(missing_required))
    )
    return SkillOverlap(got / total if total else 0.0, matched, missing, missing_required)


def skill_score(
    have: list[str], required: list[str], nice: list[str], vocab: SkillVocabulary,
    *, required_weight: float = 2.0, nice_weight: float = 1.0,
) -> float:
    """`skill_overlap(...).score` without the lists: the hot path of ranking a pool."""
    return held_score(vocab.held(have), required, nice, vocab,
                      required_weight=required_weight, nice_weight=nice_weight)


def held_score(
    held: frozenset[str], required: list[str], nice: list[str], vocab: SkillVocabulary,
    *, required_weight: float = 2.0, nice_weight: float = 1.0,
) -> float:
    """`skill_score` for a person whose `vocab.held(...)` is already known (one graduate
    against a pool of postings computes it once, not once per posting)."""
    weights, total = skill_weights(required, nice, vocab, required_weight=required_weight, nice_weight=nice_weight)
    if not total:
        return 0.0
    return sum(weight for key, weight in weights.items() if key in held) / total


def skill_weights(
    required: list[str], nice: list[str], vocab: SkillVocabulary,
    *, required_weight: float = 2.0, nice_weight: float = 1.0,
) -> tuple[dict[str, float], float]:
    """What each skill key of a posting is worth, and their total: the skill share of a
    person is the worth of the keys they hold over the total (a skill named twice, in two shapes
    or in both lists, counts once, as required). Unknown to an empty vocabulary, names are word keys.

    Example:
        >>> skill_weights(["Python", "SQL", "sql"], ["Docker", "python"], SkillVocabulary())
        ({'~python': 2.0, '~sql': 2.0, '~docker': 1.0}, 5.0)
    """
    req, nic = vocab.key_lists(tuple(required), tuple(nice))
    weights: dict[str, float] = {}
    for keys, weight in ((req, required_weight), (nic, nice_weight)):
        for key in keys:
            weights[key] = weights.get(key, 0.0) + weight
    return weights, required_weight * len(req) + nice_weight * len(nic)
