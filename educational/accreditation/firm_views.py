"""Staff pages for audit firms: list, create, edit, attach and detach accredited people."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.forms import show_domain_error
from educational.core.permissions import requires

from . import firms
from .forms import AttachForm, DetachForm, FirmForm, template_labels
from .models import AuditFirm, FirmAffiliation, FirmStatus

bp = Blueprint("accreditation_firms", __name__, url_prefix="/staff/firms")
bp.context_processor(template_labels)


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
        try:
            firm = firms.create_firm(_firm_data(form), current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
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
        past=[a for a in firm.affiliations if a.until is not None],
    )


@bp.route("/<int:firm_id>/edit", methods=["GET", "POST"])
@requires("staff_area")
def edit(firm_id: int):
    firm = db.session.get(AuditFirm, firm_id) or abort(404)
    form = FirmForm(obj=firm if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            firms.update_firm(firm, _firm_data(form), current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The firm is saved."), "success")
            return redirect(url_for("accreditation_firms.firm", firm_id=firm.id))
    return render_template("accreditation/firm_form.html", form=form, firm=firm)


@bp.post("/<int:firm_id>/attach")
@requires("staff_area")
def attach(firm_id: int):
    firm = db.session.get(AuditFirm, firm_id) or abort(404)
    form = AttachForm()
    if form.validate_on_submit():
        try:
            firms.attach(firm, form.registry_id.data, form.since.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
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
        try:
            firms.detach(affiliation, form.until.data, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Detached from the firm."), "success")
    return redirect(url_for("accreditation_firms.firm", firm_id=firm_id))
