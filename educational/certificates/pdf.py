"""The printable certificate: one A4 landscape page (fpdf2), with a QR code (segno) that
opens the public verification page, where the printed facts can be compared with the
record.

The code is set in the PDF core font Courier: it is plain ASCII, reads unambiguously in a
monospaced face, and stays searchable as literal text in the file."""

import io
from dataclasses import dataclass
from datetime import date

import segno
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from fpdf import FPDF

from . import fonts
from .models import Certificate

PAGE_WIDTH, PAGE_HEIGHT = 297, 210
MARGIN = 30
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 40
#: Where the row of facts (issued, valid until, code) starts.
FACT_Y = 145
FACT_WIDTH = 56

BRAND = (11, 83, 148)
INK = (27, 31, 36)
MUTED = (74, 85, 97)

TEXT = "text"
CORE = "helvetica"


class _Page(FPDF):
    #: The family of the running text: the Unicode font, or the core font without one.
    text_family = CORE


@dataclass(frozen=True)
class Wording:
    """Every string on the page, translated, so the fonts can be chosen for all of them."""

    issuer: str
    title: str
    certifies: str
    holder: str
    completed: str
    course: str
    version: str
    issued_label: str
    issued: str
    expires_label: str
    expires: str
    code_label: str
    check: str
    url: str
    scan: str

    def all_text(self) -> str:
        return " ".join(str(value) for value in self.__dict__.values())


def wording(certificate: Certificate, *, verify_url: str, issuer: str) -> Wording:
    return Wording(
        issuer=issuer,
        title=_("Certificate of completion"),
        certifies=_("This certifies that"),
        holder=certificate.holder_name,
        completed=_("has completed the course"),
        course=certificate.course_title,
        version=_("Version %(version)s", version=certificate.course_version),
        issued_label=_("Issued on"),
        issued=_date(certificate.issued_on),
        expires_label=_("Valid until"),
        expires=_date(certificate.expires_on) if certificate.expires_on else _("Does not expire"),
        code_label=_("Certificate code"),
        check=_("Check that this certificate is genuine and still valid at"),
        url=verify_url,
        scan=_("Scan to verify"),
    )


def _date(day: date) -> str:
    return format_date(day, format="long")


def certificate_pdf(certificate: Certificate, *, verify_url: str, issuer: str) -> bytes:
    words = wording(certificate, verify_url=verify_url, issuer=issuer)
    pdf = _new_document(certificate, words)
    _frame(pdf)
    _centered(pdf, words.issuer, 25, size=12, color=MUTED)
    _centered(pdf, words.title, 37, size=30, bold=True, color=BRAND)
    _centered(pdf, words.certifies, 61, size=13, color=MUTED)
    _centered(pdf, words.holder, 70, size=28, bold=True, min_size=14)
    _centered(pdf, words.completed, 92, size=13, color=MUTED)
    _centered(pdf, words.course, 101, size=20, bold=True, min_size=12)
    _centered(pdf, words.version, 119, size=12, color=MUTED)

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, 134, PAGE_WIDTH - MARGIN, 134)

    _fact(pdf, MARGIN, words.issued_label, words.issued)
    _fact(pdf, MARGIN + 60, words.expires_label, words.expires)
    _label(pdf, MARGIN + 120, words.code_label)
    pdf.set_font("Courier", "B", 13)
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN + 120, FACT_Y + 7)
    pdf.cell(text=certificate.code)

    _text(pdf, words.check, 9, MUTED)
    pdf.set_xy(MARGIN, 172)
    pdf.multi_cell(TEXT_WIDTH - QR_SIZE - 15, 4.5, f"{_safe(pdf, words.check)}\n{words.url}")

    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
    pdf.image(_qr_png(verify_url), x=qr_x, y=142, w=QR_SIZE, h=QR_SIZE)
    _text(pdf, words.scan, 8, MUTED)
    pdf.set_xy(qr_x, 183)
    pdf.cell(QR_SIZE, 4, _safe(pdf, words.scan), align="C")
    return bytes(pdf.output())


def _new_document(certificate: Certificate, words: Wording) -> _Page:
    pdf = _Page(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN)
    choice = fonts.choose_fonts(current_app.config)
    if choice.regular:
        pdf.add_font(TEXT, "", choice.regular)
        pdf.add_font(TEXT, "B", choice.bold or choice.regular)
        fallbacks = fonts.fallbacks_for(words.all_text(), choice)
        for index, path in enumerate(fallbacks):
            pdf.add_font(f"fallback{index}", "", path)
        if fallbacks:
            pdf.set_fallback_fonts(
                [f"fallback{index}" for index in range(len(fallbacks))], exact_match=False
            )
        pdf.text_family = TEXT
    pdf.set_title(_("Certificate %(code)s", code=certificate.code))
    pdf.set_subject(f"{certificate.course_title} {certificate.course_version}")
    pdf.set_author(words.issuer)
    pdf.set_creator("educational")
    pdf.set_keywords(certificate.code)
    pdf.set_lang(str(get_locale() or "en"))
    pdf.add_page()
    return pdf


def _frame(pdf: _Page) -> None:
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, PAGE_WIDTH - 16, PAGE_HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11.5, 11.5, PAGE_WIDTH - 23, PAGE_HEIGHT - 23)


def _text(pdf: _Page, text: str, size: float, color, bold: bool = False) -> None:
    pdf.set_font(pdf.text_family, "B" if bold else "", size)
    pdf.set_text_color(*color)


def _safe(pdf: _Page, text: str) -> str:
    """Core fonts only have Latin-1; only used when no Unicode font is installed."""
    if pdf.text_family == CORE:
        return text.encode("latin-1", "replace").decode("latin-1")
    return text


def _centered(pdf, text, y, *, size, bold=False, color=INK, min_size=None) -> None:
    """One centred line, shrunk to fit the width (down to ``min_size``), then wrapped."""
    text = _safe(pdf, text)
    _text(pdf, text, size, color, bold)
    largest = size
    while min_size and size > min_size and pdf.get_string_width(text) > TEXT_WIDTH:
        size -= 1
        pdf.set_font_size(size)
    # A shrunk line keeps its place in the middle of the space the full size would take.
    pdf.set_xy(MARGIN, y + (largest - size) * 0.2)
    pdf.multi_cell(TEXT_WIDTH, size * 0.45, text, align="C")


def _label(pdf: _Page, x: float, label: str) -> None:
    _text(pdf, label, 9, MUTED)
    pdf.set_xy(x, FACT_Y)
    pdf.cell(text=_safe(pdf, label))


def _fact(pdf: _Page, x: float, label: str, value: str) -> None:
    _label(pdf, x, label)
    value = _safe(pdf, value)
    _text(pdf, value, 13, INK, bold=True)
    size = 13
    while size > 8 and pdf.get_string_width(value) > FACT_WIDTH:
        size -= 1
        pdf.set_font_size(size)
    pdf.set_xy(x, FACT_Y + 7)
    pdf.cell(text=value)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=0)
    buffer.seek(0)
    return buffer
