"""A planned fair's shortfalls as sentences a coordinator reads without knowing the solver.

The engine reports each shortfall as data (`matching.fair.notices`: kind, subject id, cause,
counts); here each becomes an `N_`-marked sentence with the person's or company's name, which
the page translates whole (`|tr`). Schedules stored before notices existed keep their
English warnings, with names for ids.
"""

from __future__ import annotations

from service.web.fair_view import readable_warnings
from service.web.i18n import N_

Message = tuple[str, dict[str, object]]

GRADUATE = {
    "absent": N_("%(name)s did not come; %(count)s instead of %(min)s."),
    "unavailable": N_("%(name)s is not free in any slot; %(count)s instead of %(min)s."),
    "few_slots": N_("%(name)s is free in too few slots; %(count)s instead of %(min)s."),
    "few_fits": N_("%(name)s has %(count)s instead of %(min)s: too few companies fit (work permit, languages or "
                   "agreement to be seen)."),
    "seats": N_("%(name)s has %(count)s instead of %(min)s: the companies that fit were full."),
}
COMPANY = {
    "few_fits": N_("%(company)s has %(free)s: too few graduates fit its openings."),
    "graduates_full": N_("%(company)s has %(free)s: the graduates who fit it already have enough meetings."),
}
MEETINGS = (N_("no meeting"), N_("1 meeting"), N_("%(n)s meetings"))
SEATS = (N_("1 free seat"), N_("%(n)s free seats"))
ERASED = "a graduate was erased after planning"
ERASED_NOTE = N_("A graduate was erased after planning.")


def meetings(n: int) -> Message:
    return (MEETINGS[min(n, 2)], {"n": n})


def free_seats(n: int) -> Message:
    return (SEATS[0 if n == 1 else 1], {"n": n})


def fair_messages(report: dict, names: dict[int, str]) -> list[Message | str]:
    """One sentence per shortfall, graduates first (fewest meetings first), then companies.

    A sentence is `(msgid, params)`; a param that is itself a `(msgid, params)` pair (a count
    such as "1 meeting") is translated by the page before it is put in (`tr_message`).
    """
    notices = report.get("notices")
    if notices is None:
        return [w for w in readable_warnings(report.get("warnings", []), names)]
    out: list[Message | str] = []
    people = sorted((n for n in notices if n["kind"] == "below_min"),
                    key=lambda n: (n["count"], names.get(int(n["subject"]), "").casefold()))
    for n in people:
        gid = int(n["subject"])
        if gid not in names:  # erased since planning
            continue
        out.append((GRADUATE.get(n["cause"], GRADUATE["seats"]),
                    {"name": names[gid], "count": meetings(n["count"]), "min": n["expected"]}))
    for n in (n for n in notices if n["kind"] == "free_seats"):
        out.append((COMPANY.get(n["cause"], COMPANY["graduates_full"]),
                    {"company": n["subject"], "free": free_seats(n["count"])}))
    if ERASED in report.get("warnings", []):
        out.append((ERASED_NOTE, {}))
    return out
