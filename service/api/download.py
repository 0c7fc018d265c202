"""A file to download (CSV, iCalendar), as the routes and pages both answer with it."""

from __future__ import annotations

from fastapi import Response


def attachment(content: str, media_type: str, filename: str) -> Response:
    """`content` served as `filename`: the browser saves it instead of showing it."""
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
