"""Administration of users, roles and member organisations."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import db
from educational.core.forms import choices, query_text, requested_page
from educational.core.permissions import Role, requires
from educational.core.transaction import form_errors

from .. import queries, services
from ..forms import OrganisationForm, RoleForm
from ..models import User
from . import admin_bp as bp

PER_PAGE = 50


@bp.get("/users")
@requires("manage_users")
def users():
    q = query_text("q")
    page = db.paginate(
        queries.user_search(q), page=requested_page(), per_page=PER_PAGE, error_out=False
    )
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
    organisations = queries.organisations()
    form.organisation.choices = choices([("", "—")] + [(o.id, o.name) for o in organisations])
    if form.validate_on_submit():
        organisation = queries.find_organisation(form.organisation.data)
        with form_errors(form):
            services.set_role(
                user, Role(form.role.data), actor=current_user, organisation=organisation
            )
            if form.active.data != user.active:
                services.set_active(user, form.active.data, actor=current_user)
            flash(_("Saved %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/edit_user.html", form=form, user=user)


@bp.route("/organisations", methods=["GET", "POST"])
@requires("manage_organisations")
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.create_organisation(
                form.name.data, form.membership_class.data, form.country.data, actor=current_user
            )
            flash(_("Added %(name)s.", name=form.name.data), "success")
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisations.html", form=form, organisations=queries.organisations()
    )
