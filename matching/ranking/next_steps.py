"""What a graduate could learn next: skills their matches ask for, and language steps that
would open postings they now just miss.

Counted over relevant postings only — the graduate's matches (above the relevance floor) and
the relevant postings they miss on languages alone — so a backend developer is not told to
learn Figma because a design posting they will never apply for asks for it. A language step
("Spanish B1") counts only the postings that one step would make fit; a posting that needs two
steps counts for neither, since neither alone opens it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from matching.cefr.levels import CEFR, language_fit
from matching.ranking.blend import Match
from matching.records.profiles import CandidateProfile, PostingRecord


@dataclass(frozen=True)
class SkillStep:
    skill: str
    postings: int  # of the graduate's matches asking for it
    required: int  # of those, how many require it


@dataclass(frozen=True)
class LanguageStep:
    code: str
    level: str  # the level to reach
    have: str | None
    postings: int  # postings this step alone would make fit


def missing_skills(match: Match, key: Callable[[str], str]) -> Iterator[tuple[str, str, bool]]:
    """Each skill a match lacks once by `key`: (key, name as written, required). One graduate's
    steps and a school's curriculum (`org_next_steps`) count the same way."""
    must = {key(s) for s in match.explanation.missing_required_skills}
    for skill in dict.fromkeys(match.explanation.missing_skills):
        k = key(skill)
        yield k, skill, k in must


def skill_steps(matches: list[Match], *, top: int = 6, key: Callable[[str], str] = str.casefold) -> list[SkillStep]:
    """Skills missing across the matches, weighted by how good each match is (a required skill
    counts twice): a skill the best matches ask for comes before one a faint match asks for.
    Names with one `key` are one skill ("troubleshoot" and "Troubleshooting", with the
    vocabulary's key), shown as first met.

    Example:
        >>> from matching.ranking.blend import Explanation
        >>> e = Explanation(["Python"], ["Docker"], [], True, [], {})
        >>> skill_steps([Match(1, 0.5, e)])
        [SkillStep(skill='Docker', postings=1, required=0)]
    """
    asked: Counter[str] = Counter()
    required: Counter[str] = Counter()
    value: defaultdict[str, float] = defaultdict(float)
    name: dict[str, str] = {}
    for match in matches:
        for k, skill, must in missing_skills(match, key):
            name.setdefault(k, skill)
            asked[k] += 1
            required[k] += must
            value[k] += match.score * (2 if must else 1)
    order = sorted(asked, key=lambda k: (-round(value[k], 6), -required[k], name[k].casefold()))
    return [SkillStep(name[k], asked[k], required[k]) for k in order[:top]]


def language_steps(
    candidate: CandidateProfile, missed_on_languages: list[PostingRecord], *, top: int = 3
) -> list[LanguageStep]:
    """For postings failing only on languages: the one level step that would make each fit.

    Example:
        >>> c = CandidateProfile(name="A", skills=["JS"], languages={"es": "A2"})
        >>> p = PostingRecord(company="C", title="T", required_skills=["JS"], languages={"es": "B1"})
        >>> language_steps(c, [p, p])
        [LanguageStep(code='es', level='B1', have='A2', postings=2)]
    """
    opened: dict[tuple[str, str], int] = defaultdict(int)
    # Postings ask for few distinct sets of languages: each set's shortfall is worked out once
    # (a graduate's page counts some hundreds of postings).
    shortfall: dict[frozenset, tuple[str, str] | None] = {}
    for posting in missed_on_languages:
        asked = frozenset(posting.languages.items())
        if asked not in shortfall:
            short = [f for f in language_fit(candidate.languages, posting.languages) if not f.ok]
            shortfall[asked] = (short[0].code, short[0].required) if len(short) == 1 else None
        step = shortfall[asked]
        if step is not None:
            opened[step] += 1
    # Reaching a higher level also opens the postings asking for a lower one.
    totals = {
        (code, level): sum(n for (c, lv), n in opened.items() if c == code and CEFR(lv).rank <= CEFR(level).rank)
        for code, level in opened
    }
    order = sorted(totals, key=lambda k: (-totals[k], CEFR(k[1]).rank, k[0]))
    steps = []
    for code, level in order[:top]:
        held = candidate.languages.get(code)
        steps.append(LanguageStep(code, level, CEFR(held).value if held else None, totals[(code, level)]))
    return steps
