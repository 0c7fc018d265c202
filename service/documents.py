"""Plain text out of an uploaded CV or job ad: PDF (pypdfium2), DOCX (python-docx) or text.

Nothing here stores or logs a document's content: the bytes come in, text
goes out, and errors name what is wrong with the file, never what is in it.
Each error is a `DocumentError`, which the service answers with 422:

* a PDF without a text layer (a scan, a photo) → "no text found; upload a text
  PDF or DOCX, or paste the text" — intake does no OCR;
* an encrypted, corrupt or unknown file → what it is and what to send instead.

A two-column PDF page is read column by column: when no character crosses a
vertical gutter in the middle of the page, the left column is read before the
right one (PDFium alone reads across both, mixing the lines).

PDFium is not thread-safe, so PDF reading is serialised by a lock; the service
calls `extract_text` in a child process killed at a time limit (`service.extraction`).
"""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import dataclass

NO_TEXT = "no text found; upload a text PDF or DOCX, or paste the text"
_PDFIUM = threading.Lock()
MIN_LETTERS = 20


class DocumentError(ValueError):
    """The document cannot be read; the message says why and what to send instead."""


@dataclass(frozen=True)
class Extracted:
    text: str
    format: str  # "pdf", "docx", "txt" or "text" (pasted)
    pages: int | None = None


def sniff(data: bytes, filename: str = "") -> str:
    """The format by content (the name only breaks ties): pdf, docx or txt."""
    head = data[:8]
    name = filename.lower()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError("this is an old Word (.doc) file; save it as DOCX or PDF, or paste the text")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF")):
        raise DocumentError(f"this is an image: {NO_TEXT}")
    if name.endswith((".pdf", ".docx")):
        raise DocumentError(f"the file is named {name.rsplit('.', 1)[-1].upper()} but is not one (corrupt?); "
                            "upload a text PDF or DOCX, or paste the text")
    return "txt"


