"""Who may run a use case, declared once, where the use case is defined.

`@allowed(Role.coordinator, Role.company)` refuses any other caller (`service.errors.Forbidden`,
403) and records the roles on the function. A route takes its principal dependency from them
(`caller(use_case)`: the same `require(...)` OpenAPI's `x-roles` and the access test read), and a
page calls the use case itself with its own principal, so both are refused by the same rule.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends

from service.auth import Principal, Role, require
from service.errors import Forbidden

F = TypeVar("F", bound=Callable[..., Any])


def allowed(*roles: Role) -> Callable[[F], F]:
    """Refuse callers whose role is not one of `roles`; the function's `principal` argument is the caller."""
    names = tuple(sorted(r.value for r in roles))
    permitted = frozenset(roles)

    def declare(fn: F) -> F:
        position = list(inspect.signature(fn).parameters).index("principal")

        def caller_of(args: tuple, kwargs: dict) -> Principal:
            return kwargs["principal"] if "principal" in kwargs else args[position]

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                if caller_of(args, kwargs).role not in permitted:
                    raise Forbidden(names)
                return await fn(*args, **kwargs)
            checked: Any = run_async
        else:
            @functools.wraps(fn)
            def run(*args: Any, **kwargs: Any) -> Any:
                if caller_of(args, kwargs).role not in permitted:
                    raise Forbidden(names)
                return fn(*args, **kwargs)
            checked = run
        checked.roles = names
        return checked  # type: ignore[no-any-return]

    return declare


def roles_of(*use_cases: Callable) -> tuple[str, ...]:
    """The roles that may run every one of `use_cases` (a route or page running several needs all)."""
    found = set(use_cases[0].roles)  # type: ignore[attr-defined]
    for case in use_cases[1:]:
        found &= set(case.roles)  # type: ignore[attr-defined]
    return tuple(sorted(found))


def caller(*use_cases: Callable) -> Any:
    """A route's principal dependency, from the roles its use cases declare: the route refuses other
    roles before reading its body, and `declared_roles` (OpenAPI `x-roles`) reads the same roles."""
    return Annotated[Principal, Depends(require(*(Role(r) for r in roles_of(*use_cases))))]


def check(principal: Principal, *use_cases: Callable) -> None:
    """Refuse (403) a caller who may not run `use_cases`, before a page reads anything for them."""
    roles = roles_of(*use_cases)
    if principal.role.value not in roles:
        raise Forbidden(roles)
