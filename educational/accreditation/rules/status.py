"""An accreditation's status as shown on a day: the one rule behind the registry's badge,
its ``status`` filter, the statistics and the change feed (``Accreditation.shown_status``
and ``Accreditation.shows`` give it to SQL and to Python alike)."""

from __future__ import annotations

from datetime import date

ACTIVE = "active"
EXPIRED = "expired"


def shown_status(status: str, valid_until: date, day: date) -> str:
    """The status shown on ``day``: an active accreditation past its last valid day is
    expired, even before the nightly sweep records it."""
    if status == ACTIVE and valid_until < day:
        return EXPIRED
    return status
