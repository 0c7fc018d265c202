"""`fair plan FILE` (an interview schedule) and `place FILE` (traineeship seats, two methods side by side)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matching.records.sides import Side
from service.cli.common import DEFAULT_ORG, console, err, opened, read_description

fair_app = typer.Typer(help="Job fairs.", no_args_is_help=True)


@fair_app.command("plan")
def fair_plan(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or YAML fair description")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the schedule as CSV")] = None,
    ics_out: Annotated[Path | None, typer.Option("--ics", help="Write the schedule as iCalendar")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = DEFAULT_ORG,
) -> None:
    """Plan a fair from a description (the body of POST /fairs) and print the grid."""
    from pydantic import ValidationError

    from matching.fair.schedule import FairRulesConflict
    from service.auth import ensure_organisation
    from service.calendar import schedule_csv, schedule_ics
    from service.fair_specs import FairIn
    from service.fairs import FairInputError, normalise_spec, plan

    try:
        spec = FairIn.model_validate(read_description(file))
    except (ValueError, ValidationError) as exc:
        err.print(f"[red]invalid fair description:[/] {exc}")
        raise typer.Exit(1) from exc
    with opened(writer=False) as matcher, matcher.sessions() as session:
        org_id = ensure_organisation(session, org)
        try:
            spec = normalise_spec(matcher, session, org_id, spec)
            schedule = plan(matcher, session, org_id, spec)
        except (FairRulesConflict, FairInputError) as exc:
            err.print(f"[red]cannot plan:[/] {exc}")
            raise typer.Exit(1) from exc
        names = {int(g): matcher.get(Side.candidates, int(g)).name for g in spec.graduates}  # type: ignore[union-attr]
    _print_fair(spec, schedule, names)
    if csv_out:
        csv_out.write_text(schedule_csv(schedule["meetings"], names), encoding="utf-8")
    if ics_out:
        ics_out.write_text(schedule_ics(0, spec.name, schedule["meetings"], names), encoding="utf-8")


def _print_fair(spec, schedule: dict, names: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=spec.name)
    table.add_column("slot")
    companies = [c.company for c in spec.companies]
    for name in companies:
        table.add_column(name)
    starts = spec.slot_times()
    for slot, start in enumerate(starts):
        cells = []
        for company in companies:
            who = [names.get(m["graduate_id"], str(m["graduate_id"])) for m in schedule["meetings"]
                   if m["slot"] == slot and m["company"] == company]
            cells.append("\n".join(who))
        table.add_row(f"{slot + 1} · {start:%H:%M}", *cells)
    console.print(table)
    r = schedule["report"]
    console.print(
        f"total score {r['total_score']:.3f} ({r['status']}, gap {100 * r['gap']:.2f} %), meetings per graduate "
        f"min {r['meetings_min']} / median {r['meetings_median']} / max {r['meetings_max']}, "
        f"without any meeting: {len(r['graduates_without_meeting'])}, price of the minimum rule: "
        f"{r['price_of_fairness'] if r['price_of_fairness'] is not None else 'n/a'}"
    )
    for warning in r["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}")


def place_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or YAML (body of POST /placements)")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write both assignments as CSV")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = DEFAULT_ORG,
) -> None:
    """Place graduates into traineeship seats: stable vs welfare-maximising, side by side."""
    from pydantic import ValidationError

    from matching.placement.assign import PlacementError
    from service.auth import ensure_organisation
    from service.fair_specs import PlacementIn
    from service.fairs import FairInputError
    from service.placements import place

    try:
        spec = PlacementIn.model_validate(read_description(file))
    except (ValueError, ValidationError) as exc:
        err.print(f"[red]invalid placement description:[/] {exc}")
        raise typer.Exit(1) from exc
    with opened(writer=False) as matcher:
        with matcher.sessions.begin() as session:
            org_id = ensure_organisation(session, org)
        try:
            result = place(matcher, org_id, spec)
        except (FairInputError, PlacementError) as exc:
            err.print(f"[red]cannot place:[/] {exc}")
            raise typer.Exit(1) from exc
        names = {g: matcher.get(Side.candidates, g).name for k in ("stable", "welfare")  # type: ignore[union-attr]
                 for g in [a["graduate_id"] for a in result[k]["assignments"]] + result[k]["unplaced"]}
        titles = {p: matcher.get(Side.postings, p) for p in {a["posting_id"] for k in ("stable", "welfare")
                                                              for a in result[k]["assignments"]}}
    table = Table(title="placement")
    for col in ("method", "score", "placed", "blocking pairs", "mean rank"):
        table.add_column(col)
    for row in result["comparison"]:
        table.add_row(row["method"], f"{row['total_score']:.3f}", str(row["placed"]),
                      str(row["blocking_pairs"]), f"{row['mean_rank']:.2f}")
    console.print(table)
    for gid, why in result["stable"]["unplaced_reasons"].items():
        console.print(f"not placed (stable): {names.get(int(gid), '')} (graduate {gid}): {why}")
    if csv_out:
        csv_out.write_text(_placement_csv(result, names, titles), encoding="utf-8")


def _placement_csv(result: dict, names: dict[int, str], postings: dict) -> str:
    """Both methods' seats with names beside ids, then each unplaced graduate with the reason."""
    import csv
    import io

    from service.calendar import spreadsheet_safe as _cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["method", "graduate_id", "graduate", "posting_id", "posting", "company", "score", "reason"])
    for kind in ("stable", "welfare"):
        for a in result[kind]["assignments"]:
            post = postings[a["posting_id"]]
            writer.writerow([_cell(v) for v in (kind, a["graduate_id"], names.get(a["graduate_id"], ""),
                                                a["posting_id"], post.title, post.company, a["score"], "")])
        for gid in result[kind]["unplaced"]:
            writer.writerow([_cell(v) for v in (kind, gid, names.get(gid, ""), "", "", "", "",
                                                result[kind]["unplaced_reasons"].get(str(gid), ""))])
    return buffer.getvalue()
