"""Reading certificates and PDFs in the certificate tests."""

import re
import zlib

from sqlalchemy import select

from educational.certificates.models import Certificate
from educational.core.db import db


def certificate(app, code: str) -> Certificate:
    """The certificate row, detached: read its columns, not its relations."""
    with app.app_context():
        row = db.session.scalar(select(Certificate).where(Certificate.code == code))
        db.session.expunge(row)
    return row


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of a PDF, inflated where it is compressed."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        raw = match.group(1)
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    return streams


def mapped_characters(data: bytes) -> set[str]:
    """The characters the PDF's ToUnicode maps give glyphs for: every character drawn in an
    embedded (Unicode) font, whichever font supplied the glyph."""
    characters = set()
    for stream in [*pdf_streams(data), data]:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.DOTALL):
            for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                characters.add(bytes.fromhex(target.decode()).decode("utf-16-be"))
    return characters
