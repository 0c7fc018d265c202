"""Page helpers shared by several page test modules: a form POST with its CSRF token, ids by external id."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.service.web.conftest import csrf_of


def post_form(client: TestClient, form_page: str, url: str, data: dict, **kwargs: object):  # type: ignore[no-untyped-def]
    """POST a form the way the page would: with the CSRF token found on `form_page`."""
    token = csrf_of(client.get(form_page).text)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)


def ids_of(app_client: TestClient, token: str, side: str) -> dict[str, int]:
    items = app_client.get(f"/{side}", params={"limit": 500}, headers=auth(token)).json()["items"]
    return {item["external_id"]: item["id"] for item in items}
