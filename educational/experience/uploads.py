"""Evidence files: checked by their content, stored outside the web root by random names.

A file is accepted only when its bytes are a PDF (``%PDF-`` magic) or an image Pillow
verifies as PNG or JPEG, and only up to ``EVIDENCE_MAX_BYTES``; what the client claims
(file name, extension, content type) is never trusted. The client's file name is kept,
sanitised, for display and as the download's name only; on disk a file is
``<EVIDENCE_PATH>/<43 random URL-safe characters>``.

Files and the database move together: a file written in a transaction that does not commit
is removed when the transaction ends, and a file whose row is deleted is removed only once
the deletion is committed."""

import hashlib
import io
import os
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session

from educational.core.errors import DomainError

PDF_MAGIC = b"%PDF-"
#: Pillow's format name -> (content type, extension).
IMAGE_TYPES = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg")}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_NAME_LENGTH = 120

_WRITTEN = "evidence_written"
_TO_REMOVE = "evidence_to_remove"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, still in memory."""

    data: bytes
    content_type: str
    display_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def evidence_root() -> Path:
    return Path(current_app.config["EVIDENCE_PATH"])


def max_bytes() -> int:
    return int(current_app.config["EVIDENCE_MAX_BYTES"])


def check_upload(stream: BinaryIO, filename: str) -> CheckedFile:
    """Read and check one upload; raises DomainError (field ``evidence``) saying what to do."""
    name = display_name(filename)
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _(
                "%(name)s is larger than %(mb)s MB. Upload a smaller file (a scan at a lower "
                "resolution, or the relevant pages only).",
                name=name,
                mb=f"{limit / (1024 * 1024):g}",
            ),
            field="evidence",
        )
    if not data:
        raise DomainError(_("%(name)s is empty; choose another file.", name=name), "evidence")
    content_type = sniff(data)
    if content_type is None:
        raise DomainError(
            _(
                "%(name)s is not a PDF, PNG or JPEG file. Save the evidence in one of these "
                "formats and upload it again.",
                name=name,
            ),
            field="evidence",
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return CheckedFile(
        data=data,
        content_type=content_type,
        # The extension follows the content, so the download opens in the right program.
        display_name=stem + EXTENSIONS[content_type],
        sha256=hashlib.sha256(data).hexdigest(),
    )


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, among the accepted ones; None otherwise."""
    if data.startswith(PDF_MAGIC):
        return "application/pdf"
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused, not merely warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.verify()
    except Exception:
        # Pillow raises many kinds of error on hostile input (OSError, SyntaxError,
        # ValueError, struct.error, UnidentifiedImageError...): any of them is a refusal.
        return None
    found = IMAGE_TYPES.get(image_format or "")
    return found[0] if found else None


def display_name(filename: str | None) -> str:
    """The client's file name made safe to show and to send back in Content-Disposition.
    A name with a path in it is refused, not quietly cut: nothing legitimate sends one."""
    name = unicodedata.normalize("NFKC", filename or "").strip()
    if "/" in name or "\\" in name or "\x00" in name:
        raise DomainError(
            _("Rename the file without slashes in its name and upload it again."),
            field="evidence",
        )
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")
    name = name.strip(" .") or "evidence"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and keep > 0 else name[:MAX_NAME_LENGTH]
    return name


def store(checked: CheckedFile, session: Session) -> str:
    """Write the file under a new random name and return the name. The file is removed again
    if ``session``'s transaction ends without a commit."""
    root = evidence_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = secrets.token_urlsafe(32)
    path = root / stored_name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(checked.data)
    session.info.setdefault(_WRITTEN, []).append(path)
    return stored_name


def stored(checked: CheckedFile, session: Session) -> dict:
    """``store`` the file and return the columns every evidence row records of it (an
    experience entry's, a complaint's, an appeal's, an assessment's)."""
    return {
        "stored_name": store(checked, session),
        "display_name": checked.display_name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


def remove_after_commit(stored_name: str, session: Session) -> None:
    """Delete the file once ``session`` commits (its row's deletion with it)."""
    session.info.setdefault(_TO_REMOVE, []).append(evidence_root() / stored_name)


def path_of(stored_name: str) -> Path:
    return evidence_root() / stored_name


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_TO_REMOVE, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is not None:
        return
    # Still listed: the transaction ended without committing.
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
    session.info.pop(_TO_REMOVE, None)


def send_evidence(item) -> Response:
    """A stored evidence file (any row with ``stored_name``, ``content_type`` and
    ``display_name``: an experience entry's, a complaint's, an appeal's, an assessment's)
    as a download that no browser renders: 404 when the file is gone. Read whole (at most
    ``EVIDENCE_MAX_BYTES``), so no file handle outlives the request."""
    path = path_of(item.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.display_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    return response
