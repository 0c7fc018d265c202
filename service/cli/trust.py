"""`init`, `token create`, `company create|list`: organisations, companies and API tokens.

Rows only, so these open the database alone (`common.stored`): no model, no index.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from matching.records.sides import Side
from service.cli.common import DEFAULT_ORG, console, err, stored

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
company_app = typer.Typer(help="Companies of an organisation (a company token names one).", no_args_is_help=True)


def init_cmd(
    org: Annotated[str, typer.Option(help="Organisation (coding school) name.")] = DEFAULT_ORG,
) -> None:
    """Create the organisation and print its first coordinator token (once)."""
    from service.usecases.first_start import init

    with stored() as storage:
        _, secret = init(storage, org)
    if secret:
        console.print(f"first coordinator token (shown once, stored hashed): [bold]{secret}[/]")
    else:
        console.print("this organisation already has a coordinator token; use `bridgematch token create`")


class TokenRole(str, Enum):
    coordinator = "coordinator"
    company = "company"
    graduate = "graduate"


@token_app.command("create")
def token_create(
    role: Annotated[TokenRole, typer.Option("--role")],
    company: Annotated[str | None, typer.Option(help="Company name (role company).")] = None,
    candidate_id: Annotated[int | None, typer.Option(help="Graduate's id (role graduate).")] = None,
    org: Annotated[str, typer.Option(help="Organisation name.")] = DEFAULT_ORG,
    label: str = "",
) -> None:
    """Issue an API token; the secret is printed once and stored hashed."""
    from service.auth import Role, ensure_organisation, issue_token
    from service.companies import UnknownCompanyError, require_company

    if role is TokenRole.company and not company:
        err.print("a company token needs --company NAME")
        raise typer.Exit(1)
    with stored() as storage:
        if role is TokenRole.graduate and (
            candidate_id is None or not storage.exists(Side.candidates, candidate_id)
        ):
            err.print("a graduate token needs --candidate-id of an existing graduate")
            raise typer.Exit(1)
        with storage.sessions.begin() as session:
            org_id = ensure_organisation(session, org)
            try:
                company_id = require_company(
                    session, org_id=org_id, name=company.strip(),
                    fix=f"Create it first with `bridgematch company create {company.strip()!r}`",
                ) if company and role is TokenRole.company else None
            except UnknownCompanyError as exc:
                err.print(escape(str(exc)), soft_wrap=True)
                raise typer.Exit(1) from exc
            _, secret = issue_token(session, role=Role(role.value), org_id=org_id, company_id=company_id,
                                    candidate_id=candidate_id if role is TokenRole.graduate else None, label=label)
    typer.echo(secret)


@company_app.command("create")
def company_create(
    name: Annotated[str, typer.Argument(help="The company's name, as its postings will show it.")],
    org: Annotated[str, typer.Option(help="Organisation name.")] = DEFAULT_ORG,
) -> None:
    """Create a company (then `token create --role company --company NAME`)."""
    from service.auth import ensure_organisation
    from service.companies import create_company
    from service.storage.records import ConflictError

    name = name.strip()
    if not name or len(name) > 200:
        err.print("a company name needs 1 to 200 characters")
        raise typer.Exit(1)
    with stored() as storage:
        try:
            with storage.sessions.begin() as session:
                company_id = create_company(session, org_id=ensure_organisation(session, org), name=name)
        except ConflictError as exc:
            err.print(escape(str(exc)), soft_wrap=True)
            raise typer.Exit(1) from exc
    console.print(f"created company {company_id}: {escape(name)}", soft_wrap=True)


@company_app.command("list")
def company_list(org: Annotated[str, typer.Option(help="Organisation name.")] = DEFAULT_ORG) -> None:
    """The organisation's companies, by name."""
    from service.auth import ensure_organisation
    from service.companies import list_companies

    with stored() as storage, storage.sessions.begin() as session:
        rows = [(r.id, r.name) for r in list_companies(session, org_id=ensure_organisation(session, org))]
    table = Table(title=f"companies of {org}")
    table.add_column("id")
    table.add_column("name")
    for company_id, name in rows:
        table.add_row(str(company_id), escape(name))
    console.print(table)
