"""CSV exports of applications and accreditations, for the secretariat's spreadsheets.

Cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) are defused with a leading apostrophe: names and statements are typed by users."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from .checklist import unmet_codes
from .models import Accreditation, Application

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a safe CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def _scopes(scopes) -> str:
    return " ".join(f"{s['standard']}/{s['sector']}" for s in scopes or ())


APPLICATION_HEADER = [
    "id",
    "applicant",
    "email",
    "kind",
    "role",
    "status",
    "scopes",
    "countries",
    "specialist_areas",
    "consent_to_publish",
    "created_at",
    "submitted_at",
    "decided_at",
    "unmet_at_submission",
    "staff_comment",
]


def applications_csv(applications: Iterable[Application]) -> str:
    return _csv(
        APPLICATION_HEADER,
        (
            [
                a.id,
                a.user.name,
                a.user.email,
                a.kind,
                a.role,
                a.status,
                _scopes(a.scopes),
                " ".join(a.countries or ()),
                " ".join(a.specialist_areas or ()),
                a.consent_to_publish,
                a.created_at,
                a.submitted_at,
                a.decided_at,
                " ".join(unmet_codes(a.checklist)),
                a.staff_comment,
            ]
            for a in applications
        ),
    )


ACCREDITATION_HEADER = [
    "registry_id",
    "name",
    "email",
    "role",
    "status",
    "valid_from",
    "valid_until",
    "scopes",
    "lapsed_scopes",
    "countries",
    "specialist_areas",
    "public",
]


def accreditations_csv(accreditations: Iterable[Accreditation]) -> str:
    def scopes(a: Accreditation, status: str) -> str:
        return " ".join(
            f"{s.standard}/{s.sector}/v{s.version}" for s in a.scopes if s.status == status
        )

    return _csv(
        ACCREDITATION_HEADER,
        (
            [
                a.profile.registry_id,
                a.profile.user.name,
                a.profile.user.email,
                a.role,
                a.status,
                a.valid_from,
                a.valid_until,
                scopes(a, "active"),
                scopes(a, "lapsed"),
                " ".join(a.countries or ()),
                " ".join(a.specialist_areas or ()),
                a.profile.public,
            ]
            for a in accreditations
        ),
    )
