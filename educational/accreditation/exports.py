"""CSV exports of applications and accreditations, for the secretariat's spreadsheets
(cells defused by ``educational.core.export``: names and statements are typed by users)."""

from collections.abc import Iterable

from educational.core.export import csv_text

from .checklist import unmet_codes
from .models import Accreditation, Application


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
    return csv_text(
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

    return csv_text(
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
