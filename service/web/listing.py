"""Whole lists through the API's paged list routes (so scope and audit stay the API's)."""

from __future__ import annotations

from collections.abc import Callable

from service.api import candidates, postings
from service.schemas import CandidateOut, PostingOut
from service.web.page import Page


def _all(page: Page, endpoint: Callable) -> list:
    items, offset = [], 0
    while True:
        chunk = page.call(endpoint, offset=offset, limit=500)
        items += chunk.items
        offset += len(chunk.items)
        if not chunk.items or offset >= chunk.total:
            return items


def all_graduates(page: Page) -> list[CandidateOut]:
    return _all(page, candidates.list_candidates)


def all_postings(page: Page) -> list[PostingOut]:
    return _all(page, postings.list_postings)


def company_names(page: Page) -> list[str]:
    return sorted({p.company for p in all_postings(page)}, key=str.casefold)
