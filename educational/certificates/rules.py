"""When a certificate is valid: pure date arithmetic, no Flask, no database."""

import calendar
from datetime import date
from enum import StrEnum


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
    """The status on the day ``on``. A revocation counts from the day it was made, so a
    question about an earlier day (was the training current at that audit?) is answered
    as it would have been then."""
    if revoked_on is not None and revoked_on <= on:
        return CertificateStatus.REVOKED
    if expires_on is not None and on >= expires_on:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID
