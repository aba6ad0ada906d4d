"""The kinds of decision appeals itself knows (the others register theirs, ``kinds``):

- ``application_rejection``: subject_id = Application id. Overturn re-opens it for review
  (``Application.reopen``: rejected -> submitted).
- ``suspension``: subject_id = the StatusChange id of a staff suspension. Overturn
  reinstates the accreditation if it is still suspended by it (``Accreditation.reinstate``);
  refused if a later withdrawal or expiry superseded it.
- ``withdrawal``: subject_id = the StatusChange id of a staff withdrawal. Overturn restores
  the accreditation (``Accreditation.restore_on_appeal``: withdrawn -> active).

The StatusChange rows these write feed the public status history and the change feed."""

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from educational.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    Application,
    ApplicationStatus,
    StatusChange,
)
from educational.accreditation.models.applications import OPEN_APPLICATION_STATUSES
from educational.accreditation.services import role_label
from educational.core.audit import AuditEvent, record_event
from educational.core.db import db, utcnow
from educational.core.errors import NotAllowed

from .kinds import AppealKind, Decision

#: The audit actions of staff decisions on an application (their actors took part).
APPLICATION_DECISIONS = (
    "application.first_approval",
    "application.rejected",
    "application.info_requested",
    "application.approved",
)


def application_deciders(application: Application) -> frozenset[int]:
    """Every staff member who decided anything on the application."""
    actors = db.session.scalars(
        select(AuditEvent.actor_id).where(
            AuditEvent.subject_type == Application.__tablename__,
            AuditEvent.subject_id == str(application.id),
            AuditEvent.action.in_(APPLICATION_DECISIONS),
            AuditEvent.actor_id.is_not(None),
        )
    )
    found = {actor for actor in actors if actor is not None}
    found |= {i for i in (application.decided_by_id, application.first_approver_id) if i}
    return frozenset(found)


def find_rejection(application_id: int) -> Decision | None:
    application = db.session.get(Application, application_id)
    if application is None:
        return None
    rejected = application.status == ApplicationStatus.REJECTED
    return Decision(
        kind="application_rejection",
        subject_id=application.id,
        person_id=application.user_id,
        decided_at=application.decided_at or application.created_at,
        deciders=application_deciders(application),
        summary=_(
            "Application for %(role)s, rejected: %(reason)s",
            role=role_label(application.role),
            reason=application.staff_comment,
        )
        if rejected
        else _("Application for %(role)s", role=role_label(application.role)),
        url=url_for("accreditation_staff.review", application_id=application.id),
        appealable=rejected,
        accreditation_id=application.accreditation_id,
    )


def overturn_rejection(application_id: int, staff, reasons: str) -> None:
    application = db.session.get(Application, application_id, with_for_update=True)
    if application is None:
        raise NotAllowed(_l("The application no longer exists."))
    other = db.session.scalar(
        select(Application.id).where(
            Application.user_id == application.user_id,
            Application.role == application.role,
            Application.status.in_(OPEN_APPLICATION_STATUSES),
            Application.id != application.id,
        )
    )
    if other is not None:
        raise NotAllowed(
            _l(
                "The applicant has another open application for this role; it must be "
                "withdrawn or decided before this one can be re-opened."
            )
        )
    application.reopen(reasons, actor_id=staff.id, on=utcnow())
    record_event(
        "application.reopened",
        application,
        actor=staff,
        applicant_id=application.user_id,
        role=application.role,
        reason=reasons,
        via="appeal",
    )


def _status_change(change_id: int, to_status: str) -> StatusChange | None:
    change = db.session.get(StatusChange, change_id)
    if change is None or change.to_status != to_status or change.actor_id is None:
        return None
    return change


def _last_change(accreditation: Accreditation) -> StatusChange | None:
    return db.session.scalar(
        select(StatusChange)
        .where(StatusChange.accreditation_id == accreditation.id)
        .order_by(StatusChange.id.desc())
        .limit(1)
    )


def last_change_ids(accreditation_ids: list[int]) -> dict[int, int]:
    """Each accreditation's last StatusChange id (as ``_last_change``), in one query."""
    if not accreditation_ids:
        return {}
    rows = db.session.execute(
        select(StatusChange.accreditation_id, func.max(StatusChange.id))
        .where(StatusChange.accreditation_id.in_(accreditation_ids))
        .group_by(StatusChange.accreditation_id)
    )
    return dict(rows.all())


