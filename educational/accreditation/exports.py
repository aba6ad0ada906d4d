"""CSV exports of applications and accreditations, for the secretariat's spreadsheets
(cells defused by ``educational.core.export``: names and statements are typed by users).

Both stream: the rows come through a server-side cursor (``yield_per``), ``BATCH`` at a
time with what they show loaded per batch, and each batch goes out as one chunk."""

from collections.abc import Iterator

from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from educational.core.db import db
from educational.core.export import csv_stream

from .checklist import unmet_codes
from .models import Accreditation, Application, RegistryProfile

BATCH = 500


def _batches(query: Select) -> Iterator[list]:
    """The entities ``query`` selects, a batch at a time (run when the download starts)."""
    yield from db.session.scalars(query.execution_options(yield_per=BATCH)).partitions()


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


def applications_csv(query: Select) -> Iterator[str]:
    """The applications ``query`` selects (``queues.application_query``), as CSV chunks."""
    query = query.options(joinedload(Application.user))
    return csv_stream(
        APPLICATION_HEADER,
        (
            [
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
                for a in batch
            ]
            for batch in _batches(query)
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


def accreditations_csv(query: Select) -> Iterator[str]:
    """The accreditations ``query`` selects (``queues.accreditation_query``), as CSV
    chunks; each batch's holders and scopes are read in one query each."""
    query = query.options(
        joinedload(Accreditation.profile).joinedload(RegistryProfile.user),
        selectinload(Accreditation.scopes),
    )

    def scopes(a: Accreditation, status: str) -> str:
        return " ".join(
            f"{s.standard}/{s.sector}/v{s.version}" for s in a.scopes if s.status == status
        )

    return csv_stream(
        ACCREDITATION_HEADER,
        (
            [
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
                for a in batch
            ]
            for batch in _batches(query)
        ),
    )
