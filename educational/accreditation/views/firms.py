"""Staff pages for audit firms: list, create, edit, attach and detach accredited people."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.permissions import requires
from educational.core.transaction import flash_errors, form_errors

from .. import firms
from ..forms import AttachForm, DetachForm, FirmForm
from ..models import AuditFirm, FirmAffiliation, FirmStatus
from . import firms_bp as bp


def _firm_data(form: FirmForm) -> firms.FirmData:
    return firms.FirmData(
        name=form.name.data or "",
        country=form.country.data or "",
        accreditation_body=form.accreditation_body.data or "",
        accreditation_standard=form.accreditation_standard.data or "",
        status=form.status.data or FirmStatus.ACTIVE,
    )


@bp.get("/")
@requires("staff_area")
def index():
    status = request.args.get("status", "")
    status = status if status in tuple(FirmStatus) else ""
    return render_template(
        "accreditation/firms.html", firms=firms.firms(status or None), status=status
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("staff_area")
def create():
    form = FirmForm()
    if form.validate_on_submit():
        with form_errors(form):
            firm = firms.create_firm(_firm_data(form), current_user)
            flash(_("The firm %(name)s is added.", name=firm.name), "success")
            return redirect(url_for("accreditation_firms.firm", firm_id=firm.id))
    return render_template("accreditation/firm_form.html", form=form, firm=None)


@bp.get("/<int:firm_id>")
@requires("staff_area")
def firm(firm_id: int):
    firm = db.session.get(AuditFirm, firm_id) or abort(404)
    return _firm_page(firm, AttachForm())


def _firm_page(firm: AuditFirm, attach_form: AttachForm):
    return render_template(
        "accreditation/firm.html",
        firm=firm,
        attach_form=attach_form,
        current=firms.current_affiliations(firm),
        past=firm.past_affiliations,
    )


@bp.route("/<int:firm_id>/edit", methods=["GET", "POST"])
@requires("staff_area")
def edit(firm_id: int):
    firm = db.session.get(AuditFirm, firm_id) or abort(404)
    form = FirmForm(obj=firm if request.method == "GET" else None)
    if form.validate_on_submit():
        with form_errors(form):
            firms.update_firm(firm, _firm_data(form), current_user)
            flash(_("The firm is saved."), "success")
            return redirect(url_for("accreditation_firms.firm", firm_id=firm.id))
    return render_template("accreditation/firm_form.html", form=form, firm=firm)


@bp.post("/<int:firm_id>/attach")
@requires("staff_area")
def attach(firm_id: int):
    firm = db.session.get(AuditFirm, firm_id) or abort(404)
    form = AttachForm()
    if form.validate_on_submit():
        with form_errors(form):
            firms.attach(firm, form.registry_id.data, form.since.data, current_user)
            flash(_("Attached to %(firm)s.", firm=firm.name), "success")
            return redirect(url_for("accreditation_firms.firm", firm_id=firm.id))
    return _firm_page(firm, form)


@bp.post("/<int:firm_id>/affiliations/<int:affiliation_id>/detach")
@requires("staff_area")
def detach(firm_id: int, affiliation_id: int):
    affiliation = db.session.get(FirmAffiliation, affiliation_id)
    if affiliation is None or affiliation.firm_id != firm_id:
        abort(404)
    form = DetachForm()
    if not form.validate_on_submit():
        flash(_("Enter the last day of the attachment, then detach."), "error")
    else:
        with flash_errors(url_for("accreditation_firms.firm", firm_id=firm_id)):
            firms.detach(affiliation, form.until.data, current_user)
        flash(_("Detached from the firm."), "success")
    return redirect(url_for("accreditation_firms.firm", firm_id=firm_id))
