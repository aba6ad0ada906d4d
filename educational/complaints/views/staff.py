"""The secretariat's complaint pages: the queue with its deadlines, one complaint with its
workflow (acknowledge, note, invite the subject's response, decide, close), evidence."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from educational.accreditation.forms import ACCREDITATION_STATUS_LABELS
from educational.accreditation.services import role_label
from educational.core.db import db, utcnow
from educational.core.forms import choices
from educational.core.params import parse_int
from educational.core.permissions import requires
from educational.core.transaction import flash_errors, form_errors
from educational.experience import uploads

from .. import services
from ..forms import ActionForm, CloseForm, DecideForm, InviteForm, NoteForm
from ..models import Complaint, ComplaintEvidence, Outcome
from ..queries import QUEUE_FILTERS, queue
from . import staff_bp as bp


@bp.get("/")
@requires("staff_area")
def queue_page():
    which = request.args.get("show", "open")
    which = which if which in QUEUE_FILTERS else "open"
    return render_template(
        "complaints/staff_queue.html",
        complaints=queue(which),
        which=which,
        filters=QUEUE_FILTERS,
        rules=services.rules(),
        now=utcnow(),
    )


def _complaint(complaint_id: int, lock: bool = False) -> Complaint:
    """The complaint; locked for a decision, so two staff members cannot act on it at once."""
    return db.session.get(Complaint, complaint_id, with_for_update=lock) or abort(404)


def _accreditation_choices(complaint: Complaint) -> list:
    found = {}
    for outcome in (Outcome.SUSPENSION, Outcome.WITHDRAWAL):
        for a in services.open_accreditations(complaint, outcome):
            status = ACCREDITATION_STATUS_LABELS.get(a.status, a.status)
            found[a.id] = f"{role_label(a.role)} ({status})"
    return choices([("", "—"), *found.items()])


def _page(complaint: Complaint, **forms):
    decide_form = forms.get("decide_form") or DecideForm()
    decide_form.accreditation_id.choices = _accreditation_choices(complaint)
    return render_template(
        "complaints/staff_complaint.html",
        complaint=complaint,
        subject_name=services.subject_name(complaint),
        rules=services.rules(),
        now=utcnow(),
        involved=current_user.id in {complaint.complainant_id, complaint.subject_user_id} - {None},
        action_form=forms.get("action_form") or ActionForm(),
        note_form=forms.get("note_form") or NoteForm(),
        invite_form=forms.get("invite_form") or InviteForm(),
        decide_form=decide_form,
        close_form=forms.get("close_form") or CloseForm(),
        role_label=role_label,
        accreditation_status=ACCREDITATION_STATUS_LABELS,
    )


def _back(complaint: Complaint):
    return redirect(url_for("complaints_staff.complaint", complaint_id=complaint.id))


@bp.get("/<int:complaint_id>")
@requires("staff_area")
def complaint(complaint_id: int):
    return _page(_complaint(complaint_id))


@bp.post("/<int:complaint_id>/acknowledge")
@requires("staff_area")
def acknowledge(complaint_id: int):
    found = _complaint(complaint_id, lock=True)
    form = ActionForm()
    if form.validate_on_submit():
        # A refusal (handled already, or by the staff member it involves) has no field to
        # show beside: it is flashed on the complaint's page.
        with flash_errors(url_for("complaints_staff.complaint", complaint_id=found.id)):
            services.acknowledge(found, current_user)
            flash(_("The complaint is acknowledged."), "success")
            return _back(found)
    return _page(found, action_form=form)


def _step(complaint_id: int, form: FlaskForm, form_name: str, act, done: str):
    """A workflow step: on a valid ``form``, ``act(complaint)`` and back to the complaint
    with ``done``; a refusal shows beside the form, which comes back filled in."""
    found = _complaint(complaint_id, lock=True)
    if form.validate_on_submit():
        with form_errors(form):
            act(found)
            flash(done, "success")
            return _back(found)
    return _page(found, **{form_name: form})


@bp.post("/<int:complaint_id>/note")
@requires("staff_area")
def note(complaint_id: int):
    form = NoteForm()
    return _step(
        complaint_id,
        form,
        "note_form",
        lambda found: services.add_note(found, current_user, form.text.data),
        _("The note is added."),
    )


@bp.post("/<int:complaint_id>/invite")
@requires("staff_area")
def invite(complaint_id: int):
    form = InviteForm()
    return _step(
        complaint_id,
        form,
        "invite_form",
        lambda found: services.invite_response(found, current_user, form.message.data),
        _("The person is invited to respond, by e-mail."),
    )


@bp.post("/<int:complaint_id>/decide")
@requires("staff_area")
def decide(complaint_id: int):
    form = DecideForm()
    return _step(
        complaint_id,
        form,
        "decide_form",
        lambda found: services.decide(
            found,
            current_user,
            form.outcome.data,
            form.reasons.data,
            accreditation_id=parse_int(form.accreditation_id.data),
        ),
        _("The complaint is decided; the people concerned are told."),
    )


@bp.post("/<int:complaint_id>/close")
@requires("staff_area")
def close(complaint_id: int):
    form = CloseForm()
    return _step(
        complaint_id,
        form,
        "close_form",
        lambda found: services.close(found, current_user, form.close_reasons.data),
        _("The complaint is closed."),
    )


@bp.get("/evidence/<int:evidence_id>")
@requires("staff_area")
def evidence(evidence_id: int):
    """A complainant's file, to staff only, always as a download."""
    item = db.session.get(ComplaintEvidence, evidence_id) or abort(404)
    return uploads.send_evidence(item)
