"""When a certificate is valid: pure date arithmetic, no Flask, no database."""

import calendar
from datetime import date
from enum import StrEnum

from educational.core.records import certificate_status


class CertificateStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def expiry_date(issued_on: date, validity_months: int | None) -> date | None:
    """The first day on which the certificate is no longer valid; None: it never expires."""
    if not validity_months:
        return None
    return add_months(issued_on, validity_months)


def status_on(
    on: date, *, expires_on: date | None, revoked_on: date | None = None
) -> CertificateStatus:
    """The status on the day ``on`` (``educational.core.records.certificate_status``, the
    rule the accreditation checklist and eligibility read too)."""
    return CertificateStatus(certificate_status(on, expires_on=expires_on, revoked_on=revoked_on))
