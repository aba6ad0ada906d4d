"""Complaint use cases: lodging (anyone), the staff workflow (acknowledge, note, invite the
subject's response, decide, close), the subject's response, and an appeal's overturn.

They take explicit objects, flush and never commit. Every step is an audit event
(``complaint.*``); mails go through the outbox in the recipient's language. The subject is
never told who complained: no subject-facing page, mail or audit payload they can read names
the complainant. A suspension or withdrawal goes through the accreditation's own staff
service (``decisions.change_status``), so its StatusChange, audit event and mail are exactly
those of a staff decision; the complaint keeps the StatusChange's id."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from educational.accreditation import decisions
from educational.accreditation.firms import FirmData, update_firm
from educational.accreditation.models import (
    TRANSITIONS as ACCREDITATION_TRANSITIONS,
)
from educational.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    AuditFirm,
    FirmStatus,
    RegistryProfile,
    StatusChange,
)
from educational.appeals.services import cycle_rules as rules
from educational.core.audit import record_event
from educational.core.db import db, utcnow
from educational.core.errors import DomainError, NotAllowed
from educational.core.mail import queue_mail
from educational.core.permissions import has_role_permission, object_rule
from educational.core.urls import external_url
from educational.experience import uploads

from .models import (
    OUTCOME_LABELS,
    STATUS_ACTION,
    Complaint,
    ComplaintEvidence,
    ComplaintNote,
    ComplaintStatus,
    Outcome,
    hash_token,
)

MAX_DESCRIPTION = 10_000
MAX_TEXT = 5000
MAX_FILES = 5
Upload = tuple[BinaryIO, str]


@object_rule("complaint_subject")
def _is_subject(user, complaint: Complaint) -> bool:
    return complaint.profile is not None and complaint.profile.user_id == user.id


@object_rule("view_complaint_status")
def _may_view_status(user, complaint: Complaint) -> bool:
    """The logged-in complainant and staff; others need the status link's token."""
    return complaint.complainant_id == user.id or has_role_permission(user, "staff_area")


@dataclass(frozen=True)
class Replies:
    """Where an anonymous complainant's replies go: an address and the language they
    lodged in (queue_mail's recipient)."""

    email: str
    locale: str
    timezone: str = "UTC"


def _text(value: str | None, field: str, limit: int, missing: str | None) -> str:
    value = (value or "").strip()
    if not value and missing:
        raise DomainError(missing, field=field)
    if len(value) > limit:
        raise DomainError(_("Shorten this to %(n)d characters.", n=limit), field=field)
    return value


# Subjects


def public_profile(registry_id: str) -> RegistryProfile | None:
    """The profile of a person in the public registry (consenting): complaints are lodged
    from their public page."""
    return db.session.scalar(
        select(RegistryProfile).where(
            RegistryProfile.registry_id == registry_id, RegistryProfile.public.is_(True)
        )
    )


def subject_name(complaint: Complaint) -> str:
    if complaint.firm is not None:
        return complaint.firm.name
    return complaint.profile.user.name


# Lodging


def lodge(
    *,
    description: str,
    profile: RegistryProfile | None = None,
    firm: AuditFirm | None = None,
    files: Iterable[Upload] = (),
    user=None,
    name: str | None = None,
    email: str | None = None,
    locale: str = "en",
) -> tuple[Complaint, str]:
    """Lodge a complaint about ``profile`` or ``firm``; returns it and the status link's
    secret (shown once, stored only hashed)."""
    if (profile is None) == (firm is None):
        raise DomainError(_("Choose the person or the firm the complaint is about."))
    if profile is not None and user is not None and profile.user_id == user.id:
        raise DomainError(_("You cannot lodge a complaint about yourself."))
    description = _text(
        description,
        "description",
        MAX_DESCRIPTION,
        _("Describe what happened: when, where, and what the person or firm did."),
    )
    name = _text(name, "name", 200, None) or None
    email = (email or "").strip().lower() or None
    checked = [uploads.check_upload(stream, filename) for stream, filename in files]
    if len(checked) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)d files; combine some into one PDF.", n=MAX_FILES),
            field="evidence",
        )
    token = secrets.token_urlsafe(24)
    complaint = Complaint(
        profile=profile,
        firm=firm,
        description=description,
        complainant_id=user.id if user is not None else None,
        complainant_name=name if user is None else None,
        complainant_email=email if user is None else None,
        complainant_locale=locale,
        token_hash=hash_token(token),
        status=ComplaintStatus.LODGED,
        lodged_at=utcnow(),
    )
    db.session.add(complaint)
    for item in checked:
        complaint.evidence.append(
            ComplaintEvidence(
                **uploads.stored(item, db.session),
            )
        )
    db.session.flush()
    complaint.reference = f"C-{complaint.lodged_at.year}-{complaint.id:04d}"
    record_event(
        "complaint.lodged",
        complaint,
        actor=user,
        reference=complaint.reference,
        about=_about(complaint),
        anonymous=user is None,
        files=len(checked),
    )
    _mail_complainant(
        complaint,
        _l("Your complaint %(reference)s is lodged", reference=complaint.reference),
        "complaint_lodged",
        token=token,
    )
    return complaint, token


