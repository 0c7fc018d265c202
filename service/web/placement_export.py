"""Placement results in words and as CSV: one sentence per unplaced graduate, in the page language.

The service gives reason codes (`matching.placement.why`); the sentences are here, `N_`-marked,
so the page and its CSV export say the same thing in the reader's language.
"""

from __future__ import annotations

import io

import polars as pl

from service.web.i18n import N_, language_names
from service.web.i18n import REASONS as RULES
from service.web.page import tr

REASONS = {
    "taken": N_("every seat that fits went to a graduate ranked higher for it"),
    "kind": N_("no seat of the kind this graduate looks for (%(kinds)s)"),
    "location": N_("no seat in %(city)s or remote"),
    "work permit": N_("the seats need a work permit"),
    "languages": N_("needs %(language)s %(level)s"),
    "availability": N_("available only after the seats start"),
    "consent": N_("has not agreed to be shown to companies"),
}
NO_CITY = N_("no remote seat, and no city given")
LOW_LEVEL = RULES["languages"]
KINDS = {"job": N_("job"), "traineeship": N_("traineeship"), "internship": N_("internship")}
METHODS = ("stable", "welfare")


def reason_text(codes: list[dict[str, str]], lang: str) -> str:
    """The codes of one graduate as one line: "needs Spanish B1; no seat in Girona or remote"."""
    parts = []
    for code in codes:
        name = code.get("code", "")
        if name == "kind":
            kinds = ", ".join(tr(lang, KINDS.get(k.strip(), k.strip())) for k in code.get("kinds", "").split(","))
            parts.append(tr(lang, (REASONS[name], {"kinds": kinds})))
        elif name == "location":
            city = code.get("city", "")
            parts.append(tr(lang, (REASONS[name], {"city": city})) if city else tr(lang, NO_CITY))
        elif name == "languages":
            language = language_names(lang).get(code.get("language", ""), code.get("language", ""))
            parts.append(tr(lang, (REASONS[name], {"language": language, "level": code["level"]}))
                         if language else tr(lang, LOW_LEVEL))
        else:
            parts.append(tr(lang, REASONS[name]) if name in REASONS else name)
    return "; ".join(parts)


def reasons_by_method(result: dict, lang: str) -> dict[str, dict[int, str]]:
    """method → graduate id → the sentence why they got no seat (both methods)."""
    return {method: {int(g): reason_text(codes, lang) for g, codes in result[method].get("unplaced_why", {}).items()}
            for method in METHODS}


def placement_csv(result: dict, names: dict[int, str], postings: dict[int, tuple[str, str]], lang: str) -> bytes:
    """Both placements: one row per seat given, then one per unplaced graduate with the reason.
    Names beside ids; `postings` maps id → (title, company)."""
    reasons = reasons_by_method(result, lang)
    rows: list[dict[str, object]] = []
    for method in METHODS:
        for a in result[method]["assignments"]:
            title, company = postings.get(a["posting_id"], ("", ""))
            rows.append({"method": method, "graduate_id": a["graduate_id"], "graduate": _cell(names.get(a["graduate_id"], "")),
                         "posting_id": a["posting_id"], "posting": _cell(title), "company": _cell(company),
                         "score": a["score"], "reason": ""})
        for gid in result[method]["unplaced"]:
            rows.append({"method": method, "graduate_id": gid, "graduate": _cell(names.get(gid, "")), "posting_id": None,
                         "posting": "", "company": "", "score": None, "reason": reasons[method].get(gid, "")})
    schema = {"method": pl.String, "graduate_id": pl.Int64, "graduate": pl.String, "posting_id": pl.Int64,
              "posting": pl.String, "company": pl.String, "score": pl.Float64, "reason": pl.String}
    frame = pl.DataFrame(rows, schema=schema)
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet must not run a name as a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