def _find_status_decision(kind: str, change_id: int, to_status: str) -> Decision | None:
    change = _status_change(change_id, to_status)
    if change is None:
        return None
    accreditation = change.accreditation
    values = {
        "role": role_label(accreditation.role),
        "id": accreditation.profile.registry_id,
        "reason": change.reason,
    }
    if kind == "suspension":
        summary = _("Suspension of %(id)s as %(role)s: %(reason)s", **values)
    else:
        summary = _("Withdrawal of %(id)s as %(role)s: %(reason)s", **values)
    last = _last_change(accreditation)
    return Decision(
        kind=kind,
        subject_id=change.id,
        person_id=accreditation.profile.user_id,
        decided_at=change.occurred_at,
        deciders=frozenset({change.actor_id}),
        summary=summary,
        url=url_for("accreditation_staff.accreditation", accreditation_id=accreditation.id),
        # Still in force: the accreditation's last change.
        appealable=last is not None and last.id == change.id,
        accreditation_id=accreditation.id,
    )


def find_suspension(change_id: int) -> Decision | None:
    return _find_status_decision("suspension", change_id, AccreditationStatus.SUSPENDED)


def find_withdrawal(change_id: int) -> Decision | None:
    return _find_status_decision("withdrawal", change_id, AccreditationStatus.WITHDRAWN)


def _locked_accreditation(change: StatusChange) -> Accreditation:
    return db.session.get(Accreditation, change.accreditation_id, with_for_update=True)


def _superseded(change: StatusChange, accreditation: Accreditation) -> StatusChange | None:
    later = _last_change(accreditation)
    return later if later is not None and later.id != change.id else None


def overturn_suspension(change_id: int, staff, reasons: str) -> None:
    change = _status_change(change_id, AccreditationStatus.SUSPENDED)
    if change is None:
        raise NotAllowed(_l("The suspension under appeal no longer exists."))
    accreditation = _locked_accreditation(change)
    later = _superseded(change, accreditation)
    if later is not None:
        if accreditation.status == AccreditationStatus.ACTIVE:
            raise NotAllowed(
                _l(
                    "The accreditation was already reinstated after this suspension; there is "
                    "nothing to overturn. Uphold the appeal or record the outcome in the "
                    "reasons."
                )
            )
        raise NotAllowed(
            _l(
                "This suspension was superseded by a later change of status (now %(status)s, "
                "on %(date)s): it cannot be overturned on its own. Appeal against the later "
                "decision instead.",
                status=accreditation.status,
                date=later.occurred_at.date().isoformat(),
            )
        )
    _restored(accreditation, staff, reasons, "reinstate", "accreditation.reinstated", change)


def overturn_withdrawal(change_id: int, staff, reasons: str) -> None:
    change = _status_change(change_id, AccreditationStatus.WITHDRAWN)
    if change is None:
        raise NotAllowed(_l("The withdrawal under appeal no longer exists."))
    accreditation = _locked_accreditation(change)
    if _superseded(change, accreditation) is not None:
        raise NotAllowed(
            _l("The accreditation's status changed after this withdrawal; it cannot be restored.")
        )
    _restored(accreditation, staff, reasons, "restore_on_appeal", "accreditation.restored", change)


def _restored(
    accreditation: Accreditation,
    staff,
    reasons: str,
    method: str,
    action: str,
    change: StatusChange,
    on: datetime | None = None,
) -> None:
    previous = accreditation.status
    new = getattr(accreditation, method)(reasons, actor_id=staff.id, on=on or utcnow())
    record_event(
        action,
        accreditation,
        actor=staff,
        registry_id=accreditation.profile.registry_id,
        role=accreditation.role,
        from_status=previous,
        to_status=new.to_status,
        reason=reasons,
        via="appeal",
        overturned_change_id=change.id,
    )


KINDS = (
    AppealKind(
        "application_rejection",
        _l("Rejected application"),
        find_rejection,
        overturn_rejection,
    ),
    AppealKind("suspension", _l("Suspension"), find_suspension, overturn_suspension),
    AppealKind("withdrawal", _l("Withdrawal"), find_withdrawal, overturn_withdrawal),
)
