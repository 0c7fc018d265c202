"""First start: an organisation, its first coordinator token, and the demo's tokens."""

from __future__ import annotations

import json
import os
from pathlib import Path

from matching.records.sides import Side
from service.auth import Role, ensure_organisation, issue_token
from service.companies import UnknownCompanyError, require_company
from service.storage import HasSessions, records
from service.storage import tokens as token_rows

DEFAULT_ORG = "Demo coding school"
DEMO_COMPANY = "Sol Digital SL"


def init(matcher: HasSessions, org_name: str = DEFAULT_ORG) -> tuple[int, str | None]:
    """Ensure the organisation exists; issue a coordinator token if it has none (returned once).

    Rows only: a `Matcher` or a bare `service.storage.Storage` will do."""
    with matcher.sessions.begin() as session:
        org_id = ensure_organisation(session, org_name)
        if token_rows.has_live(session, org_id=org_id, role=Role.coordinator.value):
            return org_id, None
        _, secret = issue_token(session, role=Role.coordinator, org_id=org_id, label="first coordinator")
    return org_id, secret


def demo_tokens(matcher: HasSessions, org_id: int, path: Path) -> dict[str, str]:
    """Tokens to try the demo as each role, written once to `path` (readable by the owner only).

    The company token is for the demo's "Sol Digital SL", which `load_demo` created; none is
    made (and no company created) when that company does not exist.
    """
    if path.exists():
        return json.loads(path.read_text())
    with matcher.sessions.begin() as session:
        _, coordinator = issue_token(session, role=Role.coordinator, org_id=org_id, label="demo coordinator")
        tokens = {"coordinator": coordinator}
        try:
            company_id = require_company(session, org_id=org_id, name=DEMO_COMPANY)
        except UnknownCompanyError:
            company_id = None
        if company_id is not None:
            _, tokens[f"company ({DEMO_COMPANY})"] = issue_token(
                session, role=Role.company, org_id=org_id, company_id=company_id, label=f"demo company {DEMO_COMPANY}")
        graduate_id = records.id_by_external(session, side=Side.candidates, org_id=org_id, external_id="g001")
        if graduate_id is not None:
            _, graduate = issue_token(session, role=Role.graduate, org_id=org_id, candidate_id=graduate_id,
                                      label="demo graduate g001")
            tokens[f"graduate (candidate {graduate_id})"] = graduate
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(tokens, handle, indent=1)
    return tokens
