"""Appeals pages: the person's (lodge an appeal, their appeals, one appeal, withdraw it,
its evidence) and the secretariat's (the queue of open appeals, one appeal with the
decision under appeal and who may not decide it, the decision, the four-eyes confirmation)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db, utcnow
from educational.core.permissions import authenticated, require, requires
from educational.core.transaction import flash_errors, form_errors
from educational.experience import uploads

from . import services
from .forms import ActionForm, DecideForm, LodgeForm, SendBackForm
from .models import Appeal, AppealEvidence

bp = Blueprint("appeals", __name__, url_prefix="/appeals")
staff_bp = Blueprint("appeals_staff", __name__, url_prefix="/staff/appeals")
blueprints = (bp, staff_bp)


@bp.context_processor
@staff_bp.context_processor
def _labels():
    return {
        "status_labels": services.STATUS_LABELS,
        "outcome_labels": services.OUTCOME_LABELS,
        "now": utcnow(),
    }


# The person's pages


def _decision_or_404(kind: str, subject_id: int):
    decision = services.find_decision(kind, subject_id)
    # Only the person affected learns that the decision exists.
    if decision is None or decision.person_id != current_user.id:
        abort(404)
    return decision


def _new_page(kind: str, decision, form: LodgeForm, status: int = 200):
    refusal = services.lodge_refusal(current_user, decision)
    return (
        render_template(
            "appeals/new.html",
            kind=kind,
            kind_label=services.appeal_kind(kind).label,
            decision=decision,
            form=form,
            refusal=services.REFUSALS[refusal] if refusal else None,
            window_ends=services.window_ends(decision),
            existing=services.latest_appeal(kind, decision.subject_id),
            max_files=services.MAX_FILES,
        ),
        status,
    )


@bp.get("/new/<kind>/<int:subject_id>")
@authenticated
def new(kind: str, subject_id: int):
    decision = _decision_or_404(kind, subject_id)
    return _new_page(kind, decision, LodgeForm())


@bp.post("/new/<kind>/<int:subject_id>/lodge")
@authenticated
def lodge(kind: str, subject_id: int):
    decision = _decision_or_404(kind, subject_id)
    form = LodgeForm()
    if form.validate_on_submit():
        files = [(f.stream, f.filename) for f in form.evidence.data or [] if f and f.filename]
        with form_errors(form):
            appeal = services.lodge(current_user, kind, subject_id, form.grounds.data, files)
            flash(
                _("Your appeal is lodged. We have sent you an acknowledgement by e-mail."),
                "success",
            )
            return redirect(url_for("appeals.show", appeal_id=appeal.id))
    return _new_page(kind, decision, form)


@bp.get("/")
@authenticated
def index():
    return render_template("appeals/index.html", appeals=services.appeals_of(current_user))


def _own_appeal(appeal_id: int) -> Appeal:
    appeal = services.find_appeal(appeal_id)
    if appeal is None or appeal.appellant_id != current_user.id:
        abort(404)
    return appeal


@bp.get("/<int:appeal_id>")
@authenticated
def show(appeal_id: int):
    appeal = _own_appeal(appeal_id)
    return render_template(
        "appeals/show.html",
        appeal=appeal,
        described=services.describe(appeal),
        form=ActionForm(),
    )


@bp.post("/<int:appeal_id>/withdraw")
@authenticated
def withdraw(appeal_id: int):
    appeal = _own_appeal(appeal_id)
    back = url_for("appeals.show", appeal_id=appeal.id)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for("appeals.show", appeal_id=appeal.id))
    with flash_errors(back):
        services.withdraw(appeal, current_user)
    flash(_("Your appeal is withdrawn."), "success")
    return redirect(url_for("appeals.show", appeal_id=appeal.id))


@bp.get("/evidence/<int:evidence_id>")
@authenticated
def evidence(evidence_id: int):
    """The file, to the appellant and to staff only, always as a download."""
    item = db.session.get(AppealEvidence, evidence_id) or abort(404)
    require(current_user, "view_appeal_evidence", item)
    return uploads.send_evidence(item)


# The secretariat's pages


@staff_bp.get("")
@requires("staff_area")
def queue():
    status = request.args.get("status", "open")
    if status not in services.QUEUE_FILTERS:
        status = "open"
    return render_template(
        "appeals/staff_queue.html",
        appeals=services.queue(status),
        status=status,
        filters=services.QUEUE_FILTERS,
        describe=services.describe,
    )


def _staff_page(appeal: Appeal, decide_form=None, send_back_form=None):
    excluded = services.excluded(appeal)
    return render_template(
        "appeals/staff_appeal.html",
        appeal=appeal,
        described=services.describe(appeal),
        excluded_people=services.excluded_people(excluded),
        involved=current_user.id in excluded,
        proposer=appeal.proposed_by_id == current_user.id,
        four_eyes=services.four_eyes(),
        decide_form=decide_form or DecideForm(),
        send_back_form=send_back_form or SendBackForm(),
        form=ActionForm(),
    )


def _appeal_or_404(appeal_id: int, lock: bool = False) -> Appeal:
    return db.session.get(Appeal, appeal_id, with_for_update=lock) or abort(404)


@staff_bp.get("/<int:appeal_id>")
@requires("staff_area")
def appeal(appeal_id: int):
    return _staff_page(_appeal_or_404(appeal_id))


def _back(appeal: Appeal) -> str:
    return url_for("appeals_staff.appeal", appeal_id=appeal.id)


@staff_bp.post("/<int:appeal_id>/review")
@requires("staff_area")
def start_review(appeal_id: int):
    appeal = _appeal_or_404(appeal_id, lock=True)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))
    with flash_errors(_back(appeal)):
        services.start_review(appeal, current_user)
    flash(_("You are reviewing this appeal."), "success")
    return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))


@staff_bp.post("/<int:appeal_id>/decide")
@requires("staff_area")
def decide(appeal_id: int):
    appeal = _appeal_or_404(appeal_id, lock=True)
    form = DecideForm()
    if form.validate_on_submit():
        with form_errors(form):
            done = services.decide(appeal, current_user, form.outcome.data, form.reasons.data)
            if done == "proposed":
                flash(
                    _(
                        "Your decision is proposed. A second staff member who took no part "
                        "must confirm it before it takes effect."
                    ),
                    "success",
                )
            else:
                flash(_("The appeal is decided; the appellant is told by e-mail."), "success")
            return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))
    return _staff_page(appeal, decide_form=form)


@staff_bp.post("/<int:appeal_id>/confirm")
@requires("staff_area")
def confirm(appeal_id: int):
    appeal = _appeal_or_404(appeal_id, lock=True)
    if not ActionForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))
    with flash_errors(_back(appeal)):
        services.confirm(appeal, current_user)
    flash(
        _("The decision is confirmed and takes effect; the appellant is told by e-mail."), "success"
    )
    return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))


@staff_bp.post("/<int:appeal_id>/send-back")
@requires("staff_area")
def send_back(appeal_id: int):
    appeal = _appeal_or_404(appeal_id, lock=True)
    form = SendBackForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.send_back(appeal, current_user, form.comment.data)
            flash(_("The proposed decision is sent back for review."), "success")
            return redirect(url_for("appeals_staff.appeal", appeal_id=appeal.id))
    return _staff_page(appeal, send_back_form=form)
