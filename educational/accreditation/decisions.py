"""Staff decisions: on applications (approve, reject, request information; four-eyes when
the scheme asks for it) and on accreditations (suspend, reinstate, withdraw).

Every decision needs a written reason, is refused to the person it is about, goes into the
hash-chained audit trail and is e-mailed to that person (through the outbox, in the same
transaction)."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from educational.core.audit import record_event
from educational.core.db import utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail

from . import checklist
from .granting import grant
from .models import Accreditation, Application, ApplicationStatus
from .services import evaluate_application, link, mail_holder, require_scheme, role_label

MAX_REASON = 5000

#: decision -> (e-mail subject, template)
APPLICATION_MAILS = {
    "first_approval": (
        _l("Your application passed its first review"),
        "application_first_approval",
    ),
    "approved": (_l("Your application is approved"), "application_approved"),
    "rejected": (_l("Your application was not approved"), "application_rejected"),
    "info_requested": (
        _l("More information is needed about your application"),
        "application_info_requested",
    ),
}
DECISIONS = ("approve", "reject", "request_info")


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _(
                "Write the reason for this decision; the person it is about reads it, and it "
                "goes on the record."
            ),
            field="reason",
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("Shorten the reason to %(n)d characters.", n=MAX_REASON), field="reason"
        )
    return reason


def decide_application(
    application: Application,
    staff,
    decision: str,
    reason: str | None,
    *,
    override_unmet: bool = False,
    now: datetime | None = None,
) -> str:
    """Approve, reject or ask for more information. Returns what happened: first_approval,
    approved, rejected or info_requested.

    Approving with unmet requirements needs ``override_unmet`` (the reviewer's explicit
    acknowledgement, recorded with the codes it overrode)."""
    if decision not in DECISIONS:
        raise DomainError(_("Choose approve, reject or request more information."))
    if staff.id == application.user_id:
        raise DomainError(
            _("You cannot decide on your own application; another staff member must review it.")
        )
    reason = _reason(reason)
    now = now or utcnow()
    on = now.date()
    if decision == "reject":
        application.reject(reason, actor_id=staff.id, on=now)
        return _decided(application, staff, "rejected", reason)
    if decision == "request_info":
        application.request_information(reason, actor_id=staff.id, on=now)
        return _decided(application, staff, "info_requested", reason)

    application.check_approval(staff.id)
    scheme = require_scheme()
    evaluation = evaluate_application(scheme, application, as_of=on)
    unmet = [result.code for result in evaluation.unmet]
    if unmet and not override_unmet:
        raise DomainError(
            ngettext(
                "%(num)d requirement is not met today. Request more information, reject, or "
                "tick “approve although requirements are unmet” and say why in the reason.",
                "%(num)d requirements are not met today. Request more information, reject, or "
                "tick “approve although requirements are unmet” and say why in the reason.",
                len(unmet),
            ),
            field="override_unmet",
        )
    overridden = unmet if override_unmet else []
    if application.status == ApplicationStatus.SUBMITTED and scheme.four_eyes:
        application.first_approve(reason, actor_id=staff.id, on=now)
        return _decided(application, staff, "first_approval", reason, unmet_overridden=overridden)
    # A different approver than the first: the model refuses the same one.
    application.approve(reason, checklist.as_json(evaluation), actor_id=staff.id, on=now)
    accreditation = grant(scheme, application, staff, reason, on=on, now=now)
    return _decided(
        application,
        staff,
        "approved",
        reason,
        unmet_overridden=overridden,
        accreditation=accreditation,
        first_approver_id=application.first_approver_id,
    )


def _decided(
    application: Application,
    staff,
    outcome: str,
    reason: str,
    *,
    accreditation: Accreditation | None = None,
    **details,
) -> str:
    extra = {}
    if accreditation is not None:
        extra = {
            "accreditation_id": accreditation.id,
            "registry_id": accreditation.profile.registry_id,
            "valid_until": accreditation.valid_until.isoformat(),
        }
    record_event(
        f"application.{outcome}",
        application,
        actor=staff,
        applicant_id=application.user_id,
        kind=application.kind,
        role=application.role,
        reason=reason,
        **details,
        **extra,
    )
    subject, template = APPLICATION_MAILS[outcome]
    applicant = application.user
    queue_mail(
        applicant.email,
        str(subject),
        template,
        user=applicant,
        application=application,
        accreditation=accreditation,
        role=role_label(application.role),
        reason=reason,
        url=link("accreditation.application", application_id=application.id),
    )
    return outcome


# Accreditation status changes

STATUS_ACTIONS = {
    "suspend": ("suspended", _l("Your accreditation is suspended")),
    "reinstate": ("reinstated", _l("Your accreditation is reinstated")),
    "withdraw": ("withdrawn", _l("Your accreditation is withdrawn")),
}


def change_status(accreditation: Accreditation, staff, action: str, reason: str | None) -> None:
    """Suspend, reinstate or withdraw, through the model's state machine (which raises
    ``NotAllowed`` for a transition the scheme does not allow)."""
    if action not in STATUS_ACTIONS:
        raise DomainError(_("Choose suspend, reinstate or withdraw."))
    if accreditation.profile.user_id == staff.id:
        raise DomainError(
            _("You cannot change the status of your own accreditation; ask another staff member.")
        )
    reason = _reason(reason)
    previous = accreditation.status
    method = getattr(accreditation, action)
    change = method(reason, actor_id=staff.id, on=utcnow())
    past, subject = STATUS_ACTIONS[action]
    record_event(
        f"accreditation.{past}",
        accreditation,
        actor=staff,
        registry_id=accreditation.profile.registry_id,
        role=accreditation.role,
        from_status=previous,
        to_status=change.to_status,
        reason=reason,
    )
    mail_holder(
        accreditation,
        str(subject),
        "accreditation_status_changed",
        action=past,
        role=role_label(accreditation.role),
        reason=reason,
    )
