"""The complaint outcome as an appealable decision (see educational.appeals.kinds): the
person a complaint is about may appeal any outcome but "unfounded", within the scheme's
window; an overturn marks the outcome overturned and undoes its suspension or withdrawal
(``services.overturn``). A firm has no person to appeal for it: its complaints are not
appealable here."""

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from educational.appeals import services as appeals
from educational.appeals.kinds import AppealKind, Decision, register_appeal_kind
from educational.core.db import db, utcnow

from . import services
from .models import OUTCOME_LABELS, Complaint, ComplaintStatus, Outcome

KIND = "complaint_outcome"


def find(complaint_id: int) -> Decision | None:
    complaint = db.session.get(Complaint, complaint_id)
    if (
        complaint is None
        or complaint.profile is None
        or complaint.status != ComplaintStatus.DECIDED
        or complaint.decided_at is None
    ):
        return None
    return Decision(
        kind=KIND,
        subject_id=complaint.id,
        person_id=complaint.profile.user_id,
        decided_at=complaint.decided_at,
        deciders=frozenset({complaint.decided_by_id} - {None}),
        summary=_(
            "Complaint %(reference)s: %(outcome)s",
            reference=complaint.reference,
            outcome=OUTCOME_LABELS[complaint.outcome],
        ),
        url=url_for("complaints_staff.complaint", complaint_id=complaint.id),
        appealable=complaint.outcome != Outcome.UNFOUNDED and complaint.overturned_at is None,
        accreditation_id=complaint.accreditation_id,
    )


def window_ends(complaint: Complaint) -> datetime | None:
    decision = find(complaint.id)
    return appeals.window_ends(decision) if decision is not None else None


def appeal_link(complaint: Complaint, user) -> str | None:
    """The subject's "Appeal" link while they may appeal (the window is open, the outcome
    is appealable, no appeal is already lodged), else None."""
    decision = find(complaint.id)
    if decision is None or not appeals.may_appeal(user, decision, utcnow()):
        return None
    return appeals.appeal_url(KIND, complaint.id)


def register(app) -> None:
    register_appeal_kind(app, AppealKind(KIND, _l("Complaint outcome"), find, services.overturn))
