"""A minimal PDF writer for the reader's tests: pages of text in Helvetica, nothing else.

Why here: no PDF library that writes text is a dependency, and the reader must be tested on
real PDF files (objects, a cross-reference table, content streams), not on mocked layouts."""

from __future__ import annotations

from collections.abc import Sequence


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: Sequence[Sequence[str]], size: int = 11) -> bytes:
    """A PDF of these pages; each page a list of lines, an empty line a paragraph break.
    Text is Latin-1 (the standard Helvetica's encoding)."""
    leading = size + 3
    objects: list[bytes] = []
    page_ids = []
    font_id = 3 + 2 * len(pages)
    for number, lines in enumerate(pages):
        content = [f"BT /F1 {size} Tf {leading} TL 72 740 Td"]
        for line in lines:
            content.append(f"({_escape(line)}) Tj T*" if line else "T*")
        content.append("ET")
        stream = "\n".join(content).encode("latin-1")
        page_id, content_id = 3 + 2 * number, 4 + 2 * number
        page_ids.append(page_id)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R"
            f" /Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        *objects,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