def _about(complaint: Complaint) -> dict:
    if complaint.profile is not None:
        return {"registry_id": complaint.profile.registry_id}
    return {"firm_id": complaint.firm_id}


def status_url(complaint: Complaint, token: str | None = None) -> str:
    values = {"token": token} if token else {}
    return external_url("complaints.status", reference=complaint.reference, **values)


def _complainant(complaint: Complaint):
    if complaint.complainant is not None:
        return complaint.complainant
    if complaint.complainant_email:
        return Replies(complaint.complainant_email, complaint.complainant_locale)
    return None


def _mail_complainant(complaint: Complaint, subject, template: str, token: str | None = None):
    to = _complainant(complaint)
    if to is None:
        return
    queue_mail(
        to,
        subject,
        template,
        complaint=complaint,
        name=getattr(to, "name", None) or complaint.complainant_name,
        subject_name=subject_name(complaint),
        outcome=OUTCOME_LABELS.get(complaint.outcome or ""),
        url=status_url(complaint, token),
    )


def _mail_subject(complaint: Complaint, subject, template: str) -> None:
    """The subject person, in their language; never anything about the complainant."""
    if complaint.profile is None:
        return
    holder = complaint.profile.user
    queue_mail(
        holder,
        subject,
        template,
        user=holder,
        complaint=complaint,
        outcome=OUTCOME_LABELS.get(complaint.outcome or ""),
        respond_by=complaint.respond_by(rules()),
        url=external_url("complaints.about_me", complaint_id=complaint.id),
    )


# The staff workflow


def _not_involved(complaint: Complaint, staff) -> None:
    if complaint.complainant_id == staff.id or complaint.subject_user_id == staff.id:
        raise DomainError(
            _("You lodged this complaint or it is about you: another staff member must handle it.")
        )


def _acknowledged_first(complaint: Complaint) -> None:
    if complaint.status == ComplaintStatus.LODGED:
        raise NotAllowed(_("Acknowledge the complaint first."))


def acknowledge(complaint: Complaint, staff) -> None:
    _not_involved(complaint, staff)
    complaint.move(ComplaintStatus.ACKNOWLEDGED)
    complaint.acknowledged_at = utcnow()
    complaint.acknowledged_by_id = staff.id
    record_event("complaint.acknowledged", complaint, actor=staff, reference=complaint.reference)
    _mail_complainant(
        complaint,
        _l("Your complaint %(reference)s is acknowledged", reference=complaint.reference),
        "complaint_acknowledged",
    )


def add_note(complaint: Complaint, staff, text: str | None) -> ComplaintNote:
    """An internal note; the first one starts the investigation."""
    _not_involved(complaint, staff)
    text = _text(text, "text", MAX_TEXT, _("Write the note."))
    _acknowledged_first(complaint)
    if complaint.status == ComplaintStatus.ACKNOWLEDGED:
        complaint.move(ComplaintStatus.UNDER_INVESTIGATION)
    note = ComplaintNote(complaint=complaint, author_id=staff.id, text=text)
    db.session.add(note)
    db.session.flush()
    record_event(
        "complaint.noted", complaint, actor=staff, reference=complaint.reference, note_id=note.id
    )
    return note


