"""Administration of users, roles and member organisations."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from educational.core.db import db
from educational.core.errors import DomainError
from educational.core.forms import choices, query_text, requested_page, show_domain_error
from educational.core.permissions import Role, requires

from . import services
from .forms import OrganisationForm, RoleForm
from .models import Organisation, User

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


@bp.get("/users")
@requires("manage_users")
def users():
    q = query_text("q")
    query = select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    page = db.paginate(query, page=requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("manage_users")
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm(
        role=user.role,
        organisation=str(user.organisation_id or ""),
        active=user.active,
    )
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation.choices = choices([("", "—")] + [(o.id, o.name) for o in organisations])
    if form.validate_on_submit():
        organisation = (
            db.session.get(Organisation, int(form.organisation.data))
            if form.organisation.data
            else None
        )
        try:
            services.set_role(
                user, Role(form.role.data), actor=current_user, organisation=organisation
            )
            if form.active.data != user.active:
                services.set_active(user, form.active.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/edit_user.html", form=form, user=user)


@bp.route("/organisations", methods=["GET", "POST"])
@requires("manage_organisations")
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            services.create_organisation(
                form.name.data, form.membership_class.data, form.country.data, actor=current_user
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Added %(name)s.", name=form.name.data), "success")
            return redirect(url_for("admin.organisations"))
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", form=form, organisations=rows)
