"""Why a graduate got no seat, as reason codes with the data a sentence needs.

The service writes the sentence in the reader's language ("no seat in Barcelona for
traineeships", "needs Spanish B1"); here only codes and values, so that every export and page
says the same thing. Codes:

``taken``         some seat fitted, but every such seat went to someone ranked higher for it;
``kind``          no seat of the kinds the graduate looks for (``kinds``, ``city``);
``location``      no seat in the graduate's city or remote (``city``);
``work permit``   the seats need a work permit;
``languages``     a language level is too low (``language``, ``level``: the lowest level asked);
``availability``  available after the seats start;
``consent``       the graduate has not agreed to be shown to companies.
"""

from __future__ import annotations

from matching.cefr.levels import CEFR, language_fit
from matching.records.profiles import CandidateProfile, PostingRecord


def unplaced_codes(candidate: CandidateProfile, postings: list[PostingRecord],
                   reasons: list[list[str]]) -> list[dict[str, str]]:
    """Reason codes for a graduate without a seat; `reasons[j]` are the filter reasons
    (`matching.filters.reference`, "rule: details") that keep them out of `postings[j]`."""
    if not postings or any(not r for r in reasons):
        return [{"code": "taken"}]
    rules = {reason.split(":", 1)[0] for r in reasons for reason in r}
    city = candidate.location or ""
    out: list[dict[str, str]] = []
    for rule in ("consent", "kind", "location", "work permit", "languages", "availability"):
        if rule not in rules:
            continue
        if rule == "kind":
            out.append({"code": rule, "kinds": ", ".join(k.value for k in candidate.kinds), "city": city})
        elif rule == "location":
            out.append({"code": rule, "city": city})
        elif rule == "languages":
            short = [f for p in postings for f in language_fit(candidate.languages, p.languages) if not f.ok]
            if not short:
                out.append({"code": rule})
                continue
            lowest = min(short, key=lambda f: (CEFR(f.required).rank, f.code))
            out.append({"code": rule, "language": lowest.code, "level": lowest.required})
        else:
            out.append({"code": rule})
    return out