def invite_response(complaint: Complaint, staff, message: str | None) -> None:
    """Ask the subject person for their response (a firm has no account to answer in)."""
    _not_involved(complaint, staff)
    if complaint.profile is None:
        raise NotAllowed(_("Only a person can be invited to respond here; contact the firm."))
    message = _text(
        message,
        "message",
        MAX_TEXT,
        _("Write what the person should answer; they read it, but never who complained."),
    )
    _acknowledged_first(complaint)
    complaint.move(ComplaintStatus.RESPONSE_INVITED)
    complaint.invited_at, complaint.invitation = utcnow(), message
    complaint.response, complaint.response_at = None, None
    record_event(
        "complaint.response_invited",
        complaint,
        actor=staff,
        reference=complaint.reference,
        subject_id=complaint.subject_user_id,
    )
    _mail_subject(
        complaint,
        _l("A complaint about you: your response is invited"),
        "complaint_response_invited",
    )


def respond(complaint: Complaint, user, text: str | None) -> None:
    if complaint.subject_user_id != user.id:
        raise DomainError(_("Only the person the complaint is about can respond."))
    if complaint.status != ComplaintStatus.RESPONSE_INVITED or complaint.response_at:
        raise NotAllowed(_("Your response is not asked for now."))
    complaint.response = _text(text, "response", MAX_DESCRIPTION, _("Write your response."))
    complaint.response_at = utcnow()
    complaint.move(ComplaintStatus.UNDER_INVESTIGATION)
    record_event(
        "complaint.response_received", complaint, actor=user, reference=complaint.reference
    )


def open_accreditations(complaint: Complaint, outcome: str) -> list[Accreditation]:
    """The subject's accreditations that ``outcome`` (suspension, withdrawal) can act on."""
    if complaint.profile is None or outcome not in STATUS_ACTION:
        return []
    to = "suspended" if outcome == Outcome.SUSPENSION else "withdrawn"
    return [
        a for a in complaint.profile.accreditations if to in ACCREDITATION_TRANSITIONS[a.status]
    ]


def decide(
    complaint: Complaint,
    staff,
    outcome: str,
    reasons: str | None,
    accreditation_id: int | None = None,
) -> None:
    """Decide the outcome, with reasons (the complainant and the subject read them)."""
    _not_involved(complaint, staff)
    if outcome not in tuple(Outcome):
        raise DomainError(_("Choose an outcome."), field="outcome")
    reasons = _text(
        reasons,
        "reasons",
        MAX_TEXT,
        _("Write the reasons for the outcome; the complainant and the subject read them."),
    )
    _acknowledged_first(complaint)
    complaint.move(ComplaintStatus.DECIDED)
    complaint.outcome, complaint.outcome_reasons = outcome, reasons
    complaint.decided_at, complaint.decided_by_id = utcnow(), staff.id
    if outcome in STATUS_ACTION:
        _apply_status(complaint, staff, outcome, reasons, accreditation_id)
    record_event(
        "complaint.decided",
        complaint,
        actor=staff,
        reference=complaint.reference,
        outcome=outcome,
        reasons=reasons,
        accreditation_id=complaint.accreditation_id,
        status_change_id=complaint.status_change_id,
    )
    subject = _l("The decision on complaint %(reference)s", reference=complaint.reference)
    _mail_complainant(complaint, subject, "complaint_decided")
    _mail_subject(complaint, subject, "complaint_decided_subject")


def _apply_status(complaint, staff, outcome: str, reasons: str, accreditation_id) -> None:
    reason = f"{_('Complaint %(reference)s', reference=complaint.reference)}: {reasons}"
    if complaint.firm is not None:
        firm = complaint.firm
        status = FirmStatus.SUSPENDED if outcome == Outcome.SUSPENSION else FirmStatus.WITHDRAWN
        if firm.status == FirmStatus.WITHDRAWN or firm.status == status:
            raise NotAllowed(_("The firm is already %(status)s.", status=firm.status))
        _set_firm_status(firm, status, staff)
        return
    candidates = open_accreditations(complaint, outcome)
    chosen = next((a for a in candidates if a.id == accreditation_id), None)
    if chosen is None and len(candidates) == 1 and accreditation_id is None:
        chosen = candidates[0]
    if chosen is None:
        raise DomainError(
            _("Choose the accreditation to suspend or withdraw.")
            if candidates
            else _("The person holds no accreditation this outcome can act on."),
            field="accreditation_id",
        )
    decisions.change_status(chosen, staff, STATUS_ACTION[outcome], reason)
    complaint.accreditation_id = chosen.id
    complaint.status_change_id = _latest_change(chosen.id)