def extract_text(data: bytes, filename: str = "", *, max_pages: int = 50, max_unpacked: int = 50_000_000) -> Extracted:
    """Text of a document; raises `DocumentError` when there is none or the file cannot be read."""
    if not data.strip():
        raise DocumentError("the file is empty; upload a text PDF or DOCX, or paste the text")
    fmt = sniff(data, filename)
    if fmt == "pdf":
        text, pages = _pdf(data, max_pages)
        result = Extracted(text, "pdf", pages)
    elif fmt == "docx":
        result = Extracted(_docx(data, max_unpacked), "docx")
    else:
        result = Extracted(decode_text(data), "txt")
    if sum(ch.isalpha() for ch in result.text) < MIN_LETTERS:
        raise DocumentError(NO_TEXT)
    return result


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252, else Latin-1 (never fails)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise DocumentError("this is a binary file, not text; upload a text PDF or DOCX, or paste the text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf(data: bytes, max_pages: int) -> tuple[str, int]:
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise DocumentError("the PDF is encrypted (password protected); remove the password, "
                                    "upload a DOCX, or paste the text") from exc
            raise DocumentError("the PDF cannot be read (corrupt or not a PDF); upload a text PDF or DOCX, "
                                "or paste the text") from exc
        try:
            count = len(pdf)
            if count > max_pages:
                raise DocumentError(f"the PDF has {count} pages; a CV or job ad has at most {max_pages}")
            pages = []
            for index in range(count):
                page = pdf[index]
                try:
                    pages.append(_page_text(page))
                finally:
                    page.close()
            return "\n\n".join(pages), count
        except pdfium.PdfiumError as exc:
            raise DocumentError("the PDF cannot be read (damaged page); upload a DOCX or paste the text") from exc
        finally:
            pdf.close()


def _page_text(page) -> str:  # type: ignore[no-untyped-def]
    """One page's text, column by column when the page has two."""
    textpage = page.get_textpage()
    try:
        width, height = page.get_width(), page.get_height()
        found = _gutter(textpage, width)
        if found is None:
            return textpage.get_text_bounded()
        gutter, below = found  # lines crossing the gutter (a name across the top) are read whole first
        below = min(below, height)
        header = textpage.get_text_bounded(left=0, bottom=below, right=width, top=height) if below < height else ""
        left = textpage.get_text_bounded(left=0, bottom=0, right=gutter, top=below)
        right = textpage.get_text_bounded(left=gutter, bottom=0, right=width, top=below)
        return "\n".join(part for part in (header, left, right) if part.strip())
    finally:
        textpage.close()


def _gutter(textpage, width: float, *, min_gap: float = 12.0) -> tuple[float, float] | None:  # type: ignore[no-untyped-def]
    """(x of an empty vertical band in the middle 25–75 % of the page with a column on each side,
    y below which the columns start).

    A few characters may cross it (a full-width name line at the top): at most 2 % of the page's;
    the columns start below the lowest of them.
    """
    count = textpage.count_chars()
    if count < 40 or width <= 0:
        return None
    lo, hi = int(width * 0.25), int(width * 0.75)
    covered = [0] * (hi - lo + 1)
    boxes = []
    for i in range(count):
        x0, bottom, x1, _ = textpage.get_charbox(i)
        if x1 <= x0:
            continue
        boxes.append((x0, x1, bottom))
        for x in range(max(int(x0), lo), min(int(x1) + 1, hi + 1)):
            covered[x - lo] += 1
    best = (0, 0)
    for allowed in (0, max(2, int(len(boxes) * 0.02))):  # a clean gutter first, else one a few cross
        run = 0
        for i, hits in enumerate(covered):
            run = run + 1 if hits <= allowed else 0
            if run > best[0]:
                best = (run, i - run + 1)
        if best[0] >= min_gap:
            break
    if best[0] < min_gap:
        return None
    start, end = lo + best[1], lo + best[1] + best[0]
    left = sum(1 for x0, x1, _ in boxes if x1 <= start)
    right = sum(1 for x0, x1, _ in boxes if x0 >= end)
    if left < len(boxes) * 0.2 or right < len(boxes) * 0.2:
        return None
    middle = (start + end) / 2
    crossing = [bottom for x0, x1, bottom in boxes if x0 < middle < x1]
    return middle, (min(crossing) - 0.5 if crossing else 1e9)


def _docx(data: bytes, max_unpacked: int) -> str:
    """Paragraphs and tables in document order (see `_table_lines` for tables)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise DocumentError("this ZIP file is not a Word document; upload a text PDF or DOCX, "
                                    "or paste the text")
            if any(info.flag_bits & 0x1 for info in archive.infolist()):
                raise DocumentError("the DOCX is encrypted; remove the password or paste the text")
            if sum(info.file_size for info in archive.infolist()) > max_unpacked:
                raise DocumentError(f"the DOCX unpacks to more than {max_unpacked} bytes")
    except zipfile.BadZipFile as exc:
        raise DocumentError("the DOCX cannot be read (corrupt file); upload a text PDF or paste the text") from exc
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors for broken parts
        raise DocumentError("the DOCX cannot be read (damaged content); upload a text PDF or paste the text") from exc
    return "\n".join(lines)


def _table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    """A layout table (one or two rows of two or three wide cells) column by column; a data table
    ("Language | Level") row by row, its cells joined by " — " so each row stays one line."""
    rows = [row.cells for row in table.rows]
    columns = max((len(cells) for cells in rows), default=0)
    seen: list[object] = []

    def fresh(cell) -> bool:  # type: ignore[no-untyped-def]  # merged cells repeat
        if any(tc is cell._tc for tc in seen):
            return False
        seen.append(cell._tc)
        return True

    lines: list[str] = []
    if len(rows) <= 2 and 2 <= columns <= 3:
        for col in range(columns):
            for cells in rows:
                if col < len(cells) and fresh(cells[col]):
                    lines.extend(p.text for p in cells[col].paragraphs)
                    lines.append("")
        return lines
    for cells in rows:
        texts = [" ".join(p.text for p in cell.paragraphs).strip() for cell in cells if fresh(cell)]
        lines.append(" — ".join(t for t in texts if t))
    return lines
