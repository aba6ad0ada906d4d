"""Retaking a course to renew a certificate: the button on the course's page posts here."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from educational.certificates.services import find_certificate
from educational.core.permissions import authenticated
from educational.core.transaction import flash_errors

from . import retake

bp = Blueprint("learning", __name__)
blueprints = (bp,)


@bp.post("/learning/renew/<code>")
@authenticated
def start_retake(code: str):
    certificate = find_certificate(code)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    course = retake.retake_course(certificate.course)
    with flash_errors(url_for("catalog.course", slug=course.slug)):
        enrolment = retake.start_retake(current_user, certificate)
    flash(
        _("Your retake has started. Pass the final exam to renew your certificate."),
        "success",
    )
    return redirect(url_for("catalog.course", slug=enrolment.course.slug))
