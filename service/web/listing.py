"""Whole lists through the paged list use cases (so scope and audit are the API's)."""

from __future__ import annotations

from collections.abc import Callable

from service.schemas import CandidateOut, PostingOut
from service.usecases import candidates, postings
from service.web.page import Page


def _all(page: Page, endpoint: Callable) -> list:
    items, offset = [], 0
    while True:
        chunk = endpoint(page.matcher, page.principal, offset=offset, limit=500)
        items += chunk.items
        offset += len(chunk.items)
        if not chunk.items or offset >= chunk.total:
            return items


def all_graduates(page: Page) -> list[CandidateOut]:
    return _all(page, candidates.list_page)


def all_postings(page: Page) -> list[PostingOut]:
    return _all(page, postings.list_page)


def company_names(page: Page) -> list[str]:
    return sorted({p.company for p in all_postings(page)}, key=str.casefold)
