"""The person's assessments page, and the staff's pages: witnesses due, recording an
assessment, one person's assessments."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from educational.accounts.models import User
from educational.accreditation.queries import accreditations_of
from educational.accreditation.services import role_label
from educational.catalog.scheme import current_scheme, named
from educational.core.db import db, today, utcnow
from educational.core.names import country_name
from educational.core.params import parse_int
from educational.core.permissions import authenticated, can, requires
from educational.core.transaction import form_errors
from educational.experience import uploads

from . import appeals, due, services
from .forms import AssessmentForm
from .labels import FACTOR_LABELS, KIND_LABELS, RESULT_LABELS
from .models import AssessmentEvidence

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
staff_bp = Blueprint("monitoring_staff", __name__, url_prefix="/staff/monitoring")
blueprints = (bp, staff_bp)

#: The choices of the due list's "due within" filter, in days.
WITHIN_CHOICES = (30, 90, 180, 365)


@bp.app_context_processor
def _labels() -> dict:
    return {
        "assessment_kind_labels": KIND_LABELS,
        "assessment_result_labels": RESULT_LABELS,
        "witness_factor_labels": FACTOR_LABELS,
    }


def _scheme_names() -> dict:
    scheme = current_scheme()
    return {
        "standard_name": lambda code: named(scheme, "standards", code),
        "sector_name": lambda code: named(scheme, "sectors", code),
        "country_name": country_name,
        "role_label": role_label,
    }


# The person's own page


@bp.get("/")
@authenticated
def index():
    """The signed-in person's assessments, with their notes and files, and their next
    witness date. Only ever their own: the page takes no person from the request."""
    assessments = services.assessments_of(current_user.id)
    return render_template(
        "monitoring/index.html",
        assessments=assessments,
        dues=due.witness_dues(current_user.id),
        appeal=appeals.appeal_options(assessments, utcnow()),
        today=today(),
        **_scheme_names(),
    )


@bp.get("/evidence/<int:assessment_file_id>")
@authenticated
def evidence(assessment_file_id: int):
    """An assessment's file, to the person assessed and to staff only, as a download."""
    item = db.session.get(AssessmentEvidence, assessment_file_id)
    if item is None or not (
        item.assessment.user_id == current_user.id or can(current_user, "staff_area")
    ):
        abort(404)
    return uploads.send_evidence(item)


# Staff


@staff_bp.get("/", endpoint="index")
@requires("staff_area")
def due_list():
    within = parse_int(request.args.get("within"), minimum=0, maximum=3650)
    rows = due.due_rows(current_scheme(), within)
    return render_template(
        "monitoring/staff_due.html",
        rows=rows,
        within=within,
        within_choices=WITHIN_CHOICES,
        today=today(),
        **_scheme_names(),
    )


def _people(scheme) -> list[tuple[int, str]]:
    people = []
    for accreditation in services.active_accreditations():
        if services.assessable(scheme, accreditation, "report_review"):
            holder = accreditation.profile
            people.append(
                (
                    accreditation.id,
                    f"{holder.user.name} ({holder.registry_id}, "
                    f"{role_label(accreditation.role, scheme)})",
                )
            )
    return people


def _describe_evidence(form: AssessmentForm) -> None:
    megabytes = current_app.config["EVIDENCE_MAX_BYTES"] / (1024 * 1024)
    form.evidence.description = _(
        "PDF, PNG or JPEG; up to %(mb)s MB each. You can choose several files.",
        mb=f"{megabytes:g}",
    )


@staff_bp.route("/new", methods=["GET", "POST"])
@requires("staff_area")
def new():
    scheme = current_scheme()
    if scheme is None:
        flash(_("The scheme is not loaded yet. Sync the courses first."), "error")
        return redirect(url_for("monitoring_staff.index"))
    form = AssessmentForm(scheme=scheme, people=_people(scheme))
    _describe_evidence(form)
    if request.method == "GET":
        chosen = parse_int(request.args.get("accreditation_id"))
        if chosen is not None:
            form.accreditation_id.data = chosen
        if request.args.get("kind") in KIND_LABELS:
            form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        files = [(f.stream, f.filename) for f in form.evidence.data or [] if f and f.filename]
        with form_errors(form):
            assessment = services.record_assessment(
                scheme, current_user, form.assessment_data(), files
            )
            flash(
                _(
                    "The assessment is recorded and %(name)s is told by e-mail.",
                    name=assessment.user.name,
                ),
                "success",
            )
            return redirect(url_for("monitoring_staff.person", user_id=assessment.user_id))
    return render_template("monitoring/staff_form.html", form=form)


@staff_bp.get("/people/<int:user_id>")
@requires("staff_area")
def person(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    assessments = services.assessments_of(user.id)
    return render_template(
        "monitoring/staff_person.html",
        person=user,
        assessments=assessments,
        dues=due.witness_dues(user.id),
        accreditations=accreditations_of(user.id),
        today=today(),
        **_scheme_names(),
    )
