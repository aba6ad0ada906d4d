"""The applicant's pages: their accreditations and applications with the live requirement
checklist, and applying (initial or renewal), editing, submitting, withdrawing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.catalog.scheme import current_scheme
from educational.core.db import db
from educational.core.params import parse_int
from educational.core.permissions import authenticated, require
from educational.core.security import MAX_ID
from educational.core.transaction import flash_errors, form_errors

from .. import checklist, queries, services
from ..choices import Choices
from ..forms import ApplicationForm, ChecklistForm, scope_value
from ..models import Accreditation, Application, ApplicationStatus, ScopeStatus
from ..rules import UnknownRequirementKind
from . import bp


def _own_application(application_id: int) -> Application:
    """The current user's application; anyone else's is "not found", not "forbidden"."""
    application = queries.find_application(application_id)
    if application is None or application.user_id != current_user.id:
        abort(404)
    require(current_user, "own_application", application)
    return application


def _own_accreditation(accreditation_id: int) -> Accreditation:
    # From the query string (?renew=), not a route: bounded here, as routes bound theirs.
    if not 0 < accreditation_id <= MAX_ID:
        abort(404)
    accreditation = db.session.get(Accreditation, accreditation_id)
    if accreditation is None or accreditation.profile.user_id != current_user.id:
        abort(404)
    return accreditation


def _live_rows(scheme, user_id: int, choices: Choices, *, renewal=False):
    """The checklist rows for the choices today, or None when there is nothing to show."""
    if scheme is None:
        return None
    evaluation = services.evaluate_choices(scheme, user_id, choices, renewal=renewal)
    if evaluation is None:
        return None
    return checklist.rows(checklist.as_json(evaluation), scheme)


@bp.get("/")
@authenticated
def index():
    scheme = current_scheme()
    form = ChecklistForm(formdata=request.args if request.args else None, scheme=scheme)
    applications = queries.applications_of(current_user.id)
    if not request.args:
        # Start from the latest open application, if any.
        latest = next((a for a in applications if a.is_open), None)
        if latest is not None:
            form.role.data = latest.role
            form.scopes.data = [scope_value(s["standard"], s["sector"]) for s in latest.scopes]
            form.countries.data = list(latest.countries)
            form.specialist_areas.data = list(latest.specialist_areas)
    rows = _live_rows(scheme, current_user.id, form.choices_data())
    return render_template(
        "accreditation/index.html",
        scheme=scheme,
        form=form,
        rows=rows,
        accreditations=queries.accreditations_of(current_user.id),
        profile=queries.profile_of(current_user.id),
        applications=applications,
    )


@bp.route("/applications/new", methods=["GET", "POST"])
@authenticated
def new():
    scheme = current_scheme()
    renew_id = parse_int(request.args.get("renew"), minimum=None, maximum=None)
    accreditation = _own_accreditation(renew_id) if renew_id else None
    form = ApplicationForm(scheme=scheme)
    if request.method == "GET":
        if accreditation is not None:
            form.scopes.data = [
                scope_value(s.standard, s.sector)
                for s in accreditation.scopes
                if s.status == ScopeStatus.ACTIVE
            ]
            form.countries.data = list(accreditation.countries)
            form.specialist_areas.data = list(accreditation.specialist_areas)
        else:
            # "Apply with these choices" from the checklist on the accreditation page.
            prefill = ChecklistForm(formdata=request.args, scheme=scheme)
            for name in ("role", "scopes", "countries", "specialist_areas"):
                form[name].data = prefill[name].data
    _consent_from_profile(form)
    if accreditation is not None:
        form.role.data = accreditation.role
    if form.validate_on_submit():
        with form_errors(form):
            application = services.create_application(
                current_user, form.choices_data(), accreditation=accreditation
            )
            if request.form.get("action") == "submit":
                services.submit_application(application, current_user)
            flash(_saved_message(application), "success")
            return redirect(url_for("accreditation.application", application_id=application.id))
    rows = _live_rows(
        scheme, current_user.id, form.choices_data(), renewal=accreditation is not None
    )
    return render_template(
        "accreditation/form.html",
        form=form,
        scheme=scheme,
        application=None,
        accreditation=accreditation,
        rows=rows,
    )


def _consent_from_profile(form: ApplicationForm) -> None:
    """Someone already in the registry sees their current listing in the consent box (on a
    GET; a POST keeps what they ticked), and is told that the box changes it."""
    profile = queries.profile_of(current_user.id)
    if profile is None:
        return
    if request.method == "GET":
        form.consent_to_publish.data = profile.public
    form.consent_to_publish.description = _(
        "You are already in the registry, so this box shows whether you are listed now. "
        "Changing it here changes your listing when you save, as on your accreditation page; "
        "the decision on this application leaves it as it is."
    )


def _saved_message(application: Application) -> str:
    if application.status == ApplicationStatus.SUBMITTED:
        return _(
            "Your application is submitted. The secretariat reviews it and tells you by e-mail."
        )
    return _("Saved as a draft. Submit it when you are ready.")


@bp.get("/applications/<int:application_id>")
@authenticated
def application(application_id: int):
    application = _own_application(application_id)
    scheme = current_scheme()
    now_rows = None
    if scheme is not None and application.is_open:
        try:
            evaluation = services.evaluate_application(scheme, application)
            now_rows = checklist.rows(checklist.as_json(evaluation), scheme)
        except UnknownRequirementKind:
            now_rows = None
    return render_template(
        "accreditation/application.html",
        application=application,
        scheme=scheme,
        now_rows=now_rows,
        snapshot_rows=checklist.rows(application.checklist, scheme),
        history=queries.application_history(application),
    )


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@authenticated
def edit(application_id: int):
    application = _own_application(application_id)
    if not application.is_editable:
        flash(_("This application is with the secretariat or decided; it can no longer change."))
        return redirect(url_for("accreditation.application", application_id=application.id))
    scheme = current_scheme()
    form = ApplicationForm(scheme=scheme)
    if request.method == "GET":
        form.fill_from(application)
    _consent_from_profile(form)
    if application.kind == "renewal":
        form.role.data = application.role
    if form.validate_on_submit():
        with form_errors(form):
            services.update_application(application, current_user, form.choices_data())
            if request.form.get("action") == "submit":
                services.submit_application(application, current_user)
            flash(_saved_message(application), "success")
            return redirect(url_for("accreditation.application", application_id=application.id))
    rows = _live_rows(
        scheme, current_user.id, form.choices_data(), renewal=application.kind == "renewal"
    )
    return render_template(
        "accreditation/form.html",
        form=form,
        scheme=scheme,
        application=application,
        accreditation=application.accreditation,
        rows=rows,
    )


@bp.post("/applications/<int:application_id>/submit")
@authenticated
def submit(application_id: int):
    application = _own_application(application_id)
    here = url_for("accreditation.application", application_id=application_id)
    with flash_errors(here):
        services.submit_application(application, current_user)
    flash(_saved_message(application), "success")
    return redirect(url_for("accreditation.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/withdraw")
@authenticated
def withdraw(application_id: int):
    application = _own_application(application_id)
    here = url_for("accreditation.application", application_id=application_id)
    with flash_errors(here):
        services.withdraw_application(application, current_user)
    flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("accreditation.application", application_id=application_id))


@bp.post("/consent")
@authenticated
def consent():
    public = request.form.get("public") == "1"
    with flash_errors(url_for("accreditation.index")):
        services.set_consent(current_user, public)
    if public:
        flash(_("You are listed in the public registry."), "success")
    else:
        flash(_("You are no longer listed in the public registry."), "success")
    return redirect(url_for("accreditation.index"))
