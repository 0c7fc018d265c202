"""A slow or hostile document: its reader runs in a child process that is killed at the time limit,
so the request gets a clear 422 and no reader is left running after it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from service.documents import DocumentError
from service.extraction import ReadTimeout, extract_in_child
from tests.conftest import auth, settings_for
from tests.pdf_maker import lines_pdf, text_pdf

LIMIT = 0.2  # seconds; a reader child starts and reads a one-page CV in ~0.06 s


def expensive_pdf(pages: int = 50, rows: int = 160, columns: int = 4) -> bytes:
    """Pages packed with short words in four columns of tiny type: column detection looks at every
    character's box, so reading this takes seconds (1.7 s on a fast 2-core host, 2026-12-04, where
    the earlier 2-column version read in 0.43 s and slipped under a 0.5 s limit), far over LIMIT."""
    word = "Python Django SQL React "
    step = 560 // columns
    return text_pdf([[(30 + step * (i % columns), 830 - (i // columns) * 4, word) for i in range(rows * columns)]
                     for _ in range(pages)], size=3)


def children_of_this_process() -> list[int]:
    """Live (not zombie) child processes, read from /proc (no library needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_a_normal_pdf_is_read_in_a_child_that_then_exits() -> None:
    before = set(children_of_this_process())
    out = extract_in_child(lines_pdf(["Amina Haddad", "Skills: Python, Django, SQL"]), "cv.pdf", seconds=60,
                           max_pages=50, max_unpacked=10**7)
    assert out.format == "pdf" and "Django" in out.text
    assert set(children_of_this_process()) <= before


def test_what_the_reader_refuses_comes_back_as_its_reason() -> None:
    try:
        extract_in_child(b"%PDF-1.4 broken", "cv.pdf", seconds=60, max_pages=50, max_unpacked=10**7)
    except DocumentError as exc:
        assert "cannot be read" in str(exc) and not isinstance(exc, ReadTimeout)
    else:
        raise AssertionError("a broken PDF was read")


def test_a_slow_pdf_is_cut_off_at_the_limit_and_its_reader_killed() -> None:
    slow = expensive_pdf()
    before = set(children_of_this_process())
    started = time.monotonic()
    try:
        extract_in_child(slow, "slow.pdf", seconds=LIMIT, max_pages=50, max_unpacked=10**7)
    except ReadTimeout as exc:
        assert f"took longer than {LIMIT:g} s" in str(exc)
    else:
        raise AssertionError(f"the slow PDF was read within {LIMIT} s; make it slower")
    assert time.monotonic() - started < 5
    assert set(children_of_this_process()) <= before


def test_the_api_answers_a_slow_pdf_with_422_and_leaves_no_reader(tmp_path: Path, workdir: Path,  # type: ignore[no-untyped-def]
                                                                   database_url: str, tokens) -> None:
    from service.app import create_app

    settings = settings_for(workdir, database_url=database_url, intake_seconds=LIMIT)
    slow = expensive_pdf()
    with TestClient(create_app(settings), headers=auth(tokens["coordinator"])) as client:
        before = set(children_of_this_process())
        started = time.monotonic()
        answer = client.post("/candidates:draft", files={"file": ("slow.pdf", slow, "application/pdf")})
        assert answer.status_code == 422, answer.text[:300]
        assert f"took longer than {LIMIT:g} s to read" in answer.json()["detail"]
        assert time.monotonic() - started < 10
        assert set(children_of_this_process()) <= before
        quick = client.post("/candidates:draft", json={"text": "Amina Haddad\nSkills: Python, Django"})
        assert quick.status_code == 200  # pasted text needs no reader and is not held up
