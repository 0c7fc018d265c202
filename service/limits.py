"""Refuse oversized request bodies with 413 before anything reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths that take a file: bulk imports and document drafts get the upload limit, the rest the body limit.
UPLOAD_PATHS = (":import", ":draft")


class BodyLimitMiddleware:
    """Counts bytes as they arrive, so a missing or lying Content-Length cannot get past it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if scope["path"].endswith(UPLOAD_PATHS) else self.max_bytes
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        # more than 18 digits is over any limit (and over 4,300, int() would refuse to read it)
        if declared is not None and declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
            await _reject(send, limit)
            return
        seen = 0
        too_large = False
        answered = False

        async def counted() -> Message:
            nonlocal seen, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Tell the app the client went away: it never sees a complete (so never a
                    # truncated-but-valid) body, and whatever it answers is replaced by a 413.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if not too_large:
                await send(message)
            elif not answered and message["type"] == "http.response.start":
                answered = True
                await _reject(send, limit)

        await self.app(scope, counted, guarded_send)
        if too_large and not answered:
            await _reject(send, limit)


async def _reject(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body is larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
