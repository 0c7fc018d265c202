"""Reading an uploaded document in a child process that is killed at the deadline.

PDFium and python-docx are C and lxml code that a thread cannot interrupt: a hostile or merely
slow PDF kept a worker thread busy after its request had been answered with a timeout. Here each
file is read by its own short-lived interpreter (`python -m service.extraction`: nothing of the
server's threads, locks or open database is inherited, and no helper process such as
multiprocessing's resource tracker is left behind); the parent waits at most `seconds`, then
kills and reaps the child, so no reader outlives its request. The file's bytes go to the child
on stdin and only its text (or the reason it has none) comes back on stdout; nothing is logged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from service.documents import DocumentError, Extracted, extract_text

_ROOT = str(Path(__file__).resolve().parents[1])  # the folder holding the `service` package
_BROKEN = "the document cannot be read (its reader stopped); upload a text PDF or DOCX, or paste the text"


class ReadTimeout(DocumentError):
    """The document took longer than the limit to read; its reader was killed."""


def extract_in_child(data: bytes, filename: str, *, seconds: float, max_pages: int,
                     max_unpacked: int) -> Extracted:
    """`extract_text` in a child process; `ReadTimeout` (and the child killed) after `seconds`,
    `DocumentError` for what `extract_text` refuses or a child that died without answering."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p))
    try:
        # subprocess.run kills and waits for the child when the time is up
        done = subprocess.run([sys.executable, "-m", "service.extraction", filename, str(max_pages),
                               str(max_unpacked)], input=data, capture_output=True, timeout=seconds, env=env,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadTimeout(f"the document took longer than {seconds:g} s to read; upload a smaller file or a DOCX, "
                          "or paste the text") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError as exc:  # killed (out of memory, a crash in PDFium): no answer
        raise DocumentError(_BROKEN) from exc
    if done.returncode == 0 and answer.get("text") is not None:
        return Extracted(answer["text"], answer["format"], answer.get("pages"))
    raise DocumentError(answer.get("refused") or _BROKEN)


def _main() -> int:
    """The child: bytes on stdin, one JSON object on stdout (the text, or why there is none)."""
    filename, max_pages, max_unpacked = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = sys.stdin.buffer.read()
    try:
        out = extract_text(data, filename, max_pages=max_pages, max_unpacked=max_unpacked)
        answer: dict = {"text": out.text, "format": out.format, "pages": out.pages}
    except DocumentError as exc:
        answer = {"refused": str(exc)}
    except Exception:  # noqa: BLE001 — a reader crash is the file's fault; nothing of the content is sent back
        answer = {"refused": "the document cannot be read (damaged content); upload a text PDF or DOCX, "
                             "or paste the text"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
