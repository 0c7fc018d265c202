"""Small PDFs written by hand for tests: text in the base-14 Helvetica font, an image-only page,
and an encrypted one. No PDF library in the project writes PDFs, and these stay byte-for-byte
what the test says: text at given positions, in the order given."""

from __future__ import annotations

Placed = tuple[float, float, str]  # x, y (points from the bottom left), text


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _assemble(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def text_pdf(pages: list[list[Placed]], *, size: float = 11, encrypt: bool = False) -> bytes:
    """One page per list of placed strings, A4, Helvetica."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages))).encode()
    font_number = 3 + 2 * len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))]
    for i, placed in enumerate(pages):
        content = b"".join(b"BT /F1 %g Tf %g %g Td (%s) Tj ET\n" % (size, x, y, _escape(t)) for x, y, t in placed)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font_number))
        objects.append(_stream(content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    extra = b""
    if encrypt:  # a standard security handler whose user password is not empty: readers ask for it
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>")
        extra = b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (len(objects), b"ab" * 16, b"ab" * 16)
    return _assemble(objects, extra)


def lines_pdf(lines: list[str], *, top: float = 800, step: float = 14, x: float = 50) -> bytes:
    """A one-column page of lines, top to bottom."""
    return text_pdf([[(x, top - i * step, line) for i, line in enumerate(lines)]])


def two_column_pdf(left: list[str], right: list[str], *, top: float = 800, step: float = 14) -> bytes:
    """Two columns written line by line across the page (left 1, right 1, left 2, …): a reader
    that follows the content stream mixes them."""
    placed: list[Placed] = []
    for i in range(max(len(left), len(right))):
        if i < len(left):
            placed.append((40, top - i * step, left[i]))
        if i < len(right):
            placed.append((330, top - i * step, right[i]))
    return text_pdf([placed], size=10)


def image_only_pdf() -> bytes:
    """A scan: one page holding a grey image and no text at all."""
    pixels = bytes((i * 7) % 256 for i in range(64 * 64))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
         b"/Resources << /XObject << /Im1 5 0 R >> >> >>"),
        _stream(b"q 400 0 0 600 100 120 cm /Im1 Do Q"),
        _stream(pixels, b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                        b"/BitsPerComponent 8 "),
    ]
    return _assemble(objects)
