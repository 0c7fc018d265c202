"""Structured logs: one JSON object a line when `BRIDGEMATCH_LOG_JSON=true`, for log shippers.

Off by default (people read a terminal). On, the root logger writes JSON to stderr and
uvicorn's own loggers (`uvicorn.error`, `uvicorn.access`) hand their records up to it, so
every line — ours and the server's — has the same fields: time, level, logger, message,
and the exception when there is one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

JSON_HANDLER = "bridgematch-json"


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(json_logs: bool, level: int = logging.INFO) -> None:
    """Send every log record to stderr as JSON (once per process; a second call changes nothing)."""
    if not json_logs:
        return
    root = logging.getLogger()
    if any(h.get_name() == JSON_HANDLER for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(JSON_HANDLER)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
