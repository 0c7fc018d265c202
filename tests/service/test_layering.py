"""Only the storage modules write SQL (#18): no other module of `service/` imports SQLAlchemy's
query builders or runs statements on a session, so every query of an aggregate is in one place
(`service/storage/<aggregate>.py`) and a use case only opens the transaction."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"
ALLOWED = {"db.py", "migrate.py"}  # tables, engine and migrations
BUILDERS = {"select", "insert", "update", "delete", "func", "text", "union", "exists"}
STATEMENTS = {"execute", "scalar", "scalars", "get", "add", "add_all", "delete", "query", "merge"}


def _outside_storage() -> list[Path]:
    return [p for p in sorted(SERVICE.rglob("*.py"))
            if "storage" not in p.relative_to(SERVICE).parts[:1] and p.relative_to(SERVICE).as_posix() not in ALLOWED]


def _receiver(node: ast.expr) -> str:
    """`session` for `session.x(…)` and for `self.session.x(…)`."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def sql_uses(source: str) -> list[str]:
    """Each import of a query builder from sqlalchemy and each statement run on a session
    (a name or attribute ending in `session`), as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            dialect = "dialects" in (node.module or "")
            found += [f"{node.lineno}: from {node.module} import {a.name}" for a in node.names
                      if a.name in BUILDERS or dialect]
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name == "sqlalchemy"]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STATEMENTS
              and _receiver(node.func.value).endswith("session")):
            found.append(f"{node.lineno}: {_receiver(node.func.value)}.{node.func.attr}(…)")
    return found


def test_the_check_sees_sql() -> None:
    """The checker itself finds what it must refuse, and lets storage calls through."""
    source = ("from sqlalchemy import select, update\nfrom sqlalchemy.orm import Session\n"
              "def f(session):\n    session.scalar(select(X))\n    session.add(X())\n"
              "    fairs.get(session, 1)\n    self.session.execute(q)\n")
    assert sql_uses(source) == ["1: from sqlalchemy import select", "1: from sqlalchemy import update",
                                "4: session.scalar(…)", "5: session.add(…)", "7: session.execute(…)"]


def test_only_storage_modules_touch_sql() -> None:
    modules = _outside_storage()
    assert len(modules) > 50  # the walk really covers the service tree
    offenders = {p.relative_to(SERVICE).as_posix(): uses for p in modules
                 if (uses := sql_uses(p.read_text(encoding="utf-8")))}
    assert offenders == {}, f"SQL outside service/storage: {offenders}"


def test_storage_has_a_module_per_aggregate() -> None:
    names = {p.stem for p in (SERVICE / "storage").glob("*.py")}
    assert {"records", "embeddings", "changes", "companies", "organisations", "tokens", "interviews",
            "fairs", "outcomes", "audit_log", "blend_models"} <= names
