"""Read-only look-ups of applications, accreditations and registry profiles that the pages,
the services and the decisions share."""

from sqlalchemy import func, select

from educational.core.audit import AuditEvent
from educational.core.db import db
from educational.core.waiting import Waiting, count_waiting

from .models import (
    AWAITING_DECISION_STATUSES,
    Accreditation,
    Application,
    FirmAffiliation,
    RegistryProfile,
    ReminderSent,
)

#: The subject type of application events in the audit trail.
SUBJECT_TYPE = "applications"


def profile_of(user_id: int) -> RegistryProfile | None:
    return db.session.scalar(select(RegistryProfile).where(RegistryProfile.user_id == user_id))


def accreditations_of(user_id: int) -> list[Accreditation]:
    return list(
        db.session.scalars(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.user_id == user_id)
            .order_by(Accreditation.id)
        )
    )


def accreditation_for_role(user_id: int, role: str) -> Accreditation | None:
    return db.session.scalar(
        select(Accreditation)
        .join(RegistryProfile)
        .where(RegistryProfile.user_id == user_id, Accreditation.role == role)
    )


def applications_of(user_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.user_id == user_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def find_application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def application_history(application: Application) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == SUBJECT_TYPE,
                AuditEvent.subject_id == str(application.id),
            )
            .order_by(AuditEvent.id)
        )
    )


def reminders_of(accreditation: Accreditation) -> list[ReminderSent]:
    """The expiry reminders sent for ``accreditation``, oldest first."""
    return list(
        db.session.scalars(
            select(ReminderSent)
            .where(ReminderSent.accreditation_id == accreditation.id)
            .order_by(ReminderSent.id)
        )
    )


def affiliations_of(profile_id: int) -> list[FirmAffiliation]:
    """The holder's attachments to audit firms, past and current, oldest first."""
    return list(
        db.session.scalars(
            select(FirmAffiliation)
            .where(FirmAffiliation.profile_id == profile_id)
            .order_by(FirmAffiliation.since)
        )
    )


def applications_waiting() -> Waiting:
    """Applications waiting for a staff decision (submitted, or after a first approval), and
    since when the oldest has waited (its latest submission)."""
    return count_waiting(
        select(func.count(), func.min(Application.submitted_at)).where(
            Application.status.in_(AWAITING_DECISION_STATUSES)
        )
    )
