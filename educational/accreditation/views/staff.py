"""The secretariat's pages: the dashboard of queues, the review queue and the review of one
application, the accreditations with their status actions, and the CSV exports."""

from collections.abc import Iterable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.catalog.scheme import current_scheme, scope_label
from educational.certificates.services import certificates_of
from educational.core.db import db, utcnow
from educational.core.export import csv_response
from educational.core.forms import query_text, requested_page
from educational.core.names import country_name
from educational.core.params import parse_int
from educational.core.permissions import requires
from educational.core.transaction import form_errors
from educational.experience import services as experience
from educational.experience.forms import LABELS as EXPERIENCE_LABELS

from .. import checklist, decisions, exports, queries, queues, services
from ..forms import LABELS, DecisionForm, StatusChangeForm
from ..models import (
    TRANSITIONS,
    Accreditation,
    AccreditationStatus,
    Application,
    ApplicationKind,
    ApplicationStatus,
)
from ..rules import UnknownRequirementKind
from . import staff_bp as bp

PER_PAGE = 50
QUEUE_STATUSES = (queues.WAITING, *(s.value for s in ApplicationStatus), "all")


@bp.get("/")
@requires("staff_area")
def dashboard():
    return render_template(
        "accreditation/staff_dashboard.html",
        application_counts=queues.application_counts(),
        experience_counts=experience.queue_counts(),
        accreditation_counts=queues.accreditation_counts(),
    )


def _queue_filters() -> dict:
    status = request.args.get("status", queues.WAITING)
    kind = request.args.get("kind", "")
    return {
        "status": status if status in QUEUE_STATUSES else queues.WAITING,
        "role": query_text("role", 40),
        "kind": kind if kind in tuple(ApplicationKind) else "",
        "flagged": request.args.get("flagged") == "1",
        "q": query_text("q"),
    }


