"""The page language a person chose (`service.db.PageLanguageRow`)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.db import PageLanguageRow


def get(session: Session, person: str) -> str | None:
    row = session.get(PageLanguageRow, person)
    return row.lang if row is not None else None


def put(session: Session, person: str, lang: str) -> None:
    row = session.get(PageLanguageRow, person)
    if row is None:
        session.add(PageLanguageRow(person=person, lang=lang))
    else:
        row.lang = lang


def delete_for_candidate(session: Session, candidate_id: int) -> None:
    session.execute(delete(PageLanguageRow).where(PageLanguageRow.person == f"graduate:{candidate_id}"))
