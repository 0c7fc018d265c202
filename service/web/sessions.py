"""Server-side sessions for the pages: a random id in a cookie, the API token kept in memory.

The browser holds only `bm_session`, an opaque id (HttpOnly, SameSite=Strict, Secure
over https); the bearer token it stands for never reaches the page again. Each session has
its own CSRF token (synchronizer pattern) that every form carries in a hidden field.
Sessions live in this process only: a restart logs everyone out, which is what a
single-writer service wants anyway.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "bm_session"
LOGIN_COOKIE = "bm_login"  # double-submit CSRF token for the log-in form (no session yet)
COOKIE_PATH = "/ui"
CSRF_FIELD = "csrf_token"


@dataclass
class WebSession:
    sid: str
    secret: str
    csrf: str
    expires: float
    data: dict = field(default_factory=dict)


class SessionStore:
    """Sessions by id with a sliding idle timeout and a bound on how many are kept.

    Example:
        >>> store = SessionStore(ttl=60)
        >>> s = store.create("bm_secret")
        >>> store.get(s.sid).secret
        'bm_secret'
    """

    def __init__(self, *, ttl: float = 8 * 3600, max_sessions: int = 10_000) -> None:
        self.ttl = ttl
        self.max_sessions = max_sessions
        self._items: OrderedDict[str, WebSession] = OrderedDict()
        self._lock = threading.Lock()

    def create(self, secret: str) -> WebSession:
        session = WebSession(secrets.token_urlsafe(32), secret, secrets.token_urlsafe(32), time.time() + self.ttl)
        with self._lock:
            self._items[session.sid] = session
            while len(self._items) > self.max_sessions:
                self._items.popitem(last=False)
        return session

    def get(self, sid: str | None) -> WebSession | None:
        if not sid:
            return None
        with self._lock:
            session = self._items.get(sid)
            if session is None:
                return None
            if session.expires < time.time():
                del self._items[sid]
                return None
            session.expires = time.time() + self.ttl
            self._items.move_to_end(sid)
            return session

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._items.pop(sid or "", None)


def same_secret(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
