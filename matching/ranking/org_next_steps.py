"""What an organisation's graduates should learn next, all together: the school's curriculum view.

Why: `matching.ranking.next_steps.skill_steps` tells one graduate which missing skills their best
matches ask for; a coordinator planning the next workshop needs the same across everyone.
A skill counts for each (graduate, posting) pair in the graduates' ranked matches that lacks
it, weighted by the match's score and twice when the posting requires it (as for one
graduate), so a skill that would lift many good matches comes first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from matching.ranking.blend import Match
from matching.ranking.next_steps import missing_skills


@dataclass(frozen=True)
class OrgSkillStep:
    skill: str
    graduates: int  # graduates missing it in at least one of their matches
    postings: int  # distinct postings asking for it among those matches
    required_pairs: int  # (graduate, posting) pairs where it is a missing required skill
    value: float  # Σ score × (2 if required else 1) over the pairs missing it


def org_skill_steps(
    matches_by_graduate: Mapping[Hashable, list[Match]], *, top: int = 20, key: Callable[[str], str] = str.casefold,
) -> list[OrgSkillStep]:
    """The `top` skills by value, ties broken by how many graduates miss them, then by name;
    names with one `key` are one skill, shown as first met (as `skill_steps`).

    Example:
        >>> from matching.ranking.blend import Explanation
        >>> m = Match(7, 0.5, Explanation(["Python"], ["Docker", "SQL"], ["SQL"], True, [], {}))
        >>> [s.skill for s in org_skill_steps({1: [m], 2: [m]})]
        ['SQL', 'Docker']
    """
    graduates: defaultdict[str, set] = defaultdict(set)
    postings: defaultdict[str, set] = defaultdict(set)
    required: defaultdict[str, int] = defaultdict(int)
    value: defaultdict[str, float] = defaultdict(float)
    name: dict[str, str] = {}
    for graduate, matches in matches_by_graduate.items():
        for match in matches:
            for k, skill, must in missing_skills(match, key):
                name.setdefault(k, skill)
                graduates[k].add(graduate)
                postings[k].add(match.id)
                required[k] += must
                value[k] += match.score * (2 if must else 1)
    order = sorted(value, key=lambda k: (-round(value[k], 6), -len(graduates[k]), name[k].casefold()))
    return [OrgSkillStep(name[k], len(graduates[k]), len(postings[k]), required[k], round(value[k], 4))
            for k in order[:top]]
