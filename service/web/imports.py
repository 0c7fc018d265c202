"""Imports from the pages: the API's parser and limits, run in a thread that reports progress.

The file is read and validated exactly as `POST /candidates:import` does (`read_upload`,
all rows or none); the insert then runs in the background so the page can show how far
encoding has got. Without JavaScript the form simply waits for the end.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field

from starlette.datastructures import UploadFile

from matching.records.sides import Record, Side
from service.api.uploads import read_upload
from service.usecases import candidates, postings
from service.web.page import API_ERRORS, Page, PageError, api_error


@dataclass
class ImportJob:
    side: Side
    total: int
    next_url: str
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    state: str = "running"
    done: int = 0
    message: str = ""
    imported: int = 0
    thread: threading.Thread | None = None

    def status(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total, "message": self.message,
                "next": self.next_url}


log = logging.getLogger(__name__)
IMPORT = {Side.candidates: candidates.import_records, Side.postings: postings.import_records}
WHAT = {Side.candidates: "graduates", Side.postings: "postings"}


async def read_file(page: Page, side: Side, upload: object) -> list[Record]:
    """The uploaded rows, validated; refusals (bad rows, too large, wrong format) as PageErrors."""
    try:
        page.allow(IMPORT[side])
    except API_ERRORS as exc:
        raise api_error(exc) from exc  # a PageError: the import form's JavaScript reads it as JSON
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise PageError(422, "Choose a CSV, Parquet or JSON file to import.")
    try:
        return await read_upload(upload, None, side, page.request.app.state.settings)
    except API_ERRORS as exc:
        raise api_error(exc) from exc


PAGE_FIX = "Create the companies first (New company, above), or tick “Create the companies” and import again"


def check_companies(page: Page, side: Side, records: list[Record], create_companies: bool) -> None:
    """As the API's import does before encoding: every posting names an existing company, unless ticked."""
    if side is Side.postings:
        try:
            postings.check_import(page.matcher, page.principal, records, create_companies=create_companies,
                                  fix=PAGE_FIX)
        except API_ERRORS as exc:
            raise api_error(exc) from exc


def start(page: Page, side: Side, records: list[Record], next_url: str, create_companies: bool = False) -> ImportJob:
    """Insert in a background thread; the job is kept in the caller's session only."""
    job = ImportJob(side=side, total=len(records), next_url=next_url,
                    message=f"Encoding {len(records)} {WHAT[side]}…")

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        job.message = f"Encoded {done} of {total} {WHAT[side]}…"

    def run() -> None:
        try:
            options = {"create_companies": create_companies} if side is Side.postings else {}
            report = IMPORT[side](page.matcher, page.principal, records, progress=progress, **options)
        except Exception as exc:  # all or nothing: whatever failed, nothing was written
            if not isinstance(exc, API_ERRORS):
                log.exception("import %s failed", job.id)
            job.message = f"Nothing imported: {api_error(exc).message}"
            job.state = "failed"
            return
        job.imported = report.imported
        job.done = job.total
        job.message = f"Imported {report.imported} {WHAT[side]}."
        job.state = "done"

    jobs = page.web.data.setdefault("imports", {})
    jobs[job.id] = job
    job.thread = threading.Thread(target=run, name=f"import-{job.id}", daemon=True)
    job.thread.start()
    return job