@bp.get("/applications")
@requires("staff_area")
def queue():
    filters = _queue_filters()
    page = db.paginate(
        queues.application_query(**filters),
        page=requested_page(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "accreditation/staff_queue.html",
        page=page,
        filters=filters,
        statuses=QUEUE_STATUSES,
        scheme=current_scheme(),
        now=utcnow(),
        age_in_days=queues.age_in_days,
        unmet_codes=checklist.unmet_codes,
    )


@bp.get("/applications.csv")
@requires("staff_area")
def applications_csv():
    filters = _queue_filters() | {"status": request.args.get("status", "all")}
    if filters["status"] not in QUEUE_STATUSES:
        filters["status"] = "all"
    return _csv_response(
        exports.applications_csv(queues.application_query(**filters)), "applications"
    )


def _csv_response(body: Iterable[str], name: str) -> Response:
    return csv_response(body, f"{name}-{utcnow().date().isoformat()}.csv")


@bp.get("/applications/<int:application_id>")
@requires("staff_area")
def review(application_id: int):
    application = queries.find_application(application_id) or abort(404)
    return _review_page(application, _decision_form(application))


def _decision_form(application: Application) -> DecisionForm:
    """The decision form, offering the requested scopes and countries for approval."""
    scheme = current_scheme()
    form = DecisionForm()
    form.offer(
        [
            (decisions.scope_key(s), scope_label(scheme, s["standard"], s["sector"]))
            for s in application.scopes
        ],
        [(code, country_name(code)) for code in application.countries],
    )
    return form


@bp.post("/applications/<int:application_id>/decide")
@requires("staff_area")
def decide(application_id: int):
    # Locked for the decision, so two reviewers cannot both decide on it at once.
    application = db.session.get(Application, application_id, with_for_update=True) or abort(404)
    form = _decision_form(application)
    if form.validate_on_submit():
        with form_errors(form):
            approval = None
            if form.decision.data == "approve":
                approval = decisions.approval_of(
                    application,
                    form.chosen_scopes(),
                    form.chosen_countries(),
                    form.narrowing_reason.data,
                )
            outcome = decisions.decide_application(
                application,
                current_user,
                form.decision.data,
                form.reason.data,
                override_unmet=bool(form.override_unmet.data),
                approval=approval,
            )
            flash(_decided_message(application, outcome), "success")
            return redirect(url_for("accreditation_staff.review", application_id=application.id))
    return _review_page(application, form)


def _decided_message(application: Application, outcome: str) -> str:
    name = application.user.name
    if outcome == "approved":
        profile = queries.profile_of(application.user_id)
        return _(
            "Approved: %(name)s is accredited with the registry id %(id)s and told by e-mail.",
            name=name,
            id=profile.registry_id if profile else "",
        )
    if outcome == "first_approval":
        return _("First approval recorded. A different staff member must give the final approval.")
    if outcome == "rejected":
        return _("Rejected; %(name)s is told why by e-mail.", name=name)
    return _("%(name)s is asked by e-mail for more information.", name=name)


def _merged_checklist(snapshot: list, now: list) -> list[dict]:
    """Requirement rows with the submission snapshot and today's result side by side."""
    merged: dict[str, dict] = {}
    for row in now:
        merged[row.code] = {"title": row.title, "now": row, "then": None}
    for row in snapshot:
        merged.setdefault(row.code, {"title": row.title, "now": None, "then": None})["then"] = row
    return list(merged.values())


def _review_page(application: Application, form: DecisionForm):
    scheme = current_scheme()
    applicant = application.user
    now_rows = []
    if scheme is not None:
        try:
            now_rows = checklist.rows(
                checklist.as_json(services.evaluate_application(scheme, application)), scheme
            )
        except UnknownRequirementKind as error:
            flash(str(error), "error")
    others = [a for a in queries.applications_of(applicant.id) if a.id != application.id]
    return render_template(
        "accreditation/staff_review.html",
        application=application,
        applicant=applicant,
        scheme=scheme,
        form=form,
        rows=_merged_checklist(checklist.rows(application.checklist, scheme), now_rows),
        decision_rows=checklist.rows(application.decision_checklist, scheme),
        unmet_now=[row.code for row in now_rows if not row.met],
        entries=experience.entries_of(applicant, include_withdrawn=True),
        certificates=certificates_of(applicant),
        accreditations=queries.accreditations_of(applicant.id),
        profile=queries.profile_of(applicant.id),
        others=others,
        history=queries.application_history(application),
        own=application.user_id == current_user.id,
        first_approver=application.first_approver_id == current_user.id,
        experience_labels=EXPERIENCE_LABELS,
    )


# Accreditations


def _accreditation_filters() -> dict:
    status = request.args.get("status", "")
    expiring = request.args.get("expiring")
    return {
        "status": status if status in tuple(AccreditationStatus) else "",
        "role": query_text("role", 40),
        "standard": query_text("standard", 20),
        "expiring_within": parse_int(expiring, minimum=0, maximum=9999),
        "q": query_text("q"),
    }


@bp.get("/accreditations")
@requires("staff_area")
def accreditations():
    filters = _accreditation_filters()
    page = db.paginate(
        queues.accreditation_query(**filters),
        page=requested_page(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "accreditation/staff_accreditations.html",
        page=page,
        filters=filters,
        scheme=current_scheme(),
    )


@bp.get("/accreditations.csv")
@requires("staff_area")
def accreditations_csv():
    query = queues.accreditation_query(**_accreditation_filters())
    return _csv_response(exports.accreditations_csv(query), "accreditations")


@bp.get("/accreditations/<int:accreditation_id>")
@requires("staff_area")
def accreditation(accreditation_id: int):
    accreditation = db.session.get(Accreditation, accreditation_id) or abort(404)
    return _accreditation_page(accreditation, StatusChangeForm())


@bp.get("/accreditations/<int:accreditation_id>/withdraw")
@requires("staff_area")
def confirm_withdrawal(accreditation_id: int):
    """Withdrawal is final: it is asked for on a page of its own, which says so, rather than
    by one click beside Suspend."""
    accreditation = db.session.get(Accreditation, accreditation_id) or abort(404)
    return _withdrawal_page(accreditation, StatusChangeForm())


def _withdrawal_page(accreditation: Accreditation, form):
    holder = accreditation.profile.user
    return render_template(
        "accreditation/staff_withdraw.html",
        accreditation=accreditation,
        holder=holder,
        scheme=current_scheme(),
        form=form,
        own=holder.id == current_user.id,
        allowed=AccreditationStatus.WITHDRAWN in TRANSITIONS[accreditation.status],
    )


@bp.post("/accreditations/<int:accreditation_id>/<action>")
@requires("staff_area")
def change_status(accreditation_id: int, action: str):
    if action not in decisions.STATUS_ACTIONS:
        abort(404)
    accreditation = db.session.get(Accreditation, accreditation_id, with_for_update=True) or abort(
        404
    )
    form = StatusChangeForm()
    if form.validate_on_submit():
        with form_errors(form):
            decisions.change_status(accreditation, current_user, action, form.reason.data)
            flash(
                _(
                    "The accreditation is now %(status)s; the holder is told by e-mail.",
                    status=LABELS["accreditation_status"][accreditation.status],
                ),
                "success",
            )
            return redirect(
                url_for("accreditation_staff.accreditation", accreditation_id=accreditation.id)
            )
    if action == "withdraw":
        return _withdrawal_page(accreditation, form)
    return _accreditation_page(accreditation, form, failed_action=action)


def _accreditation_page(accreditation: Accreditation, form, failed_action: str | None = None):
    holder = accreditation.profile.user
    return render_template(
        "accreditation/staff_accreditation.html",
        accreditation=accreditation,
        holder=holder,
        scheme=current_scheme(),
        form=form,
        failed_action=failed_action,
        reminders=queries.reminders_of(accreditation),
        own=holder.id == current_user.id,
        applications=queries.applications_of(holder.id),
        affiliations=queries.affiliations_of(accreditation.profile_id),
    )
