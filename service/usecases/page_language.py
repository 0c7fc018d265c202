"""The page language a person chose, remembered with the person, not only in one browser.

A graduate who picks Українська on the school's computer should get Ukrainian on their own
phone too, where the sign-in link from the coordinator opens a browser that has never seen
the picker. The cookie stays the fast path; this row is what a fresh sign-in restores.
"""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from service.auth import Principal
from service.storage import page_languages


def person_key(principal: Principal) -> str:
    """Graduates and companies by who they are (any of their tokens); coordinators by token."""
    if principal.candidate_id is not None:
        return f"graduate:{principal.candidate_id}"
    if principal.company_id is not None:
        return f"company:{principal.company_id}"
    return f"token:{principal.token_id}"


def remember(sessions: sessionmaker, principal: Principal, lang: str) -> None:
    with sessions.begin() as session:
        page_languages.put(session, person_key(principal), lang)


def recall(sessions: sessionmaker, principal: Principal) -> str | None:
    with sessions() as session:
        return page_languages.get(session, person_key(principal))
