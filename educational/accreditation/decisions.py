"""Staff decisions: on applications (approve, reject, request information; four-eyes when
the scheme asks for it) and on accreditations (suspend, reinstate, withdraw).

Every decision needs a written reason, is refused to the person it is about, goes into the
hash-chained audit trail and is e-mailed to that person (through the outbox, in the same
transaction)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from educational.catalog.scheme import current_scheme
from educational.core.audit import record_event
from educational.core.db import utcnow
from educational.core.errors import DomainError
from educational.core.mail import queue_mail
from educational.core.names import country_name

from . import checklist
from .granting import grant
from .models import Accreditation, Application, ApplicationKind, ApplicationStatus
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


def scope_key(scope: dict) -> str:
    """How a form names a requested scope: "PS/aluminium-smelting"."""
    return f"{scope['standard']}/{scope['sector']}"


@dataclass(frozen=True)
class Approval:
    """What an approval grants: the requested scopes and countries, or fewer of them
    (partial approval), and why fewer."""

    scopes: list[dict]
    countries: list[str]
    #: Requested but not granted.
    left_out_scopes: list[dict]
    left_out_countries: list[str]
    #: Why fewer than requested; None when everything requested is granted.
    narrowing_reason: str | None

    @property
    def narrowed(self) -> bool:
        return bool(self.left_out_scopes or self.left_out_countries)

    def audit(self, application: Application) -> dict:
        """Requested against approved, for the audit trail."""
        return {
            "requested_scopes": [scope_key(s) for s in application.scopes],
            "approved_scopes": [scope_key(s) for s in self.scopes],
            "requested_countries": list(application.countries),
            "approved_countries": list(self.countries),
            "narrowing_reason": self.narrowing_reason,
        }


def approval_of(
    application: Application,
    scopes: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    narrowing_reason: str | None = None,
) -> Approval:
    """What approving ``application`` grants: every scope and country it asks for (None),
    or the ones named, which must be among those asked for; at least one of each when any
    was asked for (a role may ask for no scope). Granting fewer than asked needs its
    own written reason, which the applicant reads."""
    requested_scopes = list(application.scopes)
    requested_countries = list(application.countries)
    if scopes is None:
        approved_scopes = requested_scopes
    else:
        wanted = set(scopes)
        unknown = wanted - {scope_key(s) for s in requested_scopes}
        if unknown:
            raise DomainError(
                _("Approve only scopes the application asks for."), field="approved_scopes"
            )
        approved_scopes = [s for s in requested_scopes if scope_key(s) in wanted]
    if requested_scopes and not approved_scopes:
        raise DomainError(
            _("Approve at least one scope, or reject the application."), field="approved_scopes"
        )
    if countries is None:
        approved_countries = requested_countries
    else:
        wanted = set(countries)
        if wanted - set(requested_countries):
            raise DomainError(
                _("Approve only countries the application asks for."),
                field="approved_countries",
            )
        approved_countries = [c for c in requested_countries if c in wanted]
    if requested_countries and not approved_countries:
        raise DomainError(
            _("Approve at least one country, or reject the application."),
            field="approved_countries",
        )
    left_out_scopes = [s for s in requested_scopes if s not in approved_scopes]
    left_out_countries = [c for c in requested_countries if c not in approved_countries]
    why = (narrowing_reason or "").strip() or None
    if left_out_scopes or left_out_countries:
        if why is None:
            raise DomainError(
                _(
                    "You approve fewer scopes or countries than asked for: write why in "
                    "“Why fewer than asked”; the applicant reads it."
                ),
                field="narrowing_reason",
            )
        if len(why) > MAX_REASON:
            raise DomainError(
                _("Shorten the reason to %(n)d characters.", n=MAX_REASON),
                field="narrowing_reason",
            )
    else:
        why = None
    return Approval(approved_scopes, approved_countries, left_out_scopes, left_out_countries, why)


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
    approval: Approval | None = None,
    now: datetime | None = None,
) -> str:
    """Approve, reject or ask for more information. Returns what happened: first_approval,
    approved, rejected or info_requested.

    ``approval`` (from ``approval_of``) grants fewer scopes or countries than asked for; by
    default everything asked for. The requirements are checked against what is granted, so
    leaving out an unmet scope needs no override. With four eyes, the approval that grants
    is the final one, and its ``approval`` counts; a first approval records its own in the
    audit trail as a proposal.

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
    approval = approval or approval_of(application)
    evaluation = _evaluate_approval(scheme, application, approval, on)
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
        return _decided(
            application,
            staff,
            "first_approval",
            reason,
            unmet_overridden=overridden,
            **approval.audit(application),
        )
    # A different approver than the first: the model refuses the same one.
    application.approve(reason, checklist.as_json(evaluation), actor_id=staff.id, on=now)
    accreditation = grant(
        scheme,
        application,
        staff,
        reason,
        on=on,
        now=now,
        scopes=approval.scopes,
        countries=approval.countries,
    )
    return _decided(
        application,
        staff,
        "approved",
        reason,
        unmet_overridden=overridden,
        accreditation=accreditation,
        first_approver_id=application.first_approver_id,
        approval=approval,
        **approval.audit(application),
    )


def _evaluate_approval(scheme, application: Application, approval: Approval, on):
    """The checklist of what is granted: the application's own when nothing is left out."""
    if not approval.narrowed:
        return evaluate_application(scheme, application, as_of=on)
    return checklist.evaluate_person(
        scheme,
        application.user_id,
        application.role,
        scopes=[(s["standard"], s["sector"]) for s in approval.scopes],
        countries=approval.countries,
        specialist_areas=application.specialist_areas,
        as_of=on,
        renewal=application.kind == ApplicationKind.RENEWAL,
    )


def _decided(
    application: Application,
    staff,
    outcome: str,
    reason: str,
    *,
    accreditation: Accreditation | None = None,
    approval: Approval | None = None,
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
        applicant,
        subject,
        template,
        user=applicant,
        application=application,
        accreditation=accreditation,
        role=role_label(application.role),
        reason=reason,
        approval=approval if approval is not None and approval.narrowed else None,
        scheme=current_scheme(),
        country_name=country_name,
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
        subject,
        "accreditation_status_changed",
        action=past,
        role=role_label(accreditation.role),
        reason=reason,
    )
