"""What an organisation's graduates should learn next, all together: the school's curriculum view.

Why: `matching.ranking.next_steps.skill_steps` tells one graduate which missing skills their best
matches ask for; a coordinator planning the next workshop needs the same across everyone.
A skill counts for each (graduate, posting) pair in the graduates' ranked matches that lacks
it, weighted by the match's score and twice when the posting requires it (as for one
graduate), so a skill that would lift many good matches comes first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from matching.ranking.blend import Match


@dataclass(frozen=True)
class OrgSkillStep:
    skill: str
    graduates: int  # graduates missing it in at least one of their matches
    postings: int  # distinct postings asking for it among those matches
    required_pairs: int  # (graduate, posting) pairs where it is a missing required skill
    value: float  # Σ score × (2 if required else 1) over the pairs missing it


def org_skill_steps(matches_by_graduate: Mapping[Hashable, list[Match]], *, top: int = 20) -> list[OrgSkillStep]:
    """The `top` skills by value, ties broken by how many graduates miss them, then by name.

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
    for graduate, matches in matches_by_graduate.items():
        for match in matches:
            must = set(match.explanation.missing_required_skills)
            for skill in match.explanation.missing_skills:
                graduates[skill].add(graduate)
                postings[skill].add(match.id)
                required[skill] += skill in must
                value[skill] += match.score * (2 if skill in must else 1)
    order = sorted(value, key=lambda s: (-round(value[s], 6), -len(graduates[s]), s.casefold()))
    return [OrgSkillStep(s, len(graduates[s]), len(postings[s]), required[s], round(value[s], 4))
            for s in order[:top]]