def _set_firm_status(firm: AuditFirm, status: str, staff) -> None:
    """Through the firms' own service, so its audit event is a staff edit's."""
    data = FirmData(
        firm.name, firm.country, firm.accreditation_body, firm.accreditation_standard, status
    )
    update_firm(firm, data, staff)


def _latest_change(accreditation_id: int) -> int | None:
    db.session.flush()
    return db.session.scalar(
        select(func.max(StatusChange.id)).where(StatusChange.accreditation_id == accreditation_id)
    )


def close(complaint: Complaint, staff, reasons: str | None) -> None:
    """Close without a decision on the merits (withdrawn by the complainant, outside the
    scheme's remit)."""
    _not_involved(complaint, staff)
    reasons = _text(
        reasons,
        "close_reasons",
        MAX_TEXT,
        _("Write why the complaint is closed; the complainant reads it."),
    )
    complaint.move(ComplaintStatus.CLOSED)
    complaint.outcome_reasons, complaint.decided_at = reasons, utcnow()
    complaint.decided_by_id = staff.id
    record_event(
        "complaint.closed", complaint, actor=staff, reference=complaint.reference, reasons=reasons
    )
    _mail_complainant(
        complaint,
        _l("Your complaint %(reference)s is closed", reference=complaint.reference),
        "complaint_decided",
    )


# Appeals


def overturn(complaint_id: int, staff, reasons: str) -> None:
    """An appeal overturned the outcome: mark it, and undo a suspension (reinstate) or a
    withdrawal (``Accreditation.restore_on_appeal``)."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.status != ComplaintStatus.DECIDED:
        raise NotAllowed(_("This complaint has no decision to overturn."))
    if complaint.overturned_at is not None:
        raise NotAllowed(_("This complaint's outcome is already overturned."))
    complaint.overturned_at, complaint.overturn_reasons = utcnow(), reasons
    note = (
        f"{_('Appeal against complaint %(reference)s', reference=complaint.reference)}: {reasons}"
    )
    accreditation = complaint.accreditation
    if accreditation is not None and complaint.outcome == Outcome.SUSPENSION:
        if accreditation.status == AccreditationStatus.SUSPENDED:
            decisions.change_status(accreditation, staff, "reinstate", note)
    elif accreditation is not None and complaint.outcome == Outcome.WITHDRAWAL:
        if accreditation.status == AccreditationStatus.WITHDRAWN:
            _restore(accreditation, staff, note)
    elif complaint.firm is not None and complaint.outcome in STATUS_ACTION:
        _set_firm_status(complaint.firm, FirmStatus.ACTIVE, staff)
    record_event(
        "complaint.overturned",
        complaint,
        actor=staff,
        reference=complaint.reference,
        outcome=complaint.outcome,
        reasons=reasons,
    )
    _mail_complainant(
        complaint,
        _l("The decision on complaint %(reference)s was overturned", reference=complaint.reference),
        "complaint_overturned",
    )


def _restore(accreditation: Accreditation, staff, reason: str) -> None:
    """Through ``Accreditation.restore_on_appeal`` (a withdrawal is otherwise final), with
    the audit event and the mail a staff reinstatement writes."""
    previous = accreditation.status
    accreditation.restore_on_appeal(reason, actor_id=staff.id, on=utcnow())
    record_event(
        "accreditation.restored",
        accreditation,
        actor=staff,
        registry_id=accreditation.profile.registry_id,
        role=accreditation.role,
        from_status=previous,
        to_status=accreditation.status,
        reason=reason,
    )
    decisions.mail_holder(
        accreditation,
        decisions.STATUS_ACTIONS["reinstate"][1],
        "accreditation_status_changed",
        action="reinstated",
        role=decisions.role_label(accreditation.role),
        reason=reason,
    )
