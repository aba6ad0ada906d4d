"""Staff pages: find a certificate, see its record, revoke it with a reason."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.core.db import today
from educational.core.forms import query_text
from educational.core.permissions import requires
from educational.core.transaction import form_errors

from .. import services
from ..forms import RevokeForm
from . import bp, certificate_or_404


@bp.get("/staff/certificates")
@requires("staff_area")
def staff_index():
    q = query_text("q")
    return render_template(
        "certificates/staff_index.html",
        q=q,
        certificates=services.search_certificates(q),
        today=today(),
    )


@bp.get("/staff/certificates/<code>")
@requires("staff_area")
def staff_detail(code: str):
    certificate = certificate_or_404(code)
    return _staff_page(certificate, RevokeForm())


@bp.post("/staff/certificates/<code>/revoke")
@requires("staff_area")
def revoke(code: str):
    certificate = certificate_or_404(code)
    form = RevokeForm()
    if form.validate_on_submit():
        with form_errors(form):
            services.revoke_certificate(certificate, form.reason.data, current_user)
            flash(_("Certificate %(code)s is revoked.", code=certificate.code), "success")
            return redirect(url_for("certificates.staff_detail", code=certificate.code))
    return _staff_page(certificate, form)


def _staff_page(certificate, form: RevokeForm):
    on = today()
    return render_template(
        "certificates/staff_detail.html",
        certificate=certificate,
        status=certificate.status(on),
        form=form,
    )
