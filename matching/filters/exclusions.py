"""Why a list is short, in numbers and in words: what `matching.filters.columns` counts for one
query (records considered, eligible, removed by each rule, and the near misses), and the
sentence a page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Exclusions:
    """Why a list is short: of the records considered, how many each rule removed (a record may
    fail several), and the near misses — records failing exactly one rule, by that rule."""

    considered: int
    eligible: int
    removed: dict[str, int]
    near_misses: Mapping[int, str]  # a `NearMisses` when made here: arrays in id order

    def sentence(self, shown: int, noun: str) -> str:
        """The list's length in plain words, e.g. "3 of 32 postings shown, the best of 18 that
        pass every rule; 14 do not (city or remote 11, languages 7; some fail more than one)."

        Example:
            >>> Exclusions(5, 2, {"languages": 3}, {}).sentence(2, "postings")
            '2 of 5 postings shown; 3 do not pass every rule (languages 3).'
            >>> Exclusions(5, 4, {"kind": 1}, {}).sentence(2, "postings")
            '2 of 5 postings shown, the best of 4 that pass every rule; 1 does not (kind of work 1).'
        """
        text = f"{shown} of {self.considered} {noun} shown"
        if self.eligible > shown:
            text += f", the best of {self.eligible} that pass every rule"
        failed = self.considered - self.eligible
        if failed:
            rules = ", ".join(f"{RULE_WORDS[r]} {n}" for r, n in self.removed.items())
            several = "; some fail more than one" if sum(self.removed.values()) > failed else ""
            verb = ("does not" if failed == 1 else "do not") + ("" if self.eligible > shown else " pass every rule")
            text += f"; {failed} {verb} ({rules}{several})"
        return text + "."


RULE_WORDS = {"kind": "kind of work", "location": "city or remote", "work permit": "work permit",
              "languages": "languages", "availability": "start date",
              "relevance": "too far from the profile (no shared skill, or below the relevance floor)"}
